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


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices of a polyline's points to keep so that no dropped point lies farther than ``tolerance``
    from the kept line (Ramer–Douglas–Peucker). ``points`` is ``(n, 2)``, finite, in the units of
    ``tolerance``; both ends are always kept.

    Measured (benchmarks/browser.py): Momentum's 1,001 Rosenbrock points keep 140 at half a pixel,
    and a slider change sends a fifth of the bytes.
    """
    n = len(points)
    if n <= 2:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[[0, -1]] = True
    pending = [(0, n - 1)]
    while pending:
        first, last = pending.pop()
        if last - first < 2:
            continue
        chord = points[last] - points[first]
        offsets = points[first + 1:last] - points[first]
        length = np.hypot(*chord)
        if length > 0:
            distances = np.abs(chord[0] * offsets[:, 1] - chord[1] * offsets[:, 0]) / length
        else:
            distances = np.hypot(offsets[:, 0], offsets[:, 1])
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            pending += [(first, middle), (middle, last)]
    return np.flatnonzero(keep)


def exit_step(path: np.ndarray, bounds) -> int | None:
    """The first step whose point lies outside ``bounds`` (or is not finite), None if the path stays in."""
    (x0, x1), (y0, y1) = bounds
    with np.errstate(invalid="ignore"):
        inside = (path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0) & (path[:, 1] <= y1)
    outside = np.flatnonzero(~inside)
    return int(outside[0]) if outside.size else None


def edge_point(inside: np.ndarray, outside: np.ndarray, bounds) -> np.ndarray:
    """Where the segment from ``inside`` towards ``outside`` crosses the edge of ``bounds``."""
    (x0, x1), (y0, y1) = bounds
    direction = outside - inside
    if not np.all(np.isfinite(direction)):
        return inside
    fractions = [1.0]
    for axis, (low, high) in enumerate(((x0, x1), (y0, y1))):
        if direction[axis] > 0:
            fractions.append((high - inside[axis]) / direction[axis])
        elif direction[axis] < 0:
            fractions.append((low - inside[axis]) / direction[axis])
    return inside + min(fractions) * direction
