"""Cached trajectories and contour grids, keyed on plain values so reruns are cheap.

Each run is cached on its own: moving one run's slider recomputes that run only. The caches are
in-process LRU caches shared by every session (``shared_cache``), not ``st.cache_data``: Streamlit's
cache hashes every argument on every call and unpickles a private copy on every hit, about 4 ms of
the ~65 ms of server CPU a Playground slider move cost (py-spy, benchmarks/load.py). These
functions take tuples, strings and numbers, whose own hash is the key, and return values nobody
modifies (frozen dataclasses, read-only arrays), so one copy serves every session.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from streamlit import runtime

import landscapes
import optimizers
from optimizers import schedules
from viz.backdrop import backdrop_image, contour_png
from viz.contour import Grid, grid
from viz.palette import RUN_DASHES, RUN_SYMBOLS, run_color
from viz.paths import RunPath
from viz.playground import RunLayers, run_layers
from viz.tables import DIVERGED, LEFT_DOMAIN, RunSummary

from .view import CUSTOM, RunSpec, View

LandscapeKey = tuple[str, tuple[tuple[str, float], ...], str]


def landscape_key(view: View) -> LandscapeKey:
    return view.landscape, view.landscape_params, view.expression if view.landscape == CUSTOM else ""


def build_landscape(key: LandscapeKey) -> landscapes.Landscape:
    """The landscape a key names; a custom expression is parsed safely (ValueError if invalid)."""
    name, params, expression = key
    if name == CUSTOM:
        return landscapes.from_expression(expression)
    return landscapes.get(name, **dict(params))


def shared_cache(max_entries: int):
    """An LRU cache of ``max_entries`` results shared by every session; see the module's docstring."""
    return functools.lru_cache(maxsize=max_entries)


def read_only(*arrays: np.ndarray) -> None:
    """A cached result is shared: writing into it would change every session's view."""
    for array in arrays:
        array.setflags(write=False)


@shared_cache(max_entries=64)
def cached_grid(key: LandscapeKey) -> Grid:
    result = grid(build_landscape(key))
    read_only(result.x, result.y, result.z)
    return result


BACKDROP_RESOLUTION = 480
TOLERANCE = 1e-3  # the table's "steps to tolerance": f − f* ≤ TOLERANCE (f ≤ TOLERANCE where f* is unknown)


@shared_cache(max_entries=64)
def _backdrop_png(key: LandscapeKey) -> bytes:
    return contour_png(grid(build_landscape(key), BACKDROP_RESOLUTION))


def backdrop(key: LandscapeKey, bounds) -> dict:
    """The landscape picture as a layout image, served as a media file: the figure carries its URL only."""
    data = _backdrop_png(key)
    source = runtime.get_instance().media_file_mgr.add(data, "image/png", "playground.backdrop")
    return backdrop_image(source, bounds)


@dataclass(frozen=True)
class RunResult:
    """A trajectory and the engine's summaries of it (``steps_to_tolerance`` −1 for never)."""

    path: np.ndarray
    loss: np.ndarray
    diverged_at: int
    final_loss: float
    best_loss: float
    steps_to_tolerance: int
    distance_to_minimum: float
    path_length: float


@shared_cache(max_entries=512)
def cached_run(optimizer: str, overrides: tuple, key: LandscapeKey, start: tuple[float, float], steps: int,
               noise: float, seed: int, schedule: str) -> RunResult:
    landscape = build_landscape(key)
    tolerance = TOLERANCE + (landscape.minimum_value or 0.0)
    t = optimizers.run(optimizer, landscape, start=start, steps=steps, noise=noise, seed=seed, tolerance=tolerance,
                       schedule=schedules.make(schedule, steps), **dict(overrides))
    read_only(t.path, t.loss)
    return RunResult(t.path, t.loss, int(t.diverged_at), float(t.final_loss), float(t.best_loss),
                     int(t.steps_to_tolerance), float(t.distance_to_minimum), float(t.path_length))


def start_of(view: View, landscape: landscapes.Landscape) -> tuple[float, float]:
    return view.start if view.start is not None else tuple(float(v) for v in landscape.start)


