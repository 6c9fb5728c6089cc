"""The Fair fight page's controls, its view in the URL, and the cached, progress-reporting computation.

Every widget key starts with ``ff_``. The view lives in the query string (``landscape``, its
parameters, ``opt``, ``steps``, ``budget``, ``seed``, ``x0``, ``y0``); a value that cannot be read
is dropped with a note, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import streamlit as st

import landscapes
import optimizers
from optimizers.tuning import FairFight, draw_settings, fair_fight

from .controls import fmt, log_grid
from .runs import LandscapeKey, build_landscape
from .sweeps_runs import ProgressBar
from .view import View, link_number

STEPS = (100, 200, 300, 500, 1000, 2000)
BUDGETS = (8, 16, 32, 64, 128, 256)
DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
MAX_OPTIMIZERS = 6
# Runs × steps from which the computation shows a progress bar (about a quarter second here).
PROGRESS_WORK = 300_000


@dataclass(frozen=True)
class FightRequest:
    """Everything the fight depends on, as plain values (the cache key)."""

    landscape: LandscapeKey
    start: tuple[float, float]
    steps: int
    budget: int
    seed: int
    optimizers: tuple[str, ...]

    @property
    def runs(self) -> int:
        return self.budget * len(self.optimizers)


def linkable_draws(optimizer: str, budget: int, seed: int) -> dict[str, np.ndarray]:
    """The engine's draws, written as a Playground link writes numbers, so a tuned run replays exactly."""
    return {name: np.array([link_number(v) for v in values])
            for name, values in draw_settings(optimizer, budget, seed).items()}


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_fight(request: FightRequest, _progress=None) -> FairFight:
    return fair_fight(request.optimizers, build_landscape(request.landscape), start=request.start,
                      steps=request.steps, budget=request.budget, seed=request.seed, draw=linkable_draws,
                      progress=_progress)


def compute(request: FightRequest, slot) -> FairFight:
    """The fight for ``request``, from the cache or computed with a progress bar in ``slot``."""
    bar = ProgressBar(slot, request.runs, request.steps) if request.runs * request.steps >= PROGRESS_WORK else None
    fight = _cached_fight(request, bar)
    if bar is not None:
        bar.finish()
    return fight


def _read_query(query: Mapping[str, str | list[str]]) -> tuple[dict, list[str]]:
    """Widget values from the query string, and a note for each value that could not be used."""
    values, notes = {}, []

    def number(key: str, cast, valid) -> None:
        if key not in query:
            return
        try:
            value = cast(query[key])
        except ValueError:
            value = None
        if value is None or not valid(value):
            notes.append(f"ignored {key}={query[key]!r}")
        else:
            values[key] = value

    if "landscape" in query:
        if query["landscape"] in landscapes.names():
            values["landscape"] = query["landscape"]
        else:
            notes.append(f"unknown landscape {query['landscape']!r}")
    for p in landscapes.parameters(values.get("landscape", "rosenbrock")):
        number(p.name, float, lambda v, p=p: p.low <= v <= p.high)
    if "opt" in query:
        chosen = [name for name in str(query["opt"]).split(",") if name]
        unknown = [name for name in chosen if name not in optimizers.names()]
        if unknown:
            notes.append(f"unknown optimizer {', '.join(map(repr, unknown))}")
        known = list(dict.fromkeys(name for name in chosen if name in optimizers.names()))[:MAX_OPTIMIZERS]
        if known:
            values["opt"] = known
    number("steps", int, lambda v: v in STEPS)
    number("budget", int, lambda v: v in BUDGETS)
    number("seed", int, lambda v: 0 <= v <= 2**31 - 1)
    number("x0", float, lambda v: np.isfinite(v) and abs(v) <= 1e3)
    number("y0", float, lambda v: np.isfinite(v) and abs(v) <= 1e3)
    return values, notes


