"""A fair fight: every optimizer tuned with the same budget, defaults and tuned side by side."""

import streamlit as st

import optimizers
from optimizers.tuning import full_settings
from ui import fair_fight as fight_ui
from ui.links import playground_link
from ui.presentation import chart, lesson_area
from ui.runs import build_landscape, cached_grid, cached_run
from ui.view import RunSpec
from viz.fair_fight import budget_figure, fight_table, paths_figure, ranking_sentence
from viz.palette import RUN_SYMBOLS, run_color
from viz.paths import RunPath
from viz.sweeps import SYMBOLS

CONFIG = {"displaylogo": False}

TRY = """**What to try**
- Rosenbrock, 500 steps: at their defaults (α = 0.001) SGD and Adam end far from the minimum; tuned, who wins?
- Change the draw seed: does the tuned ranking survive other draws, or was it luck?
- A budget of 8 against 128: which optimizer needs the big budget, and which is good with any?
- The quadratic at κ = 1000: every stable α is small for SGD; does tuning rescue it?
"""

st.title("Fair fight")
st.caption("Comparing optimizers at their defaults, or tuning only one of them, is not a fair comparison. Here each "
           "gets the same number of tries at its own hyperparameters (its defaults plus random draws of α and of "
           "the averages it uses), on the same problem, and the best try counts.")

fight_ui.adopt_old_link()
lesson = lesson_area()
with st.sidebar:
    request = fight_ui.controls(lesson)
if request is None:
    st.info("Choose at least one optimizer.")
    st.stop()

landscape = build_landscape(request.landscape)
slot = st.empty()
fight = fight_ui.compute(request, slot)

labels = {name: optimizers.get(name).label for name in request.optimizers}
colors = [run_color(k) for k in range(len(request.optimizers))]


def symbols_of(name: str) -> dict[str, str]:
    return {h.name: SYMBOLS.get(h.symbol, h.symbol) for h in optimizers.get(name).hyperparameters}


def _path(name: str, index: int, settings: dict, tuned: bool) -> RunPath:
    overrides = tuple(sorted(settings.items()))
    result = cached_run(name, overrides, request.landscape, request.start, request.steps, 0.0, 0, "constant")
    return RunPath(label=f"{labels[name]} {'tuned' if tuned else 'defaults'}", color=colors[index],
                   path=result.path, loss=result.loss, diverged_at=result.diverged_at,
                   dash="solid" if tuned else "dot", symbol=RUN_SYMBOLS[index % len(RUN_SYMBOLS)])


defaults = [_path(t.optimizer, k, {}, tuned=False) for k, t in enumerate(fight.tunings)]
tuned = [_path(t.optimizer, k, t.best_settings, tuned=True) for k, t in enumerate(fight.tunings)]

chart(paths_figure(landscape, cached_grid(request.landscape), defaults, tuned, request.start),
                key="ff_paths_chart", config=CONFIG)

st.caption("Bold: each optimizer's best try; dotted, in the same colour: its defaults. Right: f − f* step by step.")
st.markdown(f"**{ranking_sentence(fight, labels)}**")
st.dataframe(fight_table(fight, [labels[n] for n in request.optimizers], [symbols_of(n) for n in request.optimizers]),
             hide_index=True, width="stretch")
st.markdown("Each dot below is one try; ◇ marks the defaults and ★ the best try, which the table and the bold paths "
            "show. *Tunability* is the share of tries within 10× of that optimizer's best: high means a rough choice "
            "is nearly as good as the best one.")
chart(budget_figure(fight, [labels[n] for n in request.optimizers], colors), key="ff_budget_chart",
                config=CONFIG)

taking, trying = st.columns([3, 2])
with taking:
    st.subheader("Take a tuned setting with you")
    for tuning in fight.tunings:
        name = tuning.optimizer
        settings = full_settings(tuning, tuning.best_index)
        tuned_values = ", ".join(f"{k} = {v:.4g}" for k, v in tuning.best_settings.items())
        with st.expander(f"{labels[name]} tuned: {tuned_values}"):
            code = optimizers.get(name).pytorch(settings)
            if code is None:
                st.caption(optimizers.get(name).no_twin_reason(settings))
            else:
                st.code(code, language="python", wrap_lines=True)
            view = fight_ui.playground_view(request, [RunSpec.of(name), RunSpec.of(name, **tuning.best_settings)])
            playground_link(view, f"Open {labels[name]} at its defaults and tuned in the Playground")
trying.markdown(TRY)
