"""Trajectories as the figure builders see them: plain arrays, no optimizer inside."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RunPath:
    """One run's path ``(steps + 1, 2)`` and loss ``(steps + 1,)``; NaN after ``diverged_at``."""

    label: str
    color: str
    path: np.ndarray
    loss: np.ndarray
    diverged_at: int = -1
    dash: str = "solid"
    symbol: str = "circle"

    @property
    def last_finite(self) -> int:
        """Index of the last step with a finite point (the engine makes the path NaN from ``diverged_at``)."""
        return len(self.path) - 1 if self.diverged_at < 0 else max(self.diverged_at - 1, 0)

    def head(self, step: int) -> np.ndarray:
        """Where the run is at ``step`` (its last finite point once it has diverged)."""
        return self.path[min(step, self.last_finite)]


def sample_indices(stop: int, at_most: int) -> np.ndarray:
    """Up to ``at_most`` indices from 0 to ``stop`` inclusive, always keeping both ends."""
    if stop + 1 <= at_most:
        return np.arange(stop + 1)
    # Spacing of at least one step: rounding keeps the indices distinct.
    return np.linspace(0, stop, at_most).round().astype(int)


def frame_steps(steps: int, frames: int) -> np.ndarray:
    """The steps an animation shows: evenly spread, from 0 to the last."""
    return np.unique(np.linspace(0, steps, min(steps, frames) + 1).round().astype(int))
