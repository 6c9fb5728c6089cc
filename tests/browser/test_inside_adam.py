"""Inside Adam in chromium: the step slider and the Next button move the arrows along the run."""

from __future__ import annotations

import numpy as np

from .helpers import StreamlitPage, expect


def open_page(app: StreamlitPage) -> None:
    app.open("inside-adam")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)


def arrow(figure: dict, prefix: str) -> np.ndarray:
    """The arrow trace whose name starts with ``prefix``: its tail and tip."""
    trace = next(t for t in figure["data"] if t.get("name", "").startswith(prefix))
    return np.array([trace["x"], trace["y"]], dtype=float).T


def test_step_slider_and_next_button_move_the_arrows(app: StreamlitPage) -> None:
    open_page(app)
    first = arrow(app.plotly_figure(0), "Δθ₁ ")
    np.testing.assert_allclose(first[0], [-1.5, 2.0])  # step 1 starts at Rosenbrock's default start

    app.set_slider("Step t", 10)
    app.assert_healthy()
    tenth = arrow(app.plotly_figure(0), "Δθ₁₀ ")
    assert np.linalg.norm(tenth[0] - first[0]) > 0.01  # the tail is θ₉ now
    assert any(r"m_{10} &=" in source for source in app.page.locator(".katex annotation").all_text_contents())

    with app.waiting_for_rerun():
        app.page.get_by_role("button", name="Next ▶").click()
    app.assert_healthy()
    eleventh = arrow(app.plotly_figure(0), "Δθ₁₁ ")
    # Step 11 starts where step 10 landed: θ₁₀ lies along step 10's update arrow from θ₉.
    moved, drawn = eleventh[0] - tenth[0], tenth[1] - tenth[0]
    assert np.linalg.norm(moved) > 0
    assert moved @ drawn / np.linalg.norm(moved) / np.linalg.norm(drawn) > 0.999
    app.screenshot("inside-adam-1440")


def test_play_steps_forward_by_itself_and_stops_when_switched_off(app: StreamlitPage) -> None:
    app.open("inside-adam", inside_adam_speed=4)
    step = app.page.locator(".st-key-inside_adam_t input[type='range']")
    assert step.get_attribute("aria-valuetext") == "t = 1"

    app.play_until("inside_adam_playing", step, "t = 4")
    expect(app.page.get_by_text("Part of this link was not used")).to_have_count(0)  # Play's own moves are no link
    app.assert_healthy()
