"""The per-run summaries of a batch, settled one window of consecutive path rows at a time."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Value = Callable[[np.ndarray], np.ndarray]
Escaped = Callable[[np.ndarray], np.ndarray]


class Ledger:
    """Divergence, best loss, first step within tolerance and (if measured) path length of every run.

    A window is checked after it was computed: a run's first bad row is where it diverged, and
    everything from there on is set to NaN, exactly as if it had been stopped on the spot
    (runs never interact, and NaN stays NaN through every update rule).
    """

    def __init__(self, batch: tuple[int, ...], value: Value, escaped: Escaped, tolerance: float | None,
                 measure_length: bool = True):
        self.value, self.escaped, self.tolerance = value, escaped, tolerance
        self.diverged_at = np.full(batch, -1, dtype=np.int64)
        self.reached = np.full(batch, -1, dtype=np.int64) if tolerance is not None else None
        self.best = np.full(batch, np.inf)
        self.length = np.zeros(batch) if measure_length else None
        self.previous: np.ndarray | None = None  # the last point of the previous window
        self._steps: np.ndarray | None = None
        self._lengths: np.ndarray | None = None

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
        if self.length is not None:
            self._add_length(points)
        return newly

    def _add_length(self, points: np.ndarray) -> None:
        """Add the window's steps, the one into it included, to each run's path length.

        NaN (diverged) steps count nothing. The steps go through buffers kept from window to window:
        fresh ones cost page faults each time, and made this 40% of a 10,000-run summary batch.
        """
        rows = len(points)
        if self._steps is None or len(self._steps) < rows:
            self._steps, self._lengths = np.empty_like(points), np.empty(points.shape[:-1])
        steps, lengths = self._steps[:rows], self._lengths[:rows]
        np.subtract(points[0], points[0] if self.previous is None else self.previous, out=steps[0])
        np.subtract(points[1:], points[:-1], out=steps[1:])
        np.square(steps, out=steps)
        # √(dx² + dy²), not np.hypot: libm's hypot has no SIMD kernel and is several times slower. Points
        # that did not diverge lie within ESCAPE_VIEWS view-widths of the view, so no square overflows.
        np.add(steps[..., 0], steps[..., 1], out=lengths)
        np.sqrt(lengths, out=lengths)
        self.length += np.nansum(lengths, axis=0) if np.any(self.diverged_at >= 0) else lengths.sum(axis=0)
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

