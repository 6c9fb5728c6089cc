"""Hyperparameter sweeps: a whole grid of runs as one broadcast call of the runner.

A map sweeps two hyperparameters of one optimizer: the y values go down the rows (shape
``(ny, 1)``), the x values along the columns (``(1, nx)``), so every summary is ``(ny, nx)``.
Robustness curves sweep the learning rate of several optimizers, over several noise seeds.
Only summaries are kept (``keep_path=False``), so memory stays bounded whatever the step count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .registry import get
from .runner import run

Progress = Callable[[float], None]

# Rows are run in chunks of about this many cells: the progress bar moves per chunk as well as
# within one, and the runner's working arrays stay a few megabytes however large the grid.
CHUNK_CELLS = 10_000


class Axis(NamedTuple):
    """The values a map takes for one hyperparameter: ``count`` from ``low`` to ``high``."""

    name: str
    low: float
    high: float
    count: int
    log: bool

    def values(self) -> np.ndarray:
        """Evenly spaced from ``low`` to ``high`` (geometrically where ``log``)."""
        if self.count < 1:
            raise ValueError(f"{self.name}: count must be ≥ 1, got {self.count}")
        if self.log and not 0 < self.low <= self.high:
            raise ValueError(f"{self.name}: a log axis needs 0 < low ≤ high, got [{self.low:g}, {self.high:g}]")
        return (np.geomspace if self.log else np.linspace)(self.low, self.high, self.count)


def default_axis(optimizer: str, name: str, count: int = 50) -> Axis:
    """The hyperparameter's slider range, log-spaced where its spec says so."""
    h = get(optimizer).hyperparameter(name)
    if h.kind == "bool" or h.slider is None:
        raise ValueError(f"{optimizer}.{name} cannot be swept; sweepable: {', '.join(sweepable(optimizer))}")
    return Axis(name, float(h.slider[0]), float(h.slider[1]), count, h.log)


def sweepable(optimizer: str) -> tuple[str, ...]:
    """The hyperparameters of ``optimizer`` that take a range of numbers."""
    return tuple(h.name for h in get(optimizer).hyperparameters if h.kind != "bool" and h.slider is not None)


def _part(progress: Progress | None, done: float, share: float) -> Progress | None:
    """A callback for one call that covers ``share`` of the work after ``done``, reporting overall fractions."""
    if progress is None:
        return None
    return lambda fraction: progress(done + share * fraction)


def _gap_floor(landscape) -> float:
    """f* where it is known, so losses read as gaps f − f*; 0 (the loss itself) otherwise."""
    return landscape.minimum_value if landscape.minimum_value is not None else 0.0


@dataclass(frozen=True)
class SweepMap:
    """One optimizer over a grid of two hyperparameters; every array is ``(len(y), len(x))``.

    ``gap`` is the final f − f* (the final loss where f* is unknown); ``steps_to_tolerance`` the
    first step with gap ≤ ``tolerance`` (NaN if never); ``distance`` from the final point to the
    nearest minimum. All three are NaN where the run diverged (``diverged_at`` ≥ 0).
    """

    optimizer: str
    x: Axis
    y: Axis
    x_values: np.ndarray
    y_values: np.ndarray
    settings: dict[str, Any]
    start: tuple[float, float]
    steps: int
    tolerance: float
    final_loss: np.ndarray
    gap: np.ndarray
    steps_to_tolerance: np.ndarray
    distance: np.ndarray
    diverged_at: np.ndarray

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0

    def cell_settings(self, row: int, column: int) -> dict[str, Any]:
        """Every hyperparameter of the run in cell (row, column)."""
        return {**self.settings, self.x.name: float(self.x_values[column]), self.y.name: float(self.y_values[row])}

    def nearest_cell(self, x: float, y: float) -> tuple[int, int]:
        """(row, column) of the cell whose centre is closest to (x, y), in each axis' own scale."""
        return _nearest(self.y_values, y, self.y.log), _nearest(self.x_values, x, self.x.log)


def _nearest(values: np.ndarray, value: float, log: bool) -> int:
    if log:
        values, value = np.log(values), np.log(max(value, np.finfo(float).tiny))
    return int(np.argmin(np.abs(values - value)))


METRICS = ("gap", "steps_to_tolerance", "distance")


def best_cell(sweep: SweepMap, metric: str) -> tuple[int, int] | None:
    """(row, column) of the lowest ``metric`` (ties go to the lower final gap); None if no cell has one."""
    values = getattr(sweep, metric)
    valid = np.isfinite(values)
    if not valid.any():
        return None
    order = np.lexsort((np.where(valid, sweep.gap, np.inf).ravel(), np.where(valid, values, np.inf).ravel()))
    return tuple(int(i) for i in np.unravel_index(order[0], values.shape))


