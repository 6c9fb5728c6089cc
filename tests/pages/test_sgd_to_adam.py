"""The SGD → Adam page: four panels on one valley, the first steps by hand, and the rotation lesson."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from viz.figure import decode

APP = Path(__file__).resolve().parents[2] / "app.py"
START = np.array([-1.8, 0.6])
NAMES = ("SGD", "Momentum", "RMSprop", "Adam")


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("app_pages/sgd_to_adam.py").run()
    assert not at.exception
    return at


def panels(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def path(panel: dict) -> np.ndarray:
    line = next(t for t in panel["data"] if t.get("mode") == "lines")
    return np.stack([decode(line["x"]), decode(line["y"])], axis=-1).astype(np.float64)


def title(panel: dict) -> str:
    return panel["layout"]["title"]["text"]


def rotation(degrees: float) -> np.ndarray:
    phi = np.deg2rad(degrees)
    return np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])


def test_four_panels_each_with_its_rule_and_the_engine_path():
    at = open_page()
    shown = panels(at)
    assert [title(p).split(":")[0] for p in shown] == list(NAMES)
    valley = landscapes.get("quadratic", condition=50.0, angle=0.0)
    for panel, optimizer, lr in zip(shown, ("sgd", "momentum", "rmsprop", "adam"), (0.035, 0.2, 0.02, 0.05),
                                    strict=True):
        expected = optimizers.run(optimizer, valley, start=START, steps=100, lr=lr)
        np.testing.assert_allclose(path(panel), expected.path, rtol=1e-6, atol=1e-6)  # float32 on the wire
        assert title(panel).endswith(f"f = {float(expected.final_loss):.2g}")
    rules = [latex.value for latex in at.latex]
    assert len(rules) == 4
    assert r"v_t = \beta v_{t-1} + (1 - \beta)\, \nabla_\theta J(\theta)" in rules[1]
    assert r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}" in rules[3]


def test_first_steps_by_hand_sgd_is_minus_alpha_g_and_adam_is_alpha_sign_g():
    shown = panels(open_page())
    g = np.array([1.0 * START[0], 50.0 * START[1]])  # ∇f = diag(1, κ) θ on the axis-aligned valley
    sgd_step = path(shown[0])[1] - START
    np.testing.assert_allclose(sgd_step, -0.035 * g, rtol=1e-5)
    adam_step = path(shown[3])[1] - START
    np.testing.assert_allclose(adam_step, -0.05 * np.sign(g), rtol=1e-5)
    assert abs(adam_step[0]) == pytest.approx(abs(adam_step[1]), rel=1e-5)  # though |g| differs 17-fold


def test_rotating_the_valley_rotates_sgd_and_momentum_but_not_the_per_axis_methods():
    at = open_page()
    aligned = panels(at)
    at.radio(key="sgd_to_adam_valley").set_value("rotated 45°").run()
    assert not at.exception
    rotated = panels(at)
    turn = rotation(45.0)
    for index in (0, 1):
        np.testing.assert_allclose(path(rotated[index]), path(aligned[index]) @ turn.T, atol=1e-5)
        assert title(rotated[index]) == title(aligned[index])
    for index in (2, 3):
        before = float(title(aligned[index]).split("f = ")[1])
        after = float(title(rotated[index]).split("f = ")[1])
        assert after > 100 * before


def test_a_steeper_valley_makes_sgd_diverge_and_only_sgd():
    at = open_page()
    at.select_slider(key="sgd_to_adam_condition").set_value(100.0).run()
    shown = panels(at)
    assert "diverged at step" in title(shown[0])
    assert all("f = " in title(panel) for panel in shown[1:])
    at.select_slider(key="sgd_to_adam_lr_sgd").set_value(0.015).run()
    assert "f = " in title(panels(at)[0])


def test_one_learning_rate_moves_one_panel_and_the_playground_link_follows():
    at = open_page()
    before = panels(at)
    at.select_slider(key="sgd_to_adam_lr_adam").set_value(0.1).run()
    at.select_slider(key="sgd_to_adam_steps").set_value(50).run()
    after = panels(at)
    np.testing.assert_allclose(path(after[3])[1] - START, [0.1, -0.1], rtol=1e-5)
    np.testing.assert_array_equal(path(after[0]), path(before[0])[:51])
    query = parse_qs(at.get("page_link")[0].proto.query_string)
    assert query["landscape"] == ["quadratic"] and query["condition"] == ["50"] and query["angle"] == ["0"]
    assert (float(query["x0"][0]), float(query["y0"][0])) == tuple(START)
    assert query["steps"] == ["50"]
    assert query["run"] == ["sgd:lr=0.035", "momentum:lr=0.2", "rmsprop:lr=0.02", "adam:lr=0.1"]
