"""Cached trajectories and contour grids, keyed on plain values so reruns are cheap.

Each run is cached on its own: moving one run's slider recomputes that run only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import landscapes
import optimizers
from optimizers import schedules
from viz.contour import Grid, grid
from viz.palette import RUN_DASHES, RUN_SYMBOLS, run_color
from viz.paths import RunPath
from viz.playground import RunLayers, run_layers

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


@st.cache_data(max_entries=64, show_spinner=False)
def cached_grid(key: LandscapeKey) -> Grid:
    return grid(build_landscape(key))


@dataclass(frozen=True)
class RunResult:
    path: np.ndarray
    loss: np.ndarray
    diverged_at: int


@st.cache_data(max_entries=512, show_spinner=False)
def cached_run(optimizer: str, overrides: tuple, key: LandscapeKey, start: tuple[float, float], steps: int,
               noise: float, seed: int, schedule: str) -> RunResult:
    trajectory = optimizers.run(optimizer, build_landscape(key), start=start, steps=steps, noise=noise, seed=seed,
                                schedule=schedules.make(schedule, steps), **dict(overrides))
    return RunResult(trajectory.path, trajectory.loss, int(trajectory.diverged_at))


def start_of(view: View, landscape: landscapes.Landscape) -> tuple[float, float]:
    return view.start if view.start is not None else tuple(float(v) for v in landscape.start)


def _run_path(label: str, color: int, result: RunResult) -> RunPath:
    return RunPath(label=label, color=run_color(color), path=result.path, loss=result.loss,
                   diverged_at=result.diverged_at, dash=RUN_DASHES[color % len(RUN_DASHES)],
                   symbol=RUN_SYMBOLS[color % len(RUN_SYMBOLS)])


def _each_run(view: View, landscape: landscapes.Landscape, colors: list[int] | None):
    """(cache arguments, label, colour index) for every run of ``view``; the arguments are plain values."""
    key, start = landscape_key(view), start_of(view, landscape)
    for index, run in enumerate(view.runs):
        arguments = (run.optimizer, run.overrides, key, start, view.steps, view.noise, view.seed, view.schedule)
        yield arguments, unique_label(view.runs, index), colors[index] if colors else index


def run_paths(view: View, landscape: landscapes.Landscape, colors: list[int] | None = None) -> list[RunPath]:
    """Every run of ``view`` as a RunPath, computed or taken from the cache."""
    return [_run_path(label, color, cached_run(*arguments))
            for arguments, label, color in _each_run(view, landscape, colors)]


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_layers(arguments: tuple, label: str, color: int) -> RunLayers:
    key, steps = arguments[2], arguments[4]
    path = _run_path(label, color, cached_run(*arguments))
    return run_layers(path, build_landscape(key).minimum_value, steps)


def figure_layers(view: View, landscape: landscapes.Landscape, colors: list[int] | None = None) -> list[RunLayers]:
    """Each run's share of the Playground figure, cached per run like the runs themselves."""
    return [_cached_layers(arguments, label, color) for arguments, label, color in _each_run(view, landscape, colors)]


def unique_label(runs: tuple[RunSpec, ...], index: int) -> str:
    """The run's label, numbered when two runs would otherwise read the same."""
    label = runs[index].label
    same = [i for i, run in enumerate(runs) if run.label == label]
    return label if len(same) == 1 else f"{label} #{same.index(index) + 1}"
