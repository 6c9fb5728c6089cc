"""The Fair fight page's controls, its view in the URL, and the cached, progress-reporting computation.

Every widget key starts with ``ff_`` and is bound to the URL parameter of the same name (the router
notes a value a widget cannot take); a link from before that (``opt=sgd,adam&budget=16``) is renamed
on arrival.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import streamlit as st

import landscapes
import optimizers
from optimizers.tuning import FairFight, draw_settings, fair_fight

from . import presentation
from .problem_controls import problem_controls
from .runs import LandscapeKey, build_landscape
from .share import BIND, bound_default
from .sweeps_runs import ProgressBar
from .view import View, link_number

STEPS = (100, 200, 300, 500, 1000, 2000)
BUDGETS = (8, 16, 32, 64, 128, 256)
PREFIX = "ff"
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


# A link written before the page's widgets were bound to the URL: its names, and the widget each one sets.
_OLD_NAMES = {"landscape": "ff_landscape", "opt": "ff_optimizers", "steps": "ff_steps", "budget": "ff_budget",
              "seed": "ff_seed", "x0": "ff_x0", "y0": "ff_y0"}


def _shown(old: str, value: str) -> list[str]:
    """An old link's value as its bound widget writes it: optimizers and landscapes by the names the page shows.

    An unknown name stays as it is, for the router's note.
    """
    if old == "opt":
        return [optimizers.get(name).label if name in optimizers.names() else name for name in value.split(",")]
    if old == "landscape" and value in landscapes.names():
        return [landscapes.get(value).name]
    return [value]


def adopt_old_link() -> None:
    """Rename an old link's parameters (``opt=sgd,adam&budget=16``) to the widgets' own, so old links keep working.

    The page then runs again, so the router checks the renamed values and notes any a widget refused.
    """
    query = st.query_params
    if not any(name in query for name in _OLD_NAMES):
        return
    landscape = query.get("landscape", "rosenbrock")
    parameters = landscapes.parameters(landscape) if landscape in landscapes.names() else ()
    names = {**_OLD_NAMES, **{p.name: f"ff_lp_{p.name}" for p in parameters}}
    for old, new in names.items():
        if old in query:
            values = _shown(old, query.get(old))
            del query[old]
            query[new] = values
    st.rerun()


def controls(lesson=None) -> FightRequest | None:
    """The sidebar: problem, contenders, budget, seed. None while no optimizer is chosen.

    The contenders and the budget go to ``lesson`` (a main-area place, when presenting) instead.
    """
    state = st.session_state
    key, start, steps, _ = problem_controls(PREFIX, STEPS, 500)
    contenders, budget = presentation.lesson_slots(lesson, [2, 1])
    chosen = contenders.multiselect("Optimizers", optimizers.names(), key="ff_optimizers", bind=BIND,
                                    default=bound_default("ff_optimizers", list(DEFAULT_OPTIMIZERS)),
                                    max_selections=MAX_OPTIMIZERS, format_func=lambda name: optimizers.get(name).label)
    budget.select_slider("Tuning budget (settings per optimizer)", BUDGETS, key="ff_budget", bind=BIND,
                         value=bound_default("ff_budget", 64),
                         help="Every optimizer tries this many settings: its defaults and random draws of α (and of "
                              "its β's), the same for all.")
    st.number_input("Draw seed", key="ff_seed", min_value=0, max_value=2**31 - 1, step=1, bind=BIND,
                    value=bound_default("ff_seed", 0),
                    help="Another seed draws other settings: does the ranking survive?")
    if not chosen:
        return None
    return FightRequest(key, start, steps, int(state.ff_budget), int(state.ff_seed), tuple(chosen))


def playground_view(request: FightRequest, runs: Sequence) -> View:
    """The Playground view of ``runs`` (RunSpecs) on this fight's problem."""
    name, params, _ = request.landscape
    return View(landscape=name, landscape_params=params, start=request.start, steps=request.steps, runs=tuple(runs))
