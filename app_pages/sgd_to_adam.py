"""From SGD to Adam: the same valley in four panels, each optimizer beside its update rule."""

import streamlit as st

from ui import sgd_to_adam as evolution
from ui.links import playground_link
from ui.runs import build_landscape, landscape_key, run_paths

st.title("From SGD to Adam")
st.caption("One narrow valley f = ½θᵀAθ, one start, four optimizers: each adds one idea to the one before it.")

evolution.landscape_controls()
view = evolution.current_view()
landscape = build_landscape(landscape_key(view))
grid = evolution.cached_panel_grid(landscape_key(view))
paths = run_paths(view, landscape)

top, bottom = st.columns(2), st.columns(2)
for column, path, optimizer in zip([*top, *bottom], paths, evolution.OPTIMIZERS, strict=True):
    with column:
        evolution.panel(path, optimizer, landscape, grid, view.start)

st.markdown(
    "**What to try**\n"
    "- Switch to *rotated 45°*: SGD's and Momentum's final f stay exactly the same; RMSprop's and Adam's get worse, "
    "because their per-axis scales no longer line up with the valley.\n"
    "- Raise κ to 100: SGD diverges at its α (its limit is 2/κ) — halve α and watch it crawl along the floor.\n"
    "- Set Adam's α to 0.1 on the axis-aligned valley: the first steps go diagonally, α·sign(g) on both axes, "
    "whatever the gradient's size."
)
playground_link(view, "Open these four runs in the Playground")
