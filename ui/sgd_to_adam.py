"""The SGD → Adam page: one ill-conditioned valley, four optimizers, each in its own panel.

The rotated valley is the axis-aligned one turned by 45°, start included, so it is the same
problem: SGD and Momentum take the same path turned with it; RMSprop and Adam do not, since they
scale each coordinate axis separately.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import landscapes
import optimizers
from viz.contour import Grid, grid
from viz.panels import panel_figure
from viz.paths import RunPath

from .controls import fmt, hyperparameter_input
from .presentation import chart
from .runs import LandscapeKey, build_landscape
from .share import BIND, bound_default
from .view import RunSpec, View

PREFIX = "sgd_to_adam"
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
DEFAULT_LR = {"sgd": 0.035, "momentum": 0.2, "rmsprop": 0.02, "adam": 0.05}
VALLEYS = {"axis-aligned": 0.0, "rotated 45°": 45.0}
CONDITIONS = (5.0, 10.0, 20.0, 50.0, 100.0)
STEPS = (25, 50, 100, 200, 500)
START = (-1.8, 0.6)
PANEL_GRID = 100
WHAT_IT_ADDS = {
    "sgd": "The baseline: a step straight down the gradient. The steep direction caps α, so the shallow one crawls.",
    "momentum": "Adds an average of past gradients (an EMA): zigzags across the valley cancel out, "
                "steady progress along it builds up.",
    "rmsprop": "Adds a step size per axis: each coordinate is divided by the root of its own mean squared gradient. "
               "That undoes a valley only when it lines up with the axes.",
    "adam": "Momentum's averaged direction over RMSprop's per-axis scale, both bias-corrected, "
            "so its first step is α·sign(g) on every axis.",
}


def lr_key(optimizer: str) -> str:
    return f"{PREFIX}_lr_{optimizer}"


def landscape_controls() -> None:
    """The valley's orientation, its condition number κ and the number of steps, in one row."""
    for optimizer in OPTIMIZERS:  # current_view reads every α before the panels draw their sliders
        bound_default(lr_key(optimizer), DEFAULT_LR[optimizer])
    valley, condition, steps = st.columns([1.2, 1, 1])
    valley.radio("valley", list(VALLEYS), key=f"{PREFIX}_valley", horizontal=True, bind=BIND,
                 index=list(VALLEYS).index(bound_default(f"{PREFIX}_valley", "axis-aligned")),
                 help="the same valley and start, turned by 45°")
    condition.select_slider("condition κ", CONDITIONS, key=f"{PREFIX}_condition", format_func=fmt, bind=BIND,
                            value=bound_default(f"{PREFIX}_condition", 50.0),
                            help="how much steeper the valley's walls are than its floor")
    steps.select_slider("steps", STEPS, key=f"{PREFIX}_steps", bind=BIND, value=bound_default(f"{PREFIX}_steps", 100))


def rotated(point: tuple[float, float], degrees: float) -> tuple[float, float]:
    """``point`` turned counter-clockwise about the origin, as the quadratic's ``angle`` turns the valley."""
    phi = np.deg2rad(degrees)
    x, y = point
    return float(x * np.cos(phi) - y * np.sin(phi)), float(x * np.sin(phi) + y * np.cos(phi))


def current_view() -> View:
    """The four runs as a Playground view: one per optimizer, each with its own α."""
    state = st.session_state
    angle = VALLEYS[state[f"{PREFIX}_valley"]]
    return View(
        landscape="quadratic", landscape_params=(("condition", float(state[f"{PREFIX}_condition"])), ("angle", angle)),
        start=rotated(START, angle), steps=int(state[f"{PREFIX}_steps"]),
        runs=tuple(RunSpec.of(optimizer, lr=float(state[lr_key(optimizer)])) for optimizer in OPTIMIZERS),
    )


@st.cache_data(max_entries=32, show_spinner=False)
def cached_panel_grid(key: LandscapeKey) -> Grid:
    """A coarser grid than the Playground's: four panels share the screen."""
    return grid(build_landscape(key), resolution=PANEL_GRID)


def panel(path: RunPath, optimizer: str, landscape: landscapes.Landscape, g: Grid, start) -> None:
    """One optimizer: its path (left) beside its update rule, what it adds, and its α."""
    spec = optimizers.get(optimizer)
    figure_column, text_column = st.columns([1.1, 1], vertical_alignment="top")
    with figure_column:
        chart(panel_figure(landscape, g, path, start, spec.label), key=f"{PREFIX}_chart_{optimizer}",
              config={"displaylogo": False})
    with text_column:
        # \small: four rules share the screen; Adam's m and v go on separate lines to fit.
        st.latex(r"\small " + spec.update_rule.replace(r"\qquad", r"\\", 1))
        st.caption(WHAT_IT_ADDS[optimizer])
        hyperparameter_input(spec.hyperparameter("lr"), lr_key(optimizer), bind=BIND, default=DEFAULT_LR[optimizer])
