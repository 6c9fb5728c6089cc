"""Sweeps: how sensitive is each optimizer to its hyperparameters?"""

import streamlit as st

from ui import sweeps_controls as controls
from ui import sweeps_links as links
from ui import sweeps_runs as runs
from ui.presentation import PRESENT, chart, lesson_area
from viz.sweeps import METRIC_LABELS, curves_figure, curves_summary, curves_table, map_figure, map_table

CONFIG = {"displaylogo": False}

MAP_TRY = """**What to try**
- Adam, α × β₁ on Rosenbrock: no cell diverges (a step is at most about α). How wide is the dark region?
- Momentum, α × β: how close to the grey (diverged) region is the ★? Fast and fragile often go together.
- Quadratic with κ = 100 rotated 45°: compare Adam's map with Momentum's, then set the angle back to 0.
"""

CURVES_TRY = """**What to try**
- SGD, Momentum, RMSprop and Adam on Rosenbrock: whose curve stays low over the widest range of α?
- Add noise σ = 1 with 10 seeds: the band shows how much the outcome depends on luck.
- Switch to Rastrigin (a field of local minima): is the best α still the largest one that does not diverge?
"""

# Presenting, the optimizer joins the title row (the map needs the height): in the metric's place for curves.
presenting = st.session_state.get(PRESENT, False)
columns = st.columns([1.2, 2.2, 1.6, 4.4] if presenting else [2, 3, 4], vertical_alignment="bottom")
title, mode_switch, metric_switch = columns[0], columns[1], columns[-1]
title.title("Sweeps")
with mode_switch:
    mode = controls.mode()
with columns[2] if mode == "Map" else metric_switch:
    lesson = lesson_area()

with st.sidebar:
    st.subheader("Problem")
    problem = controls.problem_controls()
    landscape_key, start, steps, landscape = problem
    st.subheader("Sweep")
    request = (controls.map_controls if mode == "Map" else controls.curves_controls)(problem, lesson)

if mode == "Map":
    with metric_switch:
        metric = controls.metric_control(landscape)
    if request is None:
        st.info("Pick two different ends for each axis in the sidebar.")
        st.stop()
    slot = st.empty()
    sweep = runs.sweep_map(request, slot)
    links.open_clicked_cell(request, sweep)
    labels = controls.axis_labels(request)
    chart(map_figure(sweep, metric, labels), key=links.CHART, on_select=links.remember_click,
                    selection_mode="points", config=CONFIG)
    reading, trying = st.columns([3, 2])
    with reading:
        st.markdown(
            f"Each cell is one run of {controls.optimizer_label(request.optimizer)} from {start} for {steps} steps, "
            f"with {labels[0]} and {labels[1]} set by its column and row and everything else fixed; its colour is "
            f"the {METRIC_LABELS[metric]}, darker is better. Grey cells diverged, the ★ is the best cell, and a wide "
            "dark region means the optimizer forgives a rough choice there — click any cell to replay it in the "
            "Playground.")
        links.best_cell_link(request, sweep, metric)
        st.download_button("Download the map (CSV, one row per cell)", map_table(sweep).to_csv(index=False),
                           file_name=f"sweep_{request.optimizer}_{request.x.name}_{request.y.name}.csv",
                           mime="text/csv", icon=":material/download:", key="sweeps_map_csv")
    trying.markdown(MAP_TRY)
else:
    if request is None:
        st.info("Choose at least one optimizer and two different ends for α in the sidebar.")
        st.stop()
    slot = st.empty()
    curves = runs.robustness_curves(request, slot)
    names = [controls.optimizer_label(name) for name in curves.optimizers]
    chart(curves_figure(curves, names), key="sweeps_curves_chart", config=CONFIG)
    summary, trying = st.columns([3, 2])
    with summary:
        st.markdown("Each curve is one optimizer, every hyperparameter but α at its default; lower is better and a "
                    "long low stretch means α is easy to pick. With noise, the line is the median over seeds and "
                    "the band holds the middle half of the runs. *Good α span*: how many decades of α bring the "
                    f"median f − f* to {st.session_state.sweeps_curve_tolerance:g} or below.")
        st.dataframe(curves_summary(curves, names, st.session_state.sweeps_curve_tolerance), hide_index=True,
                     column_config={"best α": st.column_config.NumberColumn(format="%.3g"),
                                    "f − f* at best α": st.column_config.NumberColumn(format="%.2e")})
        links.best_lrs_link(request, curves)
        st.download_button("Download the curves (CSV, one row per run)",
                           curves_table(curves, names).to_csv(index=False),
                           file_name="robustness_curves.csv", mime="text/csv", icon=":material/download:",
                           key="sweeps_curves_csv")
    trying.markdown(CURVES_TRY)