def load_from_url() -> list[str]:
    """On a session's first run, set the widgets from the URL; the notes say what was ignored."""
    state = st.session_state
    if state.get("ff_loaded"):
        return []
    state.ff_loaded = True
    values, notes = _read_query(st.query_params.to_dict())
    if "landscape" in values:
        state.ff_landscape = values["landscape"]
    for p in landscapes.parameters(state.get("ff_landscape", "rosenbrock")):
        if p.name in values:
            state[f"ff_lp_{p.name}"] = values[p.name]
    if "opt" in values:
        state.ff_optimizers = values["opt"]
    for key in ("steps", "budget", "seed", "x0", "y0"):
        if key in values:
            state[f"ff_{key}"] = values[key]
    return notes


def _reset_start() -> None:
    state = st.session_state
    name = state.ff_landscape
    params = {p.name: state.get(f"ff_lp_{p.name}", p.default) for p in landscapes.parameters(name)}
    state.ff_x0, state.ff_y0 = (float(v) for v in landscapes.get(name, **params).start)


def controls() -> FightRequest | None:
    """The sidebar: problem, contenders, budget. None while no optimizer is chosen."""
    state = st.session_state
    state.setdefault("ff_landscape", "rosenbrock")
    st.selectbox("Landscape", landscapes.names(), key="ff_landscape", on_change=_reset_start,
                 format_func=lambda name: landscapes.get(name).name)
    params = []
    for p in landscapes.parameters(state.ff_landscape):
        key = f"ff_lp_{p.name}"
        state.setdefault(key, p.default)
        if p.log:
            st.select_slider(p.label, sorted({*log_grid(p.low, p.high), float(state[key])}), key=key,
                             format_func=fmt, help=p.help, on_change=_reset_start)
        else:
            st.slider(p.label, float(p.low), float(p.high), key=key, help=p.help, on_change=_reset_start)
        params.append((p.name, float(state[key])))
    key: LandscapeKey = (state.ff_landscape, tuple(params), "")
    landscape = build_landscape(key)
    state.setdefault("ff_x0", float(landscape.start[0]))
    state.setdefault("ff_y0", float(landscape.start[1]))
    left, right = st.columns(2)
    left.number_input("start x", key="ff_x0", step=0.1, format="%.3f", min_value=-1e3, max_value=1e3)
    right.number_input("start y", key="ff_y0", step=0.1, format="%.3f", min_value=-1e3, max_value=1e3)
    state.setdefault("ff_optimizers", list(DEFAULT_OPTIMIZERS))
    chosen = st.multiselect("Optimizers", optimizers.names(), key="ff_optimizers", max_selections=MAX_OPTIMIZERS,
                            format_func=lambda name: optimizers.get(name).label)
    state.setdefault("ff_steps", 500)
    st.select_slider("Steps", STEPS, key="ff_steps")
    state.setdefault("ff_budget", 64)
    st.select_slider("Tuning budget (settings per optimizer)", BUDGETS, key="ff_budget",
                     help="Every optimizer tries this many settings: its defaults and random draws of α (and of "
                          "its β's), the same for all.")
    state.setdefault("ff_seed", 0)
    st.number_input("Draw seed", key="ff_seed", min_value=0, max_value=2**31 - 1, step=1,
                    help="Another seed draws other settings: does the ranking survive?")
    start = (link_number(state.ff_x0), link_number(state.ff_y0))
    if not chosen:
        return None
    return FightRequest(key, start, int(state.ff_steps), int(state.ff_budget), int(state.ff_seed), tuple(chosen))


def mirror_to_url(request: FightRequest) -> None:
    """Write the view into the address bar, so the link reproduces it."""
    name, params, _ = request.landscape
    query = {"landscape": name, **{k: f"{v:g}" for k, v in params}, "opt": ",".join(request.optimizers),
             "steps": str(request.steps), "budget": str(request.budget), "seed": str(request.seed),
             "x0": f"{request.start[0]:.6g}", "y0": f"{request.start[1]:.6g}"}
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def playground_view(request: FightRequest, runs: Sequence) -> View:
    """The Playground view of ``runs`` (RunSpecs) on this fight's problem."""
    name, params, _ = request.landscape
    return View(landscape=name, landscape_params=params, start=request.start, steps=request.steps, runs=tuple(runs))
