"""L2 regularization vs decoupled weight decay: Adam + L2 and AdamW with the same α and λ."""

import streamlit as st

from ui import weight_decay as controls
from ui.presentation import chart, lesson_area
from viz.weight_decay import (
    comparison_figure,
    equivalence_figure,
    max_distance,
    pull_figure,
    settle_table,
    sweep_figure,
)

heading = st.container()  # the caption names the landscape the sidebar picks
lesson = lesson_area()
with st.sidebar:
    st.subheader("Adam + L2 vs AdamW")
    settings = controls.sidebar_controls(lesson)

landscape, penalized = controls.build(settings.landscape), controls.build(settings.landscape, settings.decay)
f_grid, penalized_grid = controls.contour_grid(settings.landscape, 0.0), controls.contour_grid(settings.landscape,
                                                                                              settings.decay)
adam, adamw, paths = controls.adam_runs(settings)
sgd_decayed, sgd_penalized = controls.sgd_pair(settings.landscape, settings.decay, settings.sgd_lr, settings.steps)

with heading:
    st.title("L2 vs weight decay")
    st.caption(f"{landscape.name}: ${landscape.formula}$. Adam + L2 adds λθ to the gradient, so Adam rescales it; "
               "AdamW takes αλθ off θ directly. Same α, same λ.")

figure_column, numbers_column = st.columns([1.4, 1])
with figure_column:
    chart(comparison_figure(landscape, f_grid, penalized_grid, paths,
                                      controls.l2_reference(settings, sgd_decayed.path[-1]), settings.decay),
                    key="weight_decay_paths_chart", config={"displaylogo": False})
with numbers_column:
    st.latex(controls.UPDATE_RULES)
    st.markdown(f"**Where they settle after {settings.steps} steps**")
    st.dataframe(settle_table([*paths, sgd_decayed], landscape, penalized).style.format("{:.4g}"), width="stretch")
    controls.pull_summary(adam, adamw)

pull_column, sweep_column, sgd_column = st.columns(3)
with pull_column:
    chart(pull_figure({"Adam + L2": adam.pull(decoupled=False), "AdamW": adamw.pull(decoupled=True)}),
                    key="weight_decay_pull_chart", config={"displaylogo": False})
with sweep_column:
    chart(sweep_figure(landscape, f_grid, controls.SWEEP,
                                 controls.sweep(settings.landscape, settings.lr, settings.steps, settings.sgd_lr),
                                 settings.decay),
                    key="weight_decay_sweep_chart", config={"displaylogo": False})
with sgd_column:
    chart(equivalence_figure(landscape, penalized_grid, sgd_decayed, sgd_penalized),
                    key="weight_decay_sgd_chart", config={"displaylogo": False})
    st.metric("largest distance between the two SGD paths", f"{max_distance(sgd_decayed.path, sgd_penalized.path):.3g}")

st.caption("At rest Adam + L2 sits at the minimum of f + λ/2‖θ‖², like SGD: there the gradient and the penalty are "
           "divided by the same √v̂ + ε and cancel. The distortion is on the way: per axis, L2's pull is scaled by "
           "1/(√v̂ + ε). AdamW's αλθ is never scaled, so its rest point balances the decay against Adam's normalized "
           "step instead — it is not the L2 minimum, and it treats both axes alike whatever their curvature.")
st.markdown(
    "**What to try**\n"
    "- Read the table: Adam + L2 ends where SGD + L2 does, at the minimum of f + λ/2‖θ‖²; AdamW ends elsewhere.\n"
    "- Compare the pulls at the start: on the steep y axis Adam's scaling shrinks the L2 pull far below "
    "AdamW's αλθ.\n"
    "- Raise λ to 2–5 and watch the sweep: L2 shrinks the flat x axis first, AdamW pulls both axes in together.")
controls.playground_link(settings)
