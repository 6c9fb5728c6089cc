"""The Playground in a real browser: sliders move paths, a click moves the start, Play animates."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import StreamlitPage, expect


def path_traces(figure: dict) -> dict[str, np.ndarray]:
    return {trace["name"]: np.stack([np.asarray(trace["x"]), np.asarray(trace["y"])], axis=-1)
            for trace in figure["data"]
            if trace.get("mode") == "lines+markers" and trace.get("xaxis", "x") == "x"}


def start_marker(figure: dict) -> tuple[float, float]:
    marker = next(trace for trace in figure["data"] if trace.get("name") == "start")
    return float(marker["x"][0]), float(marker["y"][0])


@pytest.fixture
def playground(app: StreamlitPage) -> StreamlitPage:
    app.open("")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    return app


def test_four_paths_a_slider_moves_its_path_and_a_new_run_opens_its_editor(playground: StreamlitPage):
    """A first visit: four paths and the table; α of Adam moved by a key press moves Adam's path and the
    link; a run added afterwards opens its editor."""
    page = playground.page
    figure = playground.plotly_figure()
    assert len(path_traces(figure)) == 4
    assert page.get_by_test_id("stDataFrame").count() == 1
    playground.screenshot("playground-1440")

    before = path_traces(figure)["Adam (lr=0.05)"]
    expander = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Adam (lr=0.05)")
    with playground.waiting_for_rerun():  # a run's widgets are drawn once its expander opens
        expander.locator("summary").click()
    thumb = expander.get_by_test_id("stSlider").first.locator("input[type='range']")
    thumb.locator("xpath=../..").scroll_into_view_if_needed()
    box = thumb.locator("xpath=../..").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    with playground.waiting_for_rerun():
        page.keyboard.press("ArrowLeft")
    playground.assert_healthy()
    after = path_traces(playground.plotly_figure())
    moved = next(path for label, path in after.items() if label.startswith("Adam (lr=0.03)"))
    assert moved.shape != before.shape or not np.allclose(moved, before)
    assert "lr%3D0.03" in page.url or "lr=0.03" in page.url
    reopened = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Adam (lr=0.03)")
    assert reopened.get_by_test_id("stSlider").first.is_visible(), "the run's settings stay open after a change"

    sidebar = page.get_by_test_id("stSidebar")
    with playground.waiting_for_rerun():
        sidebar.get_by_role("button", name="Add run").click()
    editor = sidebar.get_by_test_id("stExpander").filter(has_text="SGD")
    expect(editor.get_by_test_id("stSlider").first).to_be_visible()
    playground.assert_healthy()


# The loss-curve markers (one-number-per-run marker traces on the second axes) show the replayed step.
MARKERS_AT = "graph => graph.data.filter(t => t.xaxis === 'x2' && t.mode === 'markers').flatMap(t => Array.from(t.x))"
# The landscape: plotly.js draws the layout image as an SVG <image> under the subplot.
LANDSCAPE_DRAWN = "graph => graph.querySelectorAll('svg image').length"


def test_a_click_on_the_contour_moves_the_start_and_play_replays_over_the_landscape(playground: StreamlitPage):
    page = playground.page
    playground.click_plot(0.5, -0.5)
    playground.wait_until_idle()
    playground.assert_healthy()
    x0 = float(page.get_by_role("spinbutton", name="start x").input_value())
    y0 = float(page.get_by_role("spinbutton", name="start y").input_value())
    assert abs(x0 - 0.5) < 0.15 and abs(y0 + 0.5) < 0.15, (x0, y0)
    assert start_marker(playground.plotly_figure()) == pytest.approx((x0, y0), abs=1e-3)
    assert "x0=" in page.url

    graph = playground.plotly_graphs().first
    assert set(graph.evaluate(MARKERS_AT)) == {1000}
    assert graph.evaluate(LANDSCAPE_DRAWN) == 1
    runs_before = playground.script_runs_started()
    graph.locator(".updatemenu-button").filter(has_text="▶ 4×").click()
    page.wait_for_function(f"graph => ({MARKERS_AT})(graph).every(step => 0 < step && step < 1000)",
                           arg=graph.element_handle(), timeout=30_000)
    assert graph.evaluate(LANDSCAPE_DRAWN) == 1, "the landscape stays during the replay"
    steps_seen = graph.evaluate(f"""graph => new Promise(resolve => {{
        const seen = new Set();
        const timer = setInterval(() => {{
            ({MARKERS_AT})(graph).forEach(step => seen.add(step));
            if (seen.has(1000)) {{ clearInterval(timer); resolve(seen.size); }}
        }}, 5);
    }})""")
    assert steps_seen > 20, "the replay moves through many steps, not a few coarse frames"
    assert graph.evaluate(LANDSCAPE_DRAWN) == 1, "the landscape stays after the replay"
    assert playground.script_runs_started() == runs_before, "the replay must not rerun the script"
    playground.assert_healthy()


def test_a_diverged_run_says_where_it_diverged(app: StreamlitPage):
    app.open("", landscape="quadratic", condition="100", run=["sgd:lr=0.03", "momentum:lr=0.01"])
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    expect(app.page.get_by_text("SGD (lr=0.03) diverged at step 12")).to_be_visible()
    grid = app.page.get_by_test_id("stDataFrame")
    # The grid draws on a canvas; its cells' text is also in an accessible table.
    cells = grid.locator("td[role='gridcell']")
    expect(cells.filter(has_text="diverged at step 12")).to_have_count(1)
    assert cells.filter(has_text="None").count() == 0 and cells.filter(has_text="nan").count() == 0
    app.screenshot("playground-diverged-1440")
    app.assert_healthy()


def line_styles(app: StreamlitPage) -> dict[str, tuple[str, str]]:
    return {trace["name"]: (trace["line"]["color"], trace["line"]["dash"])
            for trace in app.plotly_figure()["data"] if trace.get("mode") == "lines+markers"}


def test_a_reopened_link_keeps_each_runs_colour_and_dash(playground: StreamlitPage, browser):
    page = playground.page
    sidebar = page.get_by_test_id("stSidebar")
    with playground.waiting_for_rerun():
        sidebar.get_by_test_id("stExpander").filter(has_text="RMSprop").locator("summary").click()
    with playground.waiting_for_rerun():
        sidebar.get_by_role("button", name="Remove").click()
    styles = line_styles(playground)
    assert len(styles) == 3 and "colors=0%2C2%2C3" in page.url
    with playground.opened_in_a_fresh_browser(browser, page.url) as fresh:
        expect(fresh.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
        assert line_styles(fresh) == styles


def test_a_typed_functions_error_is_shown_verbatim_and_the_last_figure_stays(app: StreamlitPage):
    app.open("", landscape="custom", f="x^2 + y^2")
    field = app.page.get_by_label("f(x, y) =", exact=True).and_(app.page.get_by_test_id("stTextInputField"))
    with app.waiting_for_rerun():
        field.fill("__import__('os')")
        field.press("Enter")
    alert = app.page.get_by_test_id("stSidebar").get_by_test_id("stAlert")
    expect(alert).to_contain_text("__import__")
    graph = app.plotly_graphs().first
    expect(graph.locator(".annotation-text").filter(has_text="showing")).to_have_text("showing the last valid function")
    assert len(path_traces(app.plotly_figure())) == 4, "the last valid function's paths stay on screen"
    app.screenshot("playground-invalid-function-1440")
    app.assert_healthy()


@pytest.mark.parametrize("viewport", [{"width": 700, "height": 1000}])
def test_narrow_screen_still_works(app: StreamlitPage, viewport):
    app.open("", landscape="himmelblau")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    app.screenshot("playground-narrow")
    app.assert_healthy()


def test_the_3d_switch_travels_in_the_link(app: StreamlitPage):
    app.open("", surface="true", landscape="himmelblau")
    expect(app.plotly_graphs()).to_have_count(2)  # the contour and the 3D surface under it
    assert "surface=true" in app.page.url and "landscape=himmelblau" in app.page.url
    with app.waiting_for_rerun():
        app.page.locator(".st-key-surface input").click(force=True)
    expect(app.plotly_graphs()).to_have_count(1)
    assert "surface" not in app.page.url and "landscape=himmelblau" in app.page.url
    app.assert_healthy()
