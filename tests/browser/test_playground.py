"""The Playground in a real browser: sliders move paths, a click moves the start, Play animates."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import StreamlitPage, expect


def path_traces(figure: dict) -> dict[str, np.ndarray]:
    return {trace["name"]: np.stack([np.asarray(trace["x"]), np.asarray(trace["y"])], axis=-1)
            for trace in figure["data"]
            if trace.get("mode") == "lines" and trace.get("xaxis", "x") == "x" and trace.get("showlegend", True)}


def start_marker(figure: dict) -> tuple[float, float]:
    marker = next(trace for trace in figure["data"] if trace.get("name") == "start")
    return float(marker["x"][0]), float(marker["y"][0])


@pytest.fixture
def playground(app: StreamlitPage) -> StreamlitPage:
    app.open("")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    return app


def test_loads_with_four_paths_and_no_errors(playground: StreamlitPage):
    figure = playground.plotly_figure()
    assert len(path_traces(figure)) == 4
    assert playground.page.get_by_test_id("stDataFrame").count() == 1
    playground.screenshot("playground-1440")


def test_moving_a_learning_rate_slider_moves_that_path(playground: StreamlitPage):
    page = playground.page
    before = path_traces(playground.plotly_figure())["Adam (lr=0.05)"]
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


def test_clicking_the_contour_moves_the_start(playground: StreamlitPage):
    page = playground.page
    playground.click_plot(0.5, -0.5)
    playground.wait_until_idle()
    playground.assert_healthy()
    x0 = float(page.get_by_role("spinbutton", name="start x").input_value())
    y0 = float(page.get_by_role("spinbutton", name="start y").input_value())
    assert abs(x0 - 0.5) < 0.15 and abs(y0 + 0.5) < 0.15, (x0, y0)
    assert start_marker(playground.plotly_figure()) == pytest.approx((x0, y0), abs=1e-3)
    assert "x0=" in page.url


def test_play_animates_the_paths(playground: StreamlitPage):
    page = playground.page
    graph = playground.plotly_graphs().first
    # The loss-curve markers (plain one-number traces on the second axes) show the replayed step.
    markers_at = "graph => graph.data.filter(t => t.xaxis === 'x2' && t.mode === 'markers').map(t => t.x[0])"
    assert set(graph.evaluate(markers_at)) == {1000}
    runs_before = playground.script_runs_started()
    graph.locator(".updatemenu-button").filter(has_text="Play").click()
    page.wait_for_function(f"graph => ({markers_at})(graph).every(step => 0 < step && step < 1000)",
                           arg=graph.element_handle(), timeout=30_000)
    page.wait_for_function(f"graph => ({markers_at})(graph).every(step => step === 1000)",
                           arg=graph.element_handle(), timeout=30_000)
    assert playground.script_runs_started() == runs_before, "the replay must not rerun the script"
    playground.assert_healthy()


@pytest.mark.parametrize("viewport", [{"width": 700, "height": 1000}])
def test_narrow_screen_still_works(app: StreamlitPage, viewport):
    app.open("", landscape="himmelblau")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    app.screenshot("playground-narrow")
    app.assert_healthy()
