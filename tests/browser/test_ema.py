"""The moving-average page in chromium: moving β and the step t by keyboard redraws the figure; Play steps t."""

from __future__ import annotations

import numpy as np

from .helpers import StreamlitPage, expect


def open_page(app: StreamlitPage) -> None:
    app.open("ema")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)


def press_on_slider(app: StreamlitPage, index: int, key: str) -> None:
    """Click the thumb of the index-th slider, as a person would, then press ``key`` once."""
    thumb = app.page.get_by_test_id("stSlider").nth(index).locator("input[type='range']")
    handle = thumb.locator("xpath=../..")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(thumb).to_be_focused()
    with app.waiting_for_rerun():
        app.page.keyboard.press(key)
    app.assert_healthy()


def trace(figure: dict, prefix: str) -> dict:
    return next(t for t in figure["data"] if t.get("name", "").startswith(prefix))


def test_step_and_beta_sliders_move_the_marker_and_the_average(app: StreamlitPage) -> None:
    open_page(app)
    before = app.plotly_figure(0)
    assert trace(before, "step ")["x"] == [10, 10]

    press_on_slider(app, 1, "ArrowRight")
    after_step = app.plotly_figure(0)
    assert trace(after_step, "step ")["x"] == [11, 11]
    assert any("v_{11} = 0.9" in source for source in app.page.locator(".katex annotation").all_text_contents())

    press_on_slider(app, 0, "ArrowRight")
    after_beta = app.plotly_figure(0)
    average_before = np.asarray(trace(after_step, "vₜ (EMA)")["y"])
    average_after = np.asarray(trace(after_beta, "vₜ (EMA)")["y"])
    assert not np.allclose(average_before, average_after)
    assert "= 20 steps" in " ".join(a["text"] for a in after_beta["layout"]["annotations"])  # β went 0.9 → 0.95
    app.screenshot("ema-1440")

    # Play steps t forward by itself until it is switched off.
    step = app.page.locator(".st-key-ema_step input[type='range']")
    stopped = app.play_until("ema_playing", step, "14")
    assert int(stopped) >= 14
    assert trace(app.plotly_figure(0), "step ")["x"] == [int(stopped)] * 2
    expect(app.page.get_by_text("Part of this link was not used")).to_have_count(0)  # Play's own moves are no link
    app.assert_healthy()
