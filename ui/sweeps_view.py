"""What a sweep asks for, as plain values, and the Playground views that replay its cells.

No widgets here: the requests are the cache keys, and a cell's link is testable without a page.
"""

from __future__ import annotations

from typing import NamedTuple

from optimizers.sweeps import Axis, RobustnessCurves, SweepMap
from optimizers.sweeps import robustness_curves as _robustness_curves
from optimizers.sweeps import sweep_map as _sweep_map

from .runs import LandscapeKey, build_landscape
from .view import MAX_RUNS, RunSpec, View


class MapRequest(NamedTuple):
    landscape: LandscapeKey
    start: tuple[float, float]
    steps: int
    optimizer: str
    x: Axis
    y: Axis
    settings: tuple[tuple[str, float | bool], ...]
    tolerance: float

    @property
    def cells(self) -> int:
        return self.x.count * self.y.count


class CurvesRequest(NamedTuple):
    landscape: LandscapeKey
    start: tuple[float, float]
    steps: int
    optimizers: tuple[str, ...]
    lr: Axis
    noise: float
    seeds: int

    @property
    def runs(self) -> int:
        return len(self.optimizers) * self.lr.count * (self.seeds if self.noise > 0 else 1)


def compute_map(request: MapRequest, progress=None) -> SweepMap:
    return _sweep_map(request.optimizer, build_landscape(request.landscape), request.x, request.y,
                      start=request.start, steps=request.steps, settings=dict(request.settings),
                      tolerance=request.tolerance, progress=progress)


def compute_curves(request: CurvesRequest, progress=None) -> RobustnessCurves:
    return _robustness_curves(request.optimizers, build_landscape(request.landscape), request.lr,
                              start=request.start, steps=request.steps, noise=request.noise,
                              seeds=range(request.seeds), progress=progress)


def _view(landscape: LandscapeKey, start, steps: int, runs, noise: float = 0.0) -> View:
    name, params, expression = landscape
    return View(landscape=name, landscape_params=params, expression=expression, start=tuple(start), steps=steps,
                noise=noise, runs=tuple(runs))


def cell_view(request: MapRequest, sweep: SweepMap, row: int, column: int) -> View:
    """The Playground view that replays cell (row, column): same landscape, start, steps and settings."""
    run = RunSpec.of(request.optimizer, **sweep.cell_settings(row, column))
    return _view(request.landscape, request.start, request.steps, [run])


def best_lrs_view(request: CurvesRequest, curves: RobustnessCurves) -> View | None:
    """Each optimizer (up to the Playground's limit) at the lr of its lowest median gap; None if all diverged."""
    runs = [RunSpec.of(name, lr=lr) for k, name in enumerate(curves.optimizers)
            if (lr := curves.best_lr(k)) is not None][:MAX_RUNS]
    if not runs:
        return None
    return _view(request.landscape, request.start, request.steps, runs, request.noise)
