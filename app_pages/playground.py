"""Playground: compare optimizers side by side on any landscape."""

import streamlit as st

from ui import clouds, curvature
from ui import playground_controls as controls
from ui import playground_state as state
from ui.markdown import escape_markdown
from ui.playground_results import downloads, pytorch_code, results
from ui.presentation import chart, hidden_names, unknown_hidden
from ui.runs import (
    backdrop,
    build_landscape,
    cached_grid,
    each_run,
    landscape_key,
    playground_runs,
    run_paths,
    unique_label,
)
from ui.share import BIND
from viz.clouds import add_clouds
from viz.palette import run_color
from viz.playground import STALE_NOTE, playground_figure, stale
from viz.surface import surface_figure

notes = state.load_from_url()
st.title("Optimizer Playground")
heading = st.container()
figure_place, slide = controls.slide_places()

with st.sidebar:
    st.subheader("Landscape")
    landscape = controls.landscape_controls(slide.problem if slide else None)
    controls.curvature_control()
    st.subheader("Runs")
    view = state.current_view() if landscape is not None else None
    on_slide = controls.slide_slot() if slide else None
    for index, slot in enumerate(st.session_state.run_slots):
        label = unique_label(view.runs, index) if view else f"run {index + 1}"
        controls.run_editor(slot, run_color(state.colors()[index]), label, on_slide=slot == on_slide)
    controls.add_run_button()
    st.subheader("Start, steps and noise")
    controls.run_settings_controls(slide.problem if slide else None)
    controls.cloud_control()
if slide:
    controls.slide_run_controls(slide.run)
notes = [*notes, *unknown_hidden(hidden_names())]  # after the widgets: a name is known once its control exists

if notes:
    heading.warning("Parts of the link were ignored:\n" + "\n".join(f"- {escape_markdown(note)}" for note in notes),
                    icon=":material/link_off:")
if landscape is None:
    # The last figure that could be drawn stays, greyed, so a typo does not blank the page.
    last = state.last_valid_view()
    if last is None:
        heading.info("Fix the function in the sidebar to see the runs.")
        st.stop()
    shown = build_landscape(landscape_key(last))
    heading.caption(f"The function is not valid yet: {STALE_NOTE}, {shown.name}: ${shown.formula}$.")
    runs = playground_runs(last, shown, list(last.run_colors))
    with figure_place:
        chart(stale(playground_figure(shown, backdrop(landscape_key(last), shown.bounds), runs.layers, last.start,
                                      last.steps)), config={"displaylogo": False})
    st.stop()

view = state.current_view()
state.mirror_to_url(view)
if not slide:  # presenting, the subtitle is the lecturer's to say (as on every page)
    heading.caption(f"{landscape.name}: ${landscape.formula}$ — drag a slider in the sidebar and watch the paths "
                    "move; click the contour to start somewhere else; press ▶ to replay. The address bar always "
                    "links to this view.")

runs = playground_runs(view, landscape, state.colors())
each = list(each_run(view, landscape, state.colors()))
noisy = clouds.playground_clouds(view, each) if clouds.active(view) else None
layers = noisy.layers if noisy else runs.layers
figure = playground_figure(landscape, backdrop(landscape_key(view), landscape.bounds), layers, view.start,
                           view.steps)
if noisy:
    add_clouds(figure, noisy.runs, landscape.bounds, landscape.minimum_value)
if view.curvature:
    sharpness = curvature.run_sharpness(view, [arguments for arguments, _, _ in each], layers)
    curvature.add_layer(figure, landscape, view, layers, sharpness)
with figure_place:
    chart(figure, key=state.CHART, on_select=state.start_from_click, selection_mode="points",
          config={"displaylogo": False, "scrollZoom": True})
    if st.toggle("3D surface", key=state.SURFACE, bind=BIND, value=False):
        chart(surface_figure(landscape, cached_grid(landscape_key(view)),
                             run_paths(view, landscape, state.colors())), config={"displaylogo": False})

if view.curvature:
    curvature.stability_panel(view, [label for _, label, _ in each], sharpness)
if noisy:
    clouds.results(noisy.runs, landscape)
else:
    results(runs.summaries, landscape)
pytorch_code(view)
downloads(lambda: run_paths(view, landscape, state.colors()), view)
