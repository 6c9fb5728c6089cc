"""Below the Playground's figure: the results table, its reading, PyTorch code and downloads."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict

import streamlit as st

from viz.paths import RunPath
from viz.tables import RunSummary, best_run, reading, results_table, trajectories_csv

from .markdown import escape_markdown
from .pytorch_code import pytorch_snippet
from .runs import TOLERANCE
from .view import View, to_query


def results(runs: Sequence[RunSummary], landscape) -> None:
    has_minimum = landscape.minimum_value is not None
    st.markdown(f"**{escape_markdown(reading(runs, TOLERANCE, has_minimum))}**")
    table = results_table(runs)
    best = best_run(runs)
    table.insert(0, "best", ["★" if index == best else "" for index in table.index])
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"best": st.column_config.TextColumn("", width=30),
                                **{name: st.column_config.NumberColumn(width="small")
                                   for name in ("final loss", "best loss", "path length")}})
    target = "f − f*" if has_minimum else "f"
    st.caption(f"Steps to tolerance: the first step with {target} ≤ {TOLERANCE:g}. The best run "
               "(★) has the lowest final loss among those that did not diverge.")


def pytorch_code(view: View) -> None:
    with st.expander("Reproduce in PyTorch"):
        st.code(pytorch_snippet(view, [run.label for run in view.runs]), language="python", wrap_lines=True)


def downloads(paths: Callable[[], Sequence[RunPath]], view: View) -> None:
    left, right = st.columns(2)
    # A callable defers building the CSV to the click: every rerun would otherwise pay for it.
    left.download_button("Download trajectories (CSV)", lambda: trajectories_csv(paths()), "trajectories.csv",
                         "text/csv", width="stretch")
    settings = {"view": asdict(view), "query": to_query(view)}
    right.download_button("Download settings (JSON)", json.dumps(settings, indent=2), "view.json",
                          "application/json", width="stretch")
