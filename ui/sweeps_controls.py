"""The Sweeps page's controls: the shared problem, a map's two axes and metric, the curves' optimizers.

Every widget key starts with ``sweeps_``; values are initialised through session state before the
widget renders. Each control group returns plain values for a request in ``ui.sweeps_view``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import landscapes
import optimizers
from optimizers.sweeps import Axis, sweepable
from viz.sweeps import METRIC_LABELS, axis_label

from . import presentation
from .controls import fmt, hyperparameter_input, options
from .problem_controls import problem_controls as shared_problem_controls
from .runs import LandscapeKey
from .share import BIND, bound_default
from .sweeps_view import CurvesRequest, MapRequest
from .view import MAX_RUNS, link_number

MODES = ("Map", "Robustness curves")
STEPS = (50, 100, 200, 300, 500, 1000, 2000, 3000, 5000)
CELLS = (5, 10, 20, 30, 50, 75, 100, 150, 200)
POINTS = (10, 20, 30, 40, 60, 80, 100)
TOLERANCES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8)
NOISE = (0.0, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
# Where each knob is worth looking; β2's interesting range is its top decade.
DEFAULT_RANGES = {"lr": (1e-4, 10.0), "beta1": (0.0, 0.99), "beta": (0.0, 0.99), "momentum": (0.0, 0.99),
                  "beta2": (0.9, 0.9999), "eps": (1e-12, 1e-2), "weight_decay": (1e-4, 1.0)}
CURVE_OPTIMIZERS = ["sgd", "momentum", "rmsprop", "adam"]


def mode() -> str:
    st.session_state.setdefault("sweeps_mode", MODES[0])
    return st.segmented_control("Mode", MODES, key="sweeps_mode", required=True, label_visibility="collapsed",
                                bind=BIND)


def _label(optimizer: str, name: str) -> str:
    return axis_label(name, optimizers.get(optimizer).hyperparameter(name).symbol)


def problem_controls() -> tuple[LandscapeKey, tuple[float, float], int, landscapes.Landscape]:
    """Landscape (and its parameters), start and steps: what every run of the sweep shares."""
    return shared_problem_controls("sweeps", STEPS, 1000)


class LinkAxis(Axis):
    """An axis whose values are as a Playground link writes them, so a cell's link replays that cell exactly."""

    __slots__ = ()

    def values(self) -> np.ndarray:
        return np.array([link_number(v) for v in super().values()])


def _axis_range(optimizer: str, name: str, count: int, key: str) -> Axis | None:
    """A select-slider over the knob's usual values for the two ends of the axis; None if they meet."""
    h = optimizers.get(optimizer).hyperparameter(name)
    choices = [v for v in options(h, h.default) if v > 0 or not h.log]
    ends = DEFAULT_RANGES.get(name, (choices[0], choices[-1]))
    # A range select-slider must get its default as `value` (never through session state): Streamlit
    # reads the widget's two-valued shape from it on every run.
    default = tuple(min(choices, key=lambda v, end=end: abs(v - end)) for end in ends)
    low, high = st.select_slider(f"{_label(optimizer, name)} from … to", choices, value=default, key=key,
                                 format_func=fmt, help=f"{h.help}; {'log' if h.log else 'evenly'}-spaced",
                                 bind=BIND)
    return LinkAxis(name, low, high, count, h.log) if low < high else None


def _axis_name(optimizer: str, role: str, names: tuple[str, ...], default: str) -> str:
    key = f"sweeps_{optimizer}_{role}"
    if st.session_state.get(key) not in names:
        st.session_state[key] = default if default in names else names[0]
    return st.selectbox(f"{role} axis", names, key=key, format_func=lambda n: _label(optimizer, n),
                        bind=BIND)


