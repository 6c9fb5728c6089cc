"""Below the Playground's figure: the results table, its reading, PyTorch code and downloads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

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

    def highlight(row):
        return ["background-color: rgba(0, 158, 115, 0.18)" if row.name == best else ""] * len(row)

    styled = table.style.apply(highlight, axis=1).format(
        {"final loss": "{:.3g}", "best loss": "{:.3g}", "distance to minimum": "{:.3g}", "path length": "{:.3g}"},
        na_rep="—")
    st.dataframe(styled, hide_index=True, width="stretch")
    target = "f − f*" if landscape.minimum_value is not None else "f"
    st.caption(f"Steps to tolerance: the first step with {target} ≤ {TOLERANCE:g}. The best run (highlighted) "
               "has the lowest final loss among those that did not diverge.")


def pytorch_code(view: View) -> None:
    with st.expander("Reproduce in PyTorch"):
        st.code(pytorch_snippet(view, [run.label for run in view.runs]), language="python")


def downloads(paths: Sequence[RunPath], view: View) -> None:
    left, right = st.columns(2)
    left.download_button("Download trajectories (CSV)", trajectories_csv(paths), "trajectories.csv", "text/csv",
                         width="stretch")
    settings = {"view": asdict(view), "query": to_query(view)}
    right.download_button("Download settings (JSON)", json.dumps(settings, indent=2), "view.json",
                          "application/json", width="stretch")
