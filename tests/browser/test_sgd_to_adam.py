"""The SGD → Adam page in chromium: switching to the rotated valley redraws all four panels."""

from __future__ import annotations

import numpy as np

from .helpers import StreamlitPage, expect


def open_page(app: StreamlitPage) -> None:
    app.open("sgd-to-adam")
    expect(app.plotly_graphs()).to_have_count(4, timeout=60_000)
    for index in range(4):
        expect(app.plotly_graphs().nth(index).locator(".main-svg").first).to_be_visible(timeout=60_000)


def path_and_title(figure: dict) -> tuple[np.ndarray, str]:
    line = next(t for t in figure["data"] if t.get("mode") == "lines")
    return np.stack([np.asarray(line["x"]), np.asarray(line["y"])], axis=-1), figure["layout"]["title"]["text"]


def test_rotating_the_valley_turns_sgd_and_slows_adam(app: StreamlitPage) -> None:
    open_page(app)
    aligned = [path_and_title(app.plotly_figure(index)) for index in range(4)]
    for (_, title), name in zip(aligned, ("SGD", "Momentum", "RMSprop", "Adam"), strict=True):
        assert f"{name}: f = " in title

    with app.waiting_for_rerun():
        app.page.get_by_test_id("stRadio").get_by_text("rotated 45°").click()
    app.assert_healthy()
    rotated = [path_and_title(app.plotly_figure(index)) for index in range(4)]

    turn = np.array([[1.0, -1.0], [1.0, 1.0]]) / np.sqrt(2.0)
    np.testing.assert_allclose(rotated[0][0], aligned[0][0] @ turn.T, atol=1e-5)
    assert rotated[0][1] == aligned[0][1]  # SGD does not care which way the valley points
    assert rotated[3][1] != aligned[3][1]  # Adam does
    app.screenshot("sgd-to-adam-rotated-1440")
