"""L2 vs weight decay in chromium: moving λ moves both paths and where they settle."""

from __future__ import annotations

import numpy as np

from .helpers import StreamlitPage, expect


def open_page(app: StreamlitPage) -> None:
    app.open("weight-decay")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)


def end_of(figure: dict, name: str) -> np.ndarray:
    trace = next(t for t in figure["data"] if t.get("name") == name and t.get("mode") == "lines")
    return np.array([trace["x"][-1], trace["y"][-1]], dtype=float)


def test_moving_lambda_moves_where_adam_l2_and_adamw_settle(app: StreamlitPage) -> None:
    open_page(app)
    before = app.plotly_figure(0)
    # λ = 0.5 on ½(x − 1.5)² + 12.5(y − 1)²: the L2 minimum is (1.5/1.5, 25/25.5).
    np.testing.assert_allclose(end_of(before, "Adam + L2"), [1.0, 25 / 25.5], atol=1e-5)

    app.set_slider("weight decay λ", "1")
    app.assert_healthy()
    after = app.plotly_figure(0)
    np.testing.assert_allclose(end_of(after, "Adam + L2"), [0.75, 25 / 26], atol=1e-5)
    assert np.linalg.norm(end_of(after, "AdamW") - end_of(before, "AdamW")) > 0.05
    app.screenshot("weight-decay-1440")
