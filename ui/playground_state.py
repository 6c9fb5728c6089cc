"""The Playground's widget state: loaded from the URL once, mirrored back to it on every rerun.

Widget keys: ``landscape``, ``lp_<param>``, ``expression``, ``x0``, ``y0``, ``steps``, ``noise``,
``seed``, ``schedule``, ``curvature``, ``cloud``, the list ``run_slots`` and, per slot ``s``, ``run<s>_optimizer`` and
``run<s>_<optimizer>_<hyperparameter>`` (so switching a slot's optimizer back restores its values).
"""

from __future__ import annotations

import streamlit as st

import landscapes
import optimizers
from viz.playground import CLICK_TRACE

from .presentation import HIDE, PRESENT
from .runs import LandscapeKey, build_landscape, landscape_key, start_of
from .view import CUSTOM, MAX_RUNS, RunSpec, View, from_query, to_query

NOTES = "playground_notes"
CHART = "playground_chart"
SAVED = "playground_view"
MIRRORED = "playground_queries"
RECENT_QUERIES = 16
SLIDE = "slide"  # which run's knobs sit beside the figure while presenting: presentation, not the view
SLIDE_RUN = "slide_run"
SURFACE = "surface"  # the 3D view's switch, bound by Streamlit itself (surface=true): a look, not the runs
DISPLAY_KEYS = (PRESENT, HIDE, SLIDE, SURFACE)


def editor_key(slot: int) -> str:
    """Whether run ``slot``'s expander is open (True) or closed."""
    return f"run{slot}_open"


def hp_key(slot: int, optimizer: str, name: str) -> str:
    return f"run{slot}_{optimizer}_{name}"


def _set_run(slot: int, run: RunSpec) -> None:
    st.session_state[f"run{slot}_optimizer"] = run.optimizer
    for name, value in run.settings.items():
        st.session_state[hp_key(slot, run.optimizer, name)] = value


def _set_view(view: View) -> None:
    state = st.session_state
    state.landscape = view.landscape
    for name, value in view.landscape_params:
        state[f"lp_{name}"] = value
    state.expression = view.expression or "abs(x) + y^2"
    state.x0, state.y0 = start_of(view, build_landscape(landscape_key(view)))
    state.steps, state.noise, state.seed, state.schedule = view.steps, view.noise, view.seed, view.schedule
    state.curvature, state.cloud = view.curvature, view.cloud
    state.run_slots = list(range(len(view.runs)))
    state.run_colors = dict(enumerate(view.run_colors))
    for slot, run in enumerate(view.runs):
        _set_run(slot, run)