def styled_path(label: str, color: int, path: np.ndarray, loss: np.ndarray, diverged_at: int) -> RunPath:
    """A run's path in its palette slot's colour, dash and marker."""
    return RunPath(label=label, color=run_color(color), path=path, loss=loss, diverged_at=diverged_at,
                   dash=RUN_DASHES[color % len(RUN_DASHES)], symbol=RUN_SYMBOLS[color % len(RUN_SYMBOLS)])


def _run_path(label: str, color: int, result: RunResult) -> RunPath:
    return styled_path(label, color, result.path, result.loss, result.diverged_at)


def each_run(view: View, landscape: landscapes.Landscape, colors: list[int] | None):
    """(cache arguments, label, colour index) for every run of ``view``; the arguments are plain values."""
    key, start = landscape_key(view), start_of(view, landscape)
    for index, run in enumerate(view.runs):
        arguments = (run.optimizer, run.overrides, key, start, view.steps, view.noise, view.seed, view.schedule)
        yield arguments, unique_label(view.runs, index), colors[index] if colors else index


def run_paths(view: View, landscape: landscapes.Landscape, colors: list[int] | None = None) -> list[RunPath]:
    """Every run of ``view`` as a RunPath, computed or taken from the cache."""
    return [_run_path(label, color, cached_run(*arguments))
            for arguments, label, color in each_run(view, landscape, colors)]


def same_paths(results: list[RunResult], labels: list[str]) -> list[str | None]:
    """For each run, the label of an earlier run whose path is the same (to 1e-12), else None:
    e.g. AdamW with λ = 0 lies exactly on Adam, and one line would hide the other without a word."""
    same: list[str | None] = []
    for index, result in enumerate(results):
        twin = next((labels[other] for other in range(index)
                     if results[other].path.shape == result.path.shape
                     and np.allclose(results[other].path, result.path, rtol=1e-12, atol=1e-12, equal_nan=True)), None)
        same.append(twin)
    return same


def outcome(result: RunResult, landscape: landscapes.Landscape, typed: bool) -> str:
    """What a divergence was: a typed function's domain left (the last point still near the view, where
    only an undefined f can have stopped the run) or a blow-up."""
    if not typed or result.diverged_at < 1:
        return DIVERGED
    last = result.path[result.diverged_at - 1]
    near = np.all(np.abs(last - landscape.center) <= 10 * landscape.span)
    return LEFT_DOMAIN if near else DIVERGED


@dataclass(frozen=True)
class Runs:
    """Everything the Playground shows about its runs: figure layers and table rows, in run order."""

    layers: list[RunLayers]
    summaries: list[RunSummary]


@shared_cache(max_entries=256)
def _cached_layers(arguments: tuple, label: str, color: int, ending: str) -> RunLayers:
    key, steps = arguments[2], arguments[4]
    landscape = build_landscape(key)
    path = _run_path(label, color, cached_run(*arguments))
    return run_layers(path, landscape.minimum_value, steps, landscape.bounds, ending)


def playground_runs(view: View, landscape: landscapes.Landscape, colors: list[int] | None = None) -> Runs:
    """The layers and summaries of every run; each run's computation and layers are cached on their own."""
    each = list(each_run(view, landscape, colors))
    results = [cached_run(*arguments) for arguments, _, _ in each]
    labels = [label for _, label, _ in each]
    twins = same_paths(results, labels)
    typed = view.landscape == CUSTOM
    layers, summaries = [], []
    for (arguments, label, color), result, twin in zip(each, results, twins, strict=True):
        ending = outcome(result, landscape, typed)
        shown = f"{label} — same path as {twin}" if twin else label
        layers.append(_cached_layers(arguments, shown, color, ending))
        summaries.append(RunSummary(label, result.final_loss, result.best_loss, result.steps_to_tolerance,
                                    result.distance_to_minimum, result.path_length, result.diverged_at, ending, twin))
    return Runs(layers, summaries)


def unique_label(runs: tuple[RunSpec, ...], index: int) -> str:
    """The run's label, numbered when two runs would otherwise read the same."""
    label = runs[index].label
    same = [i for i, run in enumerate(runs) if run.label == label]
    return label if len(same) == 1 else f"{label} #{same.index(index) + 1}"


def clear_caches() -> None:
    """Empty this module's caches (a benchmark's cold start)."""
    for cached in (cached_grid, _backdrop_png, cached_run, _cached_layers):
        cached.cache_clear()
