"""Inside Adam, step by step: one run, the state of every step, and the update with its numbers."""

import streamlit as st

from ui import inside_adam as controls
from ui.links import playground_link
from ui.presentation import chart, lesson_area
from ui.runs import build_landscape, cached_grid
from viz.inside_adam import history_figure, state_table, update_equations

heading = st.container()  # the caption names the landscape the sidebar picks
lesson = lesson_area()
with st.sidebar:
    st.subheader("One Adam run")
    key, start, steps, settings, compare = controls.run_controls(lesson)

landscape = build_landscape(key)
run = controls.recorded_adam(key, start, steps, settings)

with heading:
    st.title("Inside Adam")
    st.caption(f"{landscape.name}: ${landscape.formula}$. Step through one run and watch m, v and the update "
               "of each step, per axis.")
t = controls.step_picker(steps)

other = controls.other_bias_correction(key, start, steps, settings) if compare else None

figure_column, numbers_column = st.columns([1.1, 1] if other else [1, 1.4])
with figure_column:
    controls.step_charts(landscape, cached_grid(key), run, t, other)
    st.caption("At θₜ₋₁ (white dot): −g, the raw gradient pointing downhill; −m̂, the bias-corrected momentum; "
               "Δθ, the update actually taken. Directions are true; lengths are scaled to be visible — −g and −m̂ "
               "share one scale, Δθ has its own (factors in the legend). Hover an arrow for its true value.")
with numbers_column:
    st.dataframe(state_table(run, t).style.format("{:.4g}"), width="stretch")
    st.latex(update_equations(run, t))

controls.notes(run, key, start, settings, t)

chart(history_figure(run, t), key="inside_adam_history_chart", config={"displaylogo": False})

st.markdown(
    "**What to try**\n"
    "- At t = 1, Adam's step is α·sign(g) on each axis however big g is: compare Δθ with g in the table "
    "(m̂₁ = g₁, v̂₁ = g₁²).\n"
    "- Switch bias correction off and step through t = 1…20: the first steps are several times too long.\n"
    "- Pick the ill-conditioned quadratic, set ε to 1 and β₂ to 0.9, and step to t = 100–200: once ε ≫ √v̂, "
    "Adam turns into SGD with momentum.")
playground_link(controls.playground_view(key, start, steps, settings))