def _url_query() -> dict[str, list[str]]:
    """The view's part of the URL: the parameters of how it is shown (presenting, hidden controls, the 3D switch)
    belong to no view."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key not in DISPLAY_KEYS}


def load_from_url() -> list[str]:
    """Take the view from the URL when it holds a new one; return the notes about its bad values.

    A link opened from another page (or pasted) carries a query this page did not write, so it
    wins. Coming back through the menu (no query) restores the view the user left: Streamlit
    drops the state of widgets that another page did not render, so it is kept in ``SAVED``.
    """
    query = _url_query()
    if query and query not in st.session_state.get(MIRRORED, []):
        view, notes = from_query(query)
        _set_view(view)
        st.session_state[NOTES] = notes
        st.session_state.pop(SLIDE_RUN, None)  # the link's own slide= (or its first run) picks it again
    elif "landscape" not in st.session_state:
        _set_view(st.session_state.get(SAVED, View()))
        st.session_state[NOTES] = []
    return st.session_state[NOTES]


def current_run(slot: int) -> RunSpec:
    optimizer = st.session_state[f"run{slot}_optimizer"]
    spec = optimizers.get(optimizer)
    settings = {h.name: st.session_state.get(hp_key(slot, optimizer, h.name), h.default)
                for h in spec.hyperparameters}
    return RunSpec.of(optimizer, **settings)


def current_view() -> View:
    """The view the widgets describe right now."""
    state = st.session_state
    name, params, expression = _chosen_landscape()
    return View(landscape=name, landscape_params=params, expression=expression,
                start=(float(state.x0), float(state.y0)), steps=int(state.steps), noise=float(state.noise),
                seed=int(state.seed), schedule=state.schedule,
                runs=tuple(current_run(slot) for slot in state.run_slots), colors=tuple(colors()),
                curvature=bool(state.get("curvature", False)), cloud=int(state.get("cloud", 0)))


def mirror_to_url(view: View) -> None:
    """Write the view into the URL so the address bar is always a link to it."""
    query = to_query(view)
    wanted = {key: value if isinstance(value, list) else [value] for key, value in query.items()}
    st.session_state[SAVED] = view
    # Every rerun request carries the URL the browser has at that moment, which lags behind when
    # moves come quickly: a query this page wrote a few moves ago is not a new link (taking it for
    # one reset a fast drag to an earlier value; benchmarks/load.py caught it).
    written = [q for q in st.session_state.get(MIRRORED, []) if q != wanted]
    st.session_state[MIRRORED] = [*written[-(RECENT_QUERIES - 1):], wanted]
    if _url_query() != wanted:
        kept = {key: st.query_params.get_all(key) for key in DISPLAY_KEYS if key in st.query_params}
        st.query_params.from_dict({**query, **kept})


def last_valid_view() -> View | None:
    """The view the page last drew (every drawn view is mirrored), or None before the first one."""
    return st.session_state.get(SAVED)


def ensure_run_defaults(slot: int) -> None:
    """Give the slot's current optimizer's widgets their defaults where they have no value yet."""
    optimizer = st.session_state[f"run{slot}_optimizer"]
    for h in optimizers.get(optimizer).hyperparameters:
        st.session_state.setdefault(hp_key(slot, optimizer, h.name), h.default)


def reset_run(slot: int) -> None:
    _set_run(slot, RunSpec(st.session_state[f"run{slot}_optimizer"]))


def remove_run(slot: int) -> None:
    if len(st.session_state.run_slots) > 1:
        st.session_state.run_slots = [s for s in st.session_state.run_slots if s != slot]


def add_run(optimizer: str = "sgd") -> None:
    slots = st.session_state.run_slots
    if len(slots) >= MAX_RUNS:
        return
    slot = max(slots, default=-1) + 1
    used = {st.session_state.run_colors.get(s) for s in slots}
    st.session_state.run_colors[slot] = next(c for c in range(MAX_RUNS) if c not in used)
    _set_run(slot, RunSpec(optimizer))
    st.session_state[editor_key(slot)] = True  # the run just added is the one to set up
    st.session_state.run_slots = [*slots, slot]


def colors() -> list[int]:
    return [st.session_state.run_colors.get(slot, slot) for slot in st.session_state.run_slots]


def _chosen_landscape() -> LandscapeKey:
    """The landscape the controls pick: its id, its parameters (defaults where unset) or the typed text."""
    state = st.session_state
    if state.landscape == CUSTOM:
        return CUSTOM, (), state.expression
    params = tuple((p.name, float(state.get(f"lp_{p.name}", p.default)))
                   for p in landscapes.parameters(state.landscape))
    return state.landscape, params, ""


def reset_start() -> None:
    """A new landscape gets its own default start (the old one may lie outside its view)."""
    try:
        landscape = build_landscape(_chosen_landscape())
    except ValueError:
        return
    st.session_state.x0, st.session_state.y0 = (float(v) for v in landscape.start)


def start_from_click() -> None:
    """Move the start to the point clicked on the contour (the invisible click grid)."""
    selection = st.session_state.get(CHART, {}).get("selection", {})
    points = [p for p in selection.get("points", []) if p.get("curve_number") == CLICK_TRACE]
    if points:
        st.session_state.x0, st.session_state.y0 = float(points[0]["x"]), float(points[0]["y"])
