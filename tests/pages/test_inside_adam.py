"""Inside Adam: the numbers it shows against hand computation, and its step controls."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from viz.figure import decode
from viz.inside_adam import AdamRun, step_arrows, update_equations

APP = Path(__file__).resolve().parents[2] / "app.py"
ALPHA = 0.05  # the page's α on Rosenbrock


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("app_pages/inside_adam.py").run()
    assert not at.exception
    return at


def table(at: AppTest):
    return at.dataframe[0].value


def figure(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def arrow(spec: dict, prefix: str) -> np.ndarray:
    trace = next(t for t in spec["data"] if t.get("name", "").startswith(prefix))
    return np.array([decode(trace["x"])[1] - decode(trace["x"])[0], decode(trace["y"])[1] - decode(trace["y"])[0]])


def test_first_step_is_alpha_times_sign_of_the_gradient():
    at = open_page()
    state = table(at)
    # Rosenbrock at (−1.5, 2): ∂x = −2(1 − x) − 400x(y − x²) = −5 − 150, ∂y = 200(y − x²) = −50.
    assert state["g"].tolist() == [-155.0, -50.0]
    np.testing.assert_allclose(state["m"], [-15.5, -5.0], rtol=1e-12)  # (1 − β₁) g
    np.testing.assert_allclose(state["v"], [0.001 * 155**2, 0.001 * 50**2], rtol=1e-12)  # (1 − β₂) g²
    np.testing.assert_allclose(state["m̂"], state["g"], rtol=1e-12)
    np.testing.assert_allclose(state["v̂"], state["g"] ** 2, rtol=1e-12)
    # |Δθ| = α|g|/(|g| + ε), against the gradient, on both axes alike.
    np.testing.assert_allclose(state["Δθ"], [ALPHA * 155 / (155 + 1e-8), ALPHA * 50 / (50 + 1e-8)], rtol=1e-12)
    np.testing.assert_allclose(state["α/(√v̂+ε)"], [ALPHA / (155 + 1e-8), ALPHA / (50 + 1e-8)], rtol=1e-12)
    assert r"\begin{pmatrix}-155\\-50\end{pmatrix}" in at.latex[0].value
    assert r"= \begin{pmatrix}-1.45\\2.05\end{pmatrix}" in at.latex[0].value  # θ₁ = (−1.5, 2) + 0.05


def test_next_and_prev_move_t_and_the_second_step_follows_the_update_rule():
    at = open_page()
    first = table(at)
    assert at.button(key="inside_adam_prev").disabled
    at.button(key="inside_adam_next").click().run()
    assert at.slider(key="inside_adam_t").value == 2
    second = table(at)
    np.testing.assert_allclose(second["m"], 0.9 * first["m"] + 0.1 * second["g"], rtol=1e-12)
    np.testing.assert_allclose(second["v"], 0.999 * first["v"] + 0.001 * second["g"] ** 2, rtol=1e-12)
    np.testing.assert_allclose(second["m̂"], second["m"] / (1 - 0.9**2), rtol=1e-12)
    np.testing.assert_allclose(second["v̂"], second["v"] / (1 - 0.999**2), rtol=1e-12)
    np.testing.assert_allclose(second["Δθ"], -ALPHA * second["m̂"] / (np.sqrt(second["v̂"]) + 1e-8), rtol=1e-12)
    assert "m_{2} &= " in at.latex[0].value
    at.button(key="inside_adam_prev").click().run()
    assert at.slider(key="inside_adam_t").value == 1
    assert not at.exception


def test_arrows_point_the_true_way_and_history_marks_t():
    at = open_page()
    at.slider(key="inside_adam_t").set_value(30).run()
    state = table(at)
    arrows = figure(at, 0)
    for prefix, vector in (("−g₃₀", -state["g"]), ("−m̂₃₀", -state["m̂"]), ("Δθ₃₀", state["Δθ"])):
        drawn = arrow(arrows, prefix)
        cosine = drawn @ vector.to_numpy() / np.linalg.norm(drawn) / np.linalg.norm(vector)
        assert cosine > 1 - 1e-5, prefix
    history = figure(at, 1)
    assert [s["x0"] for s in history["layout"]["shapes"]] == [30] * 4
    factors = next(t for t in history["data"] if t.get("name") == "1 − β₁ᵗ")
    np.testing.assert_allclose(decode(factors["y"])[[0, 29]], [0.1, 1 - 0.9**30], rtol=1e-6)


def test_switching_bias_correction_off_makes_the_first_step_too_long():
    at = open_page()
    assert not at.warning
    at.toggle(key="inside_adam_bias_correction").set_value(False).run()
    state = table(at)
    # m₁ = 0.1g and v₁ = 0.001g² uncorrected: the step is α·0.1/√0.001 ≈ 3.16α on each axis.
    np.testing.assert_allclose(state["Δθ"], ALPHA * 0.1 / np.sqrt(0.001), rtol=1e-6)
    assert "3.16× as long as with correction" in at.warning[0].value
    assert "(0.05, 0.05)" in at.warning[0].value


def test_a_large_eps_turns_adam_into_sgd_with_momentum():
    at = open_page()
    at.selectbox(key="inside_adam_landscape").set_value("Ill-conditioned quadratic (κ = 50)").run()
    assert not at.info
    at.select_slider(key="inside_adam_eps").set_value(1.0).run()
    at.select_slider(key="inside_adam_beta2").set_value(0.9).run()
    at.slider(key="inside_adam_t").set_value(100).run()
    assert "on the x axis" in at.info[0].value  # √v̂ = (0.077, 1.13): only x is dominated yet
    at.slider(key="inside_adam_t").set_value(200).run()
    state = table(at)
    assert (np.sqrt(state["v̂"]) < 0.1).all()
    assert "on both axes" in at.info[0].value
    assert "Adam is behaving like SGD with momentum" in at.info[0].value
    np.testing.assert_allclose(state["Δθ"], -ALPHA * state["m̂"] / (np.sqrt(state["v̂"]) + 1.0), rtol=1e-12)


def test_shorter_runs_keep_t_in_range_and_the_link_opens_the_same_run():
    at = open_page()
    at.slider(key="inside_adam_t").set_value(150).run()
    at.select_slider(key="inside_adam_steps").set_value(50).run()
    assert at.slider(key="inside_adam_t").value == 50
    query = parse_qs(at.get("page_link")[0].proto.query_string)
    assert query["landscape"] == ["rosenbrock"] and query["steps"] == ["50"]
    assert query["run"] == ["adam:lr=0.05"]
    assert (query["x0"], query["y0"]) == (["-1.5"], ["2"])


def test_arrows_share_one_scale_for_gradient_and_momentum():
    land = landscapes.get("rosenbrock")
    trajectory = optimizers.run("adam", land, steps=5, record_state=True, lr=0.05)
    run = AdamRun(trajectory.path, trajectory.state, 0.05, 0.9, 0.999, 1e-8, True)
    gradient, momentum, update = step_arrows(run, 5, length=0.5)
    assert gradient.scale == momentum.scale
    assert np.isclose(max(np.linalg.norm(gradient.vector), np.linalg.norm(momentum.vector)) * gradient.scale, 0.5)
    assert np.isclose(np.linalg.norm(update.vector) * update.scale, 0.5)
    assert r"\hat m_{5}" in update_equations(run, 5)


def test_play_advances_one_step_per_tick_and_stops_at_the_last_step():
    at = open_page()
    at.toggle(key="inside_adam_playing").set_value(True).run()
    assert not at.exception
    assert at.slider(key="inside_adam_t").value == 2  # the first tick is due at once

    at.select_slider(key="inside_adam_steps").set_value(20).run()
    at.slider(key="inside_adam_t").set_value(20).run()
    assert at.toggle(key="inside_adam_playing").value is False


def test_compare_shows_the_first_step_with_and_without_bias_correction_side_by_side():
    at = open_page()
    at.toggle(key="inside_adam_compare").set_value(True).run()
    assert not at.exception
    assert [m.value for m in at.markdown if m.value.startswith("**bias correction")] == [
        "**bias correction on**", "**bias correction off**"]
    corrected, raw = arrow(figure(at, 0), "Δθ"), arrow(figure(at, 1), "Δθ")
    # Both arrows are drawn to their own scale; the directions agree at t = 1 (both ∝ −g).
    assert np.allclose(corrected / np.linalg.norm(corrected), raw / np.linalg.norm(raw), atol=1e-6)
    scales = [next(t["name"] for t in figure(at, i)["data"] if t.get("name", "").startswith("Δθ")) for i in (0, 1)]
    assert scales[0] != scales[1]  # the uncorrected first step is √1000/10 ≈ 3.16× longer, drawn to another scale