def map_controls(problem, lesson=None) -> MapRequest | None:
    """Optimizer, the two swept knobs and their ranges, grid size, the others fixed; None if a range is empty.

    The optimizer goes to ``lesson`` (a main-area place, when presenting) instead of the sidebar.
    """
    landscape_key, start, steps, _ = problem
    (where,) = presentation.lesson_slots(lesson, [1])
    optimizer = where.selectbox("Optimizer", optimizers.names(), key="sweeps_optimizer", bind=BIND,
                                index=optimizers.names().index(bound_default("sweeps_optimizer", "adam")),
                                format_func=lambda name: optimizers.get(name).label)
    names = sweepable(optimizer)
    count = st.select_slider("Cells per side", CELLS, key="sweeps_cells", bind=BIND,
                             value=bound_default("sweeps_cells", 50))
    x_name = _axis_name(optimizer, "x", names, "lr")
    x = _axis_range(optimizer, x_name, count, f"sweeps_{optimizer}_{x_name}_range")
    y_names = tuple(n for n in names if n != x_name)
    y_name = _axis_name(optimizer, "y", y_names, y_names[0])
    y = _axis_range(optimizer, y_name, count, f"sweeps_{optimizer}_{y_name}_range")
    settings = _fixed_settings(optimizer, (x_name, y_name))
    tolerance = st.select_slider("Tolerance on f − f*", TOLERANCES, key="sweeps_tolerance", format_func=fmt,
                                 bind=BIND, value=bound_default("sweeps_tolerance", 1e-3),
                                 help="For the metric “steps to tolerance”.")
    if x is None or y is None:
        return None
    return MapRequest(landscape_key, start, steps, optimizer, x, y, settings, tolerance)


def _fixed_settings(optimizer: str, swept: tuple[str, str]) -> tuple[tuple[str, float | bool], ...]:
    spec = optimizers.get(optimizer)
    fixed = [h for h in spec.hyperparameters if h.name not in swept]
    with st.expander("Other hyperparameters (fixed)"):
        for h in fixed:
            hyperparameter_input(h, f"sweeps_{optimizer}_{h.name}", bind=BIND)
    return tuple((h.name, st.session_state[f"sweeps_{optimizer}_{h.name}"]) for h in fixed)


def metric_control(landscape: landscapes.Landscape) -> str:
    """Which number colours the map; distance only where the landscape has known minima."""
    metrics = [m for m in METRIC_LABELS if m != "distance" or landscape.minima]
    if st.session_state.get("sweeps_metric") not in metrics:
        st.session_state.sweeps_metric = metrics[0]
    return st.segmented_control("Colour by", metrics, key="sweeps_metric", required=True,
                                format_func=METRIC_LABELS.get, label_visibility="collapsed", bind=BIND)


def curves_controls(problem, lesson=None) -> CurvesRequest | None:
    """Optimizers (at their defaults but α), the α range and resolution, noise and seeds; None if empty.

    The optimizers go to ``lesson`` (a main-area place, when presenting) instead of the sidebar.
    """
    landscape_key, start, steps, _ = problem
    (where,) = presentation.lesson_slots(lesson, [1])
    chosen = where.multiselect("Optimizers", optimizers.names(), key="sweeps_curve_optimizers",
                               default=bound_default("sweeps_curve_optimizers", CURVE_OPTIMIZERS),
                               max_selections=MAX_RUNS, format_func=lambda name: optimizers.get(name).label,
                               bind=BIND)
    count = st.select_slider("Learning rates per curve", POINTS, key="sweeps_points", bind=BIND,
                             value=bound_default("sweeps_points", 40))
    lr = _axis_range("sgd", "lr", count, "sweeps_curve_lr")
    noise = st.select_slider("Gradient noise σ", NOISE, key="sweeps_noise", format_func=fmt, bind=BIND,
                             value=bound_default("sweeps_noise", 0.0),
                             help="Adds σ·N(0, I) to every gradient; each seed draws its own noise.")
    seeds = st.slider("Seeds", 1, 20, key="sweeps_seeds", disabled=noise == 0, bind=BIND,
                      value=bound_default("sweeps_seeds", 8),
                      help="With noise: runs per learning rate; the line is their median, the band the middle half.")
    st.select_slider("Works if f − f* ≤", TOLERANCES, key="sweeps_curve_tolerance", format_func=fmt, bind=BIND,
                     value=bound_default("sweeps_curve_tolerance", 1e-3),
                     help="For the table: over how many decades of α does the median get this close?")
    if not chosen or lr is None:
        return None
    return CurvesRequest(landscape_key, start, steps, tuple(chosen), lr, float(noise), int(seeds))


def axis_labels(request: MapRequest) -> tuple[str, str]:
    return _label(request.optimizer, request.x.name), _label(request.optimizer, request.y.name)


def optimizer_label(name: str) -> str:
    return optimizers.get(name).label
