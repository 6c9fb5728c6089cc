"""Hyperparameters at a glance: the article's AdamW table, live, with a demo of every knob."""

import streamlit as st

from ui import hyperparameter_table as hyperparameters
from ui.links import playground_link
from ui.presentation import chart
from ui.runs import build_landscape, cached_grid, landscape_key, run_paths
from viz.contour import contour_figure

st.title("Hyperparameters")
st.caption("AdamW's five knobs with the values the article recommends. Change a value to see the run and the PyTorch "
           "code follow; each link opens a Playground view that shows what that knob does.")

table, side = st.columns([1.7, 1])
with table:
    values = hyperparameters.table()
view = hyperparameters.current_view(values)
landscape = build_landscape(landscape_key(view))
paths = run_paths(view, landscape)

with side:
    chart(contour_figure(landscape, cached_grid(landscape_key(view)), paths, landscape.start, height=380),
                    key="hyperparameters_chart", config={"displaylogo": False})
    st.code(hyperparameters.pytorch_example(values), language="python")
    playground_link(view, "Open this AdamW run in the Playground")

with table:
    st.markdown(
        "**What to try**\n"
        f"- Keep α = 0.001: in {hyperparameters.STEPS} steps AdamW barely leaves the start — the common value suits "
        "networks trained for many thousands of steps. Try α = 0.05.\n"
        "- With α = 0.05, set β₁ = 0: without the moving average the path wobbles across the valley floor.\n"
        "- With α = 0.05, raise λ to 1: decoupled weight decay pulls the end point from (1, 1) towards the origin."
    )
