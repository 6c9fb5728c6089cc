"""The hyperparameter page in chromium: a value moved by keyboard reruns AdamW and rewrites its code."""

from __future__ import annotations

import numpy as np

from .helpers import StreamlitPage, expect


def open_page(app: StreamlitPage) -> None:
    app.open("hyperparameters")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)


def adamw_path(app: StreamlitPage) -> np.ndarray:
    line = next(t for t in app.plotly_figure(0)["data"] if t.get("mode") == "lines")
    return np.stack([np.asarray(line["x"]), np.asarray(line["y"])], axis=-1)


def test_raising_the_learning_rate_moves_the_run_and_the_code(app: StreamlitPage) -> None:
    open_page(app)
    code = app.page.get_by_test_id("stCode")
    expect(code).to_contain_text("lr=0.001,")
    before = adamw_path(app)
    assert len(app.page.get_by_test_id("stPageLink").all()) == 6  # five demos and this run

    thumb = app.page.get_by_test_id("stSlider").first.locator("input[type='range']")
    handle = thumb.locator("xpath=../..")
    box = handle.bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(thumb).to_be_focused()
    with app.waiting_for_rerun():
        app.page.keyboard.press("ArrowRight")
    app.assert_healthy()

    expect(code).to_contain_text("lr=0.0015,")
    after = adamw_path(app)
    assert np.linalg.norm(after[-1] - after[0]) > np.linalg.norm(before[-1] - before[0])
    app.screenshot("hyperparameters-1440")
