"""The per-run summaries of a batch, settled one window of consecutive path rows at a time."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Value = Callable[[np.ndarray], np.ndarray]
Escaped = Callable[[np.ndarray], np.ndarray]


class Ledger:
    """Divergence, best loss, first step within tolerance and path length of every run in a batch.

    A window is checked after it was computed: a run's first bad row is where it diverged, and
    everything from there on is set to NaN, exactly as if it had been stopped on the spot
    (runs never interact, and NaN stays NaN through every update rule).
    """

    def __init__(self, batch: tuple[int, ...], value: Value, escaped: Escaped, tolerance: float | None):
        self.value, self.escaped, self.tolerance = value, escaped, tolerance
        self.diverged_at = np.full(batch, -1, dtype=np.int64)
        self.reached = np.full(batch, -1, dtype=np.int64) if tolerance is not None else None
        self.best = np.full(batch, np.inf)
        self.length = np.zeros(batch)
        self.previous: np.ndarray | None = None  # the last point of the previous window

    def settle(self, points: np.ndarray, losses: np.ndarray, first_step: int, evaluated: bool) -> bool:
        """Settle the window ``points`` (rows from ``first_step``); True if a run diverged.

        ``losses`` is filled here unless the steps already ``evaluated`` it along with the gradients.
        """
        if not evaluated:
            losses[...] = self.value(points)
        newly = False
        if not self._surely_fine(points, losses):
            bad = self.escaped(points) | ~np.isfinite(losses)
            dead = np.logical_or.accumulate(bad, axis=0)
            hit = dead[-1] & (self.diverged_at < 0)
            if np.any(hit):
                self.diverged_at[hit] = first_step + np.argmax(bad, axis=0)[hit]
                newly = True
            points[dead] = np.nan
            losses[dead] = np.nan
        np.fmin(self.best, np.fmin.reduce(losses, axis=0), out=self.best)
        if self.reached is not None:
            hit = losses <= self.tolerance
            first = np.argmax(hit, axis=0)
            newly_reached = np.any(hit, axis=0) & (self.reached < 0)
            self.reached[newly_reached] = first_step + first[newly_reached]
        self._add_length(points)
        return newly

    def _add_length(self, points: np.ndarray) -> None:
        """Add the window's steps to each run's path length; NaN (diverged) steps count nothing."""
        if self.previous is not None:
            self.length += np.nan_to_num(_norm(points[0] - self.previous))
        if len(points) > 1:
            self.length += np.nansum(_norm(np.diff(points, axis=0)), axis=0)
        self.previous = points[-1].copy()

    def best_loss(self) -> np.ndarray:
        """The lowest loss of each run; NaN for a run with no finite loss."""
        return np.where(np.isinf(self.best), np.nan, self.best)

    def _surely_fine(self, points: np.ndarray, losses: np.ndarray) -> bool:
        """A cheap screen over the window; any doubt goes to the exact check.

        Every coordinate lies in [lo, hi], so if the corners (lo, lo) and (hi, hi) of that square
        are inside the (box-shaped) valid region, every point is. NaN anywhere makes lo or hi NaN.
        """
        if not np.isfinite(np.sum(losses)):
            return False
        lo, hi = points.min(), points.max()
        return not np.any(self.escaped(np.array([[lo, lo], [hi, hi]])))


def _norm(steps: np.ndarray) -> np.ndarray:
    return np.hypot(steps[..., 0], steps[..., 1])
