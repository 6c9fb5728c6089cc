"""Below the Playground's figure: the results table, its reading, PyTorch code and downloads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

import pandas as pd
import streamlit as st

from viz.paths import RunPath
from viz.tables import best_run, reading, results_table, trajectories_csv

from .pytorch_code import pytorch_snippet
from .view import View, to_query

TOLERANCE = 1e-3


def escape_markdown(text: str) -> str:
    """Keep f* and the like literal inside Markdown."""
    return text.replace("*", r"\*").replace("_", r"\_")


def results(paths: Sequence[RunPath], landscape) -> None:
    table = results_table(paths, landscape, TOLERANCE)
    st.markdown(f"**{escape_markdown(reading(table, TOLERANCE, landscape.minimum_value is not None))}**")
    best = best_run(table)
    table.insert(0, "best", ["★" if index == best else "" for index in table.index])
    for column in ("steps to tolerance", "diverged at"):
        # Whole-string columns: Arrow cannot hold ints and "—" in one column.
        table[column] = ["—" if pd.isna(value) else str(int(value)) for value in table[column]]
    number = st.column_config.NumberColumn(format="%.3g")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"best": st.column_config.TextColumn("", width=40), "final loss": number,
                                "best loss": number, "distance to minimum": number, "path length": number})
    target = "f − f*" if landscape.minimum_value is not None else "f"
    st.caption(f"Steps to tolerance: the first step with {target} ≤ {TOLERANCE:g}. The best run "
               "(★) has the lowest final loss among those that did not diverge.")


def pytorch_code(view: View) -> None:
    with st.expander("Reproduce in PyTorch"):
        st.code(pytorch_snippet(view, [run.label for run in view.runs]), language="python")


def downloads(paths: Sequence[RunPath], view: View) -> None:
    left, right = st.columns(2)
    # A callable defers building the CSV to the click: every rerun would otherwise pay for it.
    left.download_button("Download trajectories (CSV)", lambda: trajectories_csv(paths), "trajectories.csv",
                         "text/csv", width="stretch")
    settings = {"view": asdict(view), "query": to_query(view)}
    right.download_button("Download settings (JSON)", json.dumps(settings, indent=2), "view.json",
                          "application/json", width="stretch")
