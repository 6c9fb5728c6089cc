"""L2 vs weight decay: settle points and decay pulls against hand computation, SGD's equivalence, controls."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from viz.figure import decode
from viz.weight_decay import DecayRun

APP = Path(__file__).resolve().parents[2] / "app.py"
CURVATURE, CENTER = np.array([1.0, 25.0]), np.array([1.5, 1.0])


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/weight_decay.py").run()
    assert not at.exception
    return at


def figure(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def l2_minimum(decay: float) -> np.ndarray:
    """argmin ½Σhᵢ(θᵢ − cᵢ)² + λ/2‖θ‖², by hand: θᵢ = hᵢcᵢ/(hᵢ + λ)."""
    return CURVATURE * CENTER / (CURVATURE + decay)


def test_adam_l2_and_sgd_l2_settle_at_the_l2_minimum_and_adamw_elsewhere():
    at = open_page()
    settled = at.dataframe[0].value
    np.testing.assert_allclose(settled.loc["Adam + L2", ["x", "y"]], l2_minimum(0.5), atol=1e-9)
    np.testing.assert_allclose(settled.loc["SGD + L2", ["x", "y"]], l2_minimum(0.5), atol=1e-9)
    assert np.linalg.norm(settled.loc["AdamW", ["x", "y"]].to_numpy(float) - l2_minimum(0.5)) > 0.1
    # f + λ/2‖θ‖² at the L2 minimum (1, 25/25.5), by hand.
    x, y = l2_minimum(0.5)
    by_hand = 0.5 * (x - 1.5) ** 2 + 12.5 * (y - 1) ** 2 + 0.25 * (x**2 + y**2)
    assert settled.loc["Adam + L2", "f + λ/2‖θ‖²"] == pytest.approx(by_hand, rel=1e-9)


def test_the_first_pull_is_alpha_lambda_theta_for_adamw_and_divided_by_the_gradient_for_adam():
    at = open_page()
    text = at.caption[1].value
    # Start (0.3, 2.5): g = (1·(0.3 − 1.5), 25·(2.5 − 1)) = (−1.2, 37.5); Adam + L2 adds λθ = (0.15, 1.25).
    # Step 1 divides by |g + λθ| = (1.05, 38.75): pull = αλ|θ|/(|g + λθ| + ε); AdamW's is αλθ = (0.0015, 0.0125).
    l2_pull = 0.01 * 0.5 * np.array([0.3, 2.5]) / np.array([1.05, 38.75])
    assert f"x by {l2_pull[0]:.3g} in Adam + L2 and 0.0015 in AdamW" in text
    assert f"y by {l2_pull[1]:.3g} and 0.0125" in text
    assert "(1.05, 38.8)" in text


def test_adamw_pull_from_the_recorded_state_is_exactly_alpha_lambda_theta():
    land = landscapes.shifted_quadratic()
    trajectory = optimizers.run("adamw", land, steps=300, record_state=True, lr=0.01, weight_decay=0.5)
    run = DecayRun("AdamW", trajectory.path, trajectory.state, 0.01, 0.5, 1e-8)
    np.testing.assert_allclose(run.pull(decoupled=True), 0.01 * 0.5 * trajectory.path[:-1], rtol=1e-9, atol=1e-15)


def test_sgd_with_weight_decay_walks_the_path_of_sgd_on_the_penalized_loss():
    at = open_page()
    assert float(at.metric[0].value) == pytest.approx(0.0, abs=1e-15)
    land = landscapes.get("booth")
    decayed = optimizers.run("sgd", land, steps=500, lr=0.02, weight_decay=0.3)
    penalized = optimizers.run("sgd", landscapes.with_l2(land, 0.3), start=land.start, steps=500, lr=0.02)
    assert np.max(np.linalg.norm(decayed.path - penalized.path, axis=-1)) <= 1e-15


def test_the_sweep_follows_lambda_and_the_slider_changes_the_runs():
    at = open_page()
    sweep = figure(at, 2)
    decays = np.geomspace(1e-2, 10.0, 16)
    adam = next(t for t in sweep["data"] if t.get("name") == "Adam + L2")
    points = np.stack([decode(adam["x"]), decode(adam["y"])], axis=-1)
    np.testing.assert_allclose(points, [l2_minimum(d) for d in decays], atol=1e-5)  # float32 in the figure
    before = at.dataframe[0].value.loc["AdamW", "x"]
    at.select_slider(key="weight_decay_decay").set_value(2.0).run()
    assert not at.exception
    np.testing.assert_allclose(at.dataframe[0].value.loc["Adam + L2", ["x", "y"]], l2_minimum(2.0), atol=1e-9)
    assert at.dataframe[0].value.loc["AdamW", "x"] < before


def test_booth_and_the_playground_link():
    at = open_page()
    query = parse_qs(at.get("page_link")[0].proto.query_string)
    assert query["landscape"] == ["custom"] and "12.5*(y - 1)^2" in query["f"][0]
    assert query["run"] == ["adam:lr=0.01,weight_decay=0.5", "adamw:lr=0.01,weight_decay=0.5",
                            "sgd:lr=0.03,weight_decay=0.5"]
    at.selectbox(key="weight_decay_landscape").set_value("Booth (tilted bowl)").run()
    assert not at.exception
    assert parse_qs(at.get("page_link")[0].proto.query_string)["landscape"] == ["booth"]
    assert float(at.metric[0].value) == pytest.approx(0.0, abs=1e-15)
