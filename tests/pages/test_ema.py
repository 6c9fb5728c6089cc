"""The moving-average page: its numbers against the EMA computed by hand, and its controls."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.ema_stream import STEPS, averages_of, gradient_stream
from viz.ema import EmaSeries, weight_ages
from viz.figure import decode

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("app_pages/ema.py").run()
    assert not at.exception
    return at


def figure(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


def by_hand(values, beta: float) -> tuple[float, float]:
    """v₃ written out term by term, and v̂₃ = v₃ / (1 − β³)."""
    g1, g2, g3 = values
    v3 = beta**2 * (1 - beta) * g1 + beta * (1 - beta) * g2 + (1 - beta) * g3
    return v3, v3 / (1 - beta**3)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.999])
def test_three_steps_of_a_known_stream_match_the_hand_computation(beta):
    series = averages_of(np.array([2.0, -1.0, 4.0]), beta)
    v3, corrected = by_hand((2.0, -1.0, 4.0), beta)
    assert series.average[3] == pytest.approx(v3, rel=1e-12)
    assert series.corrected[3] == pytest.approx(corrected, rel=1e-12)
    assert series.mass[3] == pytest.approx(1 - beta**3, rel=1e-12)
    np.testing.assert_allclose(series.impulse[1:4], [(1 - beta), beta * (1 - beta), beta**2 * (1 - beta)],
                               rtol=1e-12)


def test_a_constant_stream_is_underestimated_until_bias_correction():
    series = averages_of(np.full(5, 3.0), 0.9)
    np.testing.assert_allclose(series.average[1:], 3.0 * (1 - 0.9 ** np.arange(1, 6)), rtol=1e-12)
    np.testing.assert_allclose(series.corrected[1:], 3.0, rtol=1e-12)


def test_the_stream_is_fixed_by_its_seed_and_has_spikes():
    stream = gradient_stream()
    np.testing.assert_array_equal(stream, gradient_stream())
    assert np.sum(np.abs(stream - np.median(stream)) > 3.5) >= 3


def test_default_view_shows_the_stream_its_averages_and_the_step_numbers():
    at = open_page()
    spec = figure(at)
    stream = gradient_stream()
    np.testing.assert_allclose(decode(trace(spec, "θₜ (stream)")["y"]), stream, rtol=1e-6)  # float32 on the wire
    v10 = trace(spec, "step 10")["y"][0]
    expected = averages_of(stream, 0.9).average[10]
    assert v10 == pytest.approx(expected, rel=1e-12)
    assert at.latex[0].value.count("v_{10} = 0.9 \\times") == 1
    assert f"= {expected:.4g}" in at.latex[0].value


def test_step_three_shows_the_hand_computed_ema_in_the_marker_and_the_equation():
    at = open_page()
    at.slider(key="ema_step").set_value(3).run()
    first = gradient_stream()[:3]
    v3, corrected = by_hand(first, 0.9)
    assert trace(figure(at), "step 3")["y"] == pytest.approx([v3, corrected], rel=1e-12)
    equation = at.latex[0].value.strip("$\n")
    assert f"= {v3:.4g}" in equation
    assert first[2] < 0 and rf"0.1 \times ({first[2]:.4g})" in equation  # θ₃ is a spike below zero
    assert "1 - \\beta^{3}" in equation and f"{1 - 0.9**3:.4g}" in equation
    assert equation.endswith(f"= {corrected:.4g}")


def test_beta_changes_the_weights_window_and_playground_link():
    at = open_page()
    at.select_slider(key="ema_beta").set_value(0.5).run()
    at.slider(key="ema_step").set_value(3).run()
    assert not at.exception
    spec = figure(at)
    present = trace(spec, "weight of θₜ₋ₖ in vₜ")
    np.testing.assert_allclose(decode(present["x"]), [0, 1, 2])
    np.testing.assert_allclose(decode(present["y"]), [0.5, 0.25, 0.125], rtol=1e-6)
    missing = decode(trace(spec, "missing weight")["y"])
    assert missing[0] == pytest.approx(0.0625, rel=1e-6)  # β³(1 − β): what v₀ = 0 takes
    assert any("1 − βᵗ = 0.875" in a["text"] for a in spec["layout"]["annotations"])
    assert any("= 2 steps" in a["text"] for a in spec["layout"]["annotations"])
    link = at.get("page_link")[0].proto
    query = parse_qs(link.query_string)
    assert query["run"][1] == "momentum:lr=0.02,beta=0.5"
    assert query["run"][3] == "adam:lr=0.02,beta1=0.5,bias_correction=0"


def test_the_warmup_zoom_shows_the_first_windows():
    at = open_page()
    at.select_slider(key="ema_beta").set_value(0.95).run()
    zoom = figure(at, 1)
    assert len(decode(trace(zoom, "vₜ")["x"])) == 40  # two windows of 1/(1 − 0.95) = 20 steps
    np.testing.assert_allclose(decode(trace(zoom, "1 − βᵗ")["y"]), 1 - 0.95 ** np.arange(1, 41), rtol=1e-6)


def test_the_weight_panel_reaches_past_the_current_step():
    series = EmaSeries(0.9, *(np.zeros(201),) * 5)
    assert weight_ages(series, 5) == 30 and weight_ages(series, 150) == 151


def test_play_advances_the_step_and_stops_at_the_last_one():
    at = open_page()
    at.toggle(key="ema_playing").set_value(True).run()
    assert not at.exception
    assert at.slider(key="ema_step").value == 11  # the first tick is due at once
    assert trace(figure(at), "step 11")["x"] == [11, 11]

    at.slider(key="ema_step").set_value(STEPS).run()
    assert at.toggle(key="ema_playing").value is False
    assert at.slider(key="ema_step").value == STEPS