def sweep_map(optimizer: str, landscape, x: Axis, y: Axis, *, start: Sequence[float] | None = None,
              steps: int = 500, settings: Mapping[str, Any] | None = None, tolerance: float = 1e-3,
              chunk_cells: int = CHUNK_CELLS, progress: Progress | None = None) -> SweepMap:
    """Run ``optimizer`` at every (x, y) of the grid: one broadcast runner call per chunk of rows.

    ``settings`` fixes the other hyperparameters (defaults otherwise); ``tolerance`` is on the gap
    f − f*. Results do not depend on ``chunk_cells``: runs in a batch never interact.
    """
    if x.name == y.name:
        raise ValueError(f"the two axes must be different hyperparameters, got {x.name!r} twice")
    fixed = {k: v for k, v in (settings or {}).items() if k not in (x.name, y.name)}
    start = tuple(float(v) for v in (landscape.start if start is None else start))
    xs, ys = x.values(), y.values()
    floor = _gap_floor(landscape)
    rows_per_chunk = max(1, chunk_cells // len(xs))
    parts = []
    for first in range(0, len(ys), rows_per_chunk):
        rows = ys[first:first + rows_per_chunk]
        trajectory = run(optimizer, landscape, start=start, steps=steps, keep_path=False, tolerance=floor + tolerance,
                         progress=_part(progress, first / len(ys), len(rows) / len(ys)),
                         **fixed, **{x.name: xs[np.newaxis, :], y.name: rows[:, np.newaxis]})
        parts.append(trajectory)
    if progress is not None:
        progress(1.0)
    diverged_at = np.concatenate([p.diverged_at for p in parts])
    final_loss = np.concatenate([p.final_loss for p in parts])
    reached = np.concatenate([p.steps_to_tolerance for p in parts]).astype(np.float64)
    dead = diverged_at >= 0
    return SweepMap(
        optimizer=optimizer, x=x, y=y, x_values=xs, y_values=ys,
        settings={k: v for k, v in get(optimizer).settings(**fixed).items() if k not in (x.name, y.name)},
        start=start, steps=steps, tolerance=tolerance,
        final_loss=final_loss,
        gap=final_loss - floor,
        steps_to_tolerance=np.where((reached < 0) | dead, np.nan, reached),
        distance=np.concatenate([p.distance_to_minimum for p in parts]),
        diverged_at=diverged_at,
    )


@dataclass(frozen=True)
class RobustnessCurves:
    """Final gap f − f* against the learning rate for several optimizers and noise seeds.

    ``gap`` is ``(optimizers, seeds, lrs)`` with +inf where a run diverged (worse than any finite
    gap, so medians and quantiles order it correctly); ``median``, ``low`` and ``high`` are
    ``(optimizers, lrs)``: the median over seeds and the band between two observed quantiles.
    """

    optimizers: tuple[str, ...]
    lrs: np.ndarray
    seeds: tuple[int, ...]
    noise: float
    start: tuple[float, float]
    steps: int
    band: float
    gap: np.ndarray
    diverged_at: np.ndarray
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def best_lr(self, index: int) -> float | None:
        """The learning rate with the lowest median gap for optimizer ``index`` (None if all diverged)."""
        median = self.median[index]
        return float(self.lrs[int(np.argmin(median))]) if np.isfinite(median).any() else None

    def working_decades(self, index: int, tolerance: float) -> float:
        """How many decades of lr give a median gap ≤ ``tolerance`` (0 if none do)."""
        good = self.lrs[self.median[index] <= tolerance]
        return float(np.log10(good.max() / good.min())) if good.size else 0.0


def robustness_curves(optimizers: Sequence[str], landscape, lr: Axis, *, start: Sequence[float] | None = None,
                      steps: int = 500, noise: float = 0.0, seeds: Sequence[int] = (0,), band: float = 0.25,
                      progress: Progress | None = None) -> RobustnessCurves:
    """Each optimizer (at its defaults) over the lr grid × seeds: one batched call per optimizer.

    The band runs from the ``band`` to the ``1 − band`` quantile over seeds, each an observed gap.
    """
    if lr.name != "lr":
        raise ValueError(f"robustness curves sweep lr, got an axis of {lr.name!r}")
    if not optimizers:
        raise ValueError("give at least one optimizer")
    if not 0.0 <= band <= 0.5:
        raise ValueError(f"band must be in [0, 0.5], got {band:g}")
    seeds = tuple(int(s) for s in seeds) if noise > 0 else (0,)
    start = tuple(float(v) for v in (landscape.start if start is None else start))
    lrs, floor = lr.values(), _gap_floor(landscape)
    gaps, diverged = [], []
    for k, name in enumerate(optimizers):
        trajectory = run(name, landscape, start=start, steps=steps, noise=noise, seed=np.array(seeds)[:, np.newaxis],
                         keep_path=False, progress=_part(progress, k / len(optimizers), 1 / len(optimizers)), lr=lrs)
        gaps.append(np.where(trajectory.diverged_at >= 0, np.inf, trajectory.final_loss - floor))
        diverged.append(trajectory.diverged_at)
    if progress is not None:
        progress(1.0)
    gap = np.reshape(gaps, (len(optimizers), len(seeds), len(lrs)))
    return RobustnessCurves(
        optimizers=tuple(optimizers), lrs=lrs, seeds=seeds, noise=float(noise), start=start, steps=steps, band=band,
        gap=gap, diverged_at=np.reshape(diverged, gap.shape),
        median=np.median(gap, axis=1),
        low=np.quantile(gap, band, axis=1, method="lower"),
        high=np.quantile(gap, 1.0 - band, axis=1, method="higher"),
    )
