"""The problem a page's runs share: landscape (with its parameters), start and steps, bound to the URL.

Sweeps and Fair fight draw the same controls under their own key prefix (``sweeps_``, ``ff_``):
``<prefix>_landscape``, ``<prefix>_lp_<parameter>``, ``<prefix>_x0``, ``<prefix>_y0``, ``<prefix>_steps``.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

import landscapes

from .controls import fmt, log_grid
from .runs import LandscapeKey, build_landscape
from .share import BIND, bound_default, url_number
from .view import link_number


def _reset_start(prefix: str) -> None:
    """A new landscape starts from its own default start."""
    state = st.session_state
    name = state[f"{prefix}_landscape"]
    params = {p.name: state.get(f"{prefix}_lp_{p.name}", p.default) for p in landscapes.parameters(name)}
    state[f"{prefix}_x0"], state[f"{prefix}_y0"] = (float(v) for v in landscapes.get(name, **params).start)


def problem_controls(prefix: str, step_choices: Sequence[int], default_steps: int,
                     ) -> tuple[LandscapeKey, tuple[float, float], int, landscapes.Landscape]:
    """Landscape (and its parameters), start and steps; returns (landscape key, start, steps, landscape)."""
    state = st.session_state
    first = landscapes.names().index(bound_default(f"{prefix}_landscape", "rosenbrock"))
    st.selectbox("Landscape", landscapes.names(), key=f"{prefix}_landscape", on_change=_reset_start, args=(prefix,),
                 index=first, bind=BIND, format_func=lambda name: landscapes.get(name).name)
    params = []
    for p in landscapes.parameters(state[f"{prefix}_landscape"]):
        key = f"{prefix}_lp_{p.name}"
        bound_default(key, p.default)
        if p.log:
            linked = [v for v in [url_number(key)] if v is not None and p.low <= v <= p.high]
            st.select_slider(p.label, sorted({*log_grid(p.low, p.high), p.default, float(state[key]), *linked}),
                             key=key, value=p.default, format_func=fmt, help=p.help, bind=BIND)
        else:
            st.slider(p.label, float(p.low), float(p.high), value=float(p.default), key=key, help=p.help, bind=BIND)
        params.append((p.name, float(state[key])))
    key: LandscapeKey = (state[f"{prefix}_landscape"], tuple(params), "")
    landscape = build_landscape(key)
    state.setdefault(f"{prefix}_x0", float(landscape.start[0]))
    state.setdefault(f"{prefix}_y0", float(landscape.start[1]))
    left, right = st.columns(2)
    for column, axis in ((left, "x"), (right, "y")):
        column.number_input(f"start {axis}", key=f"{prefix}_{axis}0", step=0.1, format="%.3f", min_value=-1e3,
                            max_value=1e3, bind=BIND)
    st.select_slider("Steps", list(step_choices), key=f"{prefix}_steps", bind=BIND,
                     value=bound_default(f"{prefix}_steps", default_steps))
    # Six significant digits: what a Playground link carries, so a run's link replays it exactly.
    start = (link_number(state[f"{prefix}_x0"]), link_number(state[f"{prefix}_y0"]))
    return key, start, int(state[f"{prefix}_steps"]), landscape
