"""From a sweep to the Playground: a click on a map cell opens that run, links open the best ones.

``st.switch_page`` cannot run inside a widget callback, so the chart's selection callback only
remembers the clicked point and the page body navigates once the map is at hand.
"""

from __future__ import annotations

import streamlit as st

from optimizers.sweeps import RobustnessCurves, SweepMap, best_cell

from .links import PLAYGROUND, playground_link
from .sweeps_view import CurvesRequest, MapRequest, best_lrs_view, cell_view
from .view import to_query

CHART = "sweeps_map_chart"
CLICKED = "sweeps_clicked"


def remember_click() -> None:
    """The chart's on_select callback: keep the clicked cell centre for ``open_clicked_cell``."""
    points = st.session_state.get(CHART, {}).get("selection", {}).get("points", [])
    if points:
        st.session_state[CLICKED] = (float(points[0]["x"]), float(points[0]["y"]))


def open_clicked_cell(request: MapRequest, sweep: SweepMap) -> None:
    """Go to the Playground with the clicked cell's settings, if a cell was just clicked."""
    clicked = st.session_state.pop(CLICKED, None)
    if clicked is not None:
        view = cell_view(request, sweep, *sweep.nearest_cell(*clicked))
        st.switch_page(PLAYGROUND, query_params=to_query(view))


def best_cell_link(request: MapRequest, sweep: SweepMap, metric: str) -> tuple[int, int] | None:
    """A link that opens the best cell in the Playground; returns that cell (None if every run diverged)."""
    cell = best_cell(sweep, metric)
    if cell is None:
        st.caption("Every cell diverged: lower the range of α.")
        return None
    settings = sweep.cell_settings(*cell)
    shown = ", ".join(f"{name} = {settings[name]:g}" for name in (sweep.x.name, sweep.y.name))
    playground_link(cell_view(request, sweep, *cell), label=f"Open the best cell ({shown}) in the Playground")
    return cell


def best_lrs_link(request: CurvesRequest, curves: RobustnessCurves) -> None:
    view = best_lrs_view(request, curves)
    if view is None:
        st.caption("Every run diverged: lower the range of α.")
        return
    note = " (with its own noise draws)" if request.noise > 0 else ""
    playground_link(view, label=f"Open each optimizer at its best α in the Playground{note}")
