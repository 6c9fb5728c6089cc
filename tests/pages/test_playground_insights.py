"""The Playground's curvature layer and clouds of noisy runs, driven through AppTest."""

import numpy as np
import pytest

import landscapes
import optimizers
from viz.curvature import NEGATIVE_COLOR
from viz.figure import decode

from .playground_helpers import figure, paths, run_app, url

KAPPA_100 = {"landscape": "quadratic", "condition": "100", "run": ["sgd:lr=0.03", "sgd:lr=0.019", "adam:lr=0.01"]}


def _texts(at) -> list[str]:
    return [m.value for m in at.markdown]


def _traces(spec: dict, **match) -> list[dict]:
    return [t for t in spec["data"] if all(t.get(k) == v for k, v in match.items())]


def _arms(trace: dict) -> list[np.ndarray]:
    """The segments of an arms trace: pairs of points between NaN separators."""
    xy = np.stack([decode(trace["x"]), decode(trace["y"])], axis=-1)
    return [xy[i:i + 2] for i in range(0, len(xy) - 2, 3)]


@pytest.fixture(scope="module")
def kappa_100():
    return run_app({**KAPPA_100, "curvature": "1"})


def test_sgd_past_two_over_lambda_max_says_so_with_its_numbers(kappa_100):
    assert not kappa_100.exception
    assert any("α = 0.03 > 2/λmax = 0.02 (λmax = 100): SGD (lr=0.03) must oscillate and grow along the steepest"
               in text for text in _texts(kappa_100))
    assert not any("SGD (lr=0.019) must oscillate" in text for text in _texts(kappa_100))
    table = kappa_100.dataframe[0].value
    assert list(table["curvature at the start"][:2]) == ["λmax = 100", "λmax = 100"]
    assert list(table["largest stable α"][:2]) == ["2/λmax = 0.02", "2/λmax = 0.02"]
    assert table["curvature at the start"][2].startswith("λmax(P·H) = ")
    # And the engine agrees: 0.03 diverges, 0.019 does not.
    assert kappa_100.dataframe[1].value["outcome"][0].startswith("diverged at step")
    assert kappa_100.dataframe[1].value["outcome"][1] == "finished"


def test_the_sharpness_panel_plots_each_run_against_its_limit(kappa_100):
    spec = figure(kappa_100)
    assert spec["layout"]["yaxis3"]["type"] == "log" and spec["layout"]["xaxis3"]["matches"] == "x2"
    panel = _traces(spec, xaxis="x3")
    curves = [t for t in panel if t["mode"] == "lines" and len(decode(t["y"])) > 2]
    limits = [t for t in panel if "stable below" in t["hovertemplate"]]
    assert len(curves) >= 3
    np.testing.assert_allclose(decode(curves[0]["y"])[:11], 100.0, rtol=1e-6)  # before it diverges
    assert [decode(t["y"])[0] for t in limits][:2] == pytest.approx([2 / 0.03, 2 / 0.019])
    adam = optimizers.get("adam").settings(lr=0.01)
    assert decode(limits[2]["y"])[0] == pytest.approx((2 + 2 * adam["beta1"]) / ((1 - adam["beta1"]) * 0.01))


def test_the_cross_at_the_start_has_arms_along_the_eigenvectors_in_ratio_one_over_root_lambda(kappa_100):
    spec = figure(kappa_100)
    start = next(t for t in spec["data"] if t.get("name") == "curvature" and t["mode"] == "lines"
                 and t["line"]["width"] == 3.0 and t["line"]["dash"] == "solid")
    arms = _arms(start)
    assert len(arms) == 2
    lengths = sorted(float(np.linalg.norm(a[1] - a[0])) for a in arms)
    assert lengths[1] / lengths[0] == pytest.approx(10.0, rel=1e-5)  # √(100/1)
    steep = min(arms, key=lambda a: np.linalg.norm(a[1] - a[0]))
    direction = (steep[1] - steep[0]) / np.linalg.norm(steep[1] - steep[0])
    assert abs(direction[1]) == pytest.approx(1.0, abs=1e-6)  # rotation 0: the steep axis is y


def test_the_replay_moves_the_crosses_and_the_sharpness_markers(kappa_100):
    spec = figure(kappa_100)
    names = [t.get("name") for t in spec["data"]]
    moving = [i for i, name in enumerate(names) if name == "curvature here"]
    frames = spec["frames"]
    assert all(set(moving) <= set(frame["traces"]) for frame in frames)
    assert all(len(frame["traces"]) == len(frame["data"]) for frame in frames)
    first, last = frames[0]["data"][frames[0]["traces"].index(moving[0])], frames[-1]["data"][-3]
    assert first["x"] != last["x"]


def test_a_saddle_marks_negative_curvature():
    at = run_app({"landscape": "saddle", "curvature": "1"})
    assert not at.exception
    dashed = [t for t in figure(at)["data"] if t.get("name") == "curvature" and t["line"]["color"] == NEGATIVE_COLOR]
    assert dashed and any(np.isfinite(decode(t["x"])).any() for t in dashed)


def test_the_toggle_switches_the_layer_and_the_link_keeps_it():
    at = run_app()
    assert "yaxis3" not in figure(at)["layout"]
    at.toggle(key="curvature").set_value(True).run()
    assert "yaxis3" in figure(at)["layout"] and url(at, "curvature") == ["1"]
    assert any("Curvature at the start" in text for text in _texts(at))


NOISY = {"noise": "2", "cloud": "8", "run": ["adam:lr=0.02", "sgd:lr=0.0005"]}


@pytest.fixture(scope="module")
def cloud_of_8():
    return run_app(NOISY)


def test_a_cloud_runs_every_seed_and_draws_the_median_bold(cloud_of_8):
    assert not cloud_of_8.exception
    land = landscapes.get("rosenbrock")
    t = optimizers.run("adam", land, steps=1000, noise=2.0, seed=np.arange(8), lr=0.02)
    median = t.path[:, np.argsort(t.final_loss)[3]]  # the lower middle of 8 final losses
    bold = paths(cloud_of_8)["Adam (lr=0.02)"]
    nearest = np.min(np.linalg.norm(bold[:, None, :] - median[None, :, :], axis=-1), axis=1)
    assert nearest.max() < 1e-5
    faint = [trace for trace in figure(cloud_of_8)["data"] if trace.get("hoverinfo") == "skip"
             and trace.get("mode") == "lines" and "xaxis" not in trace]
    assert len(faint) == 2
    # 8 seeds, separated by gaps.
    assert np.isnan(decode(faint[0]["x"])).sum() >= 8


def test_the_distribution_counts_every_seed_and_the_reading_compares_seed_by_seed(cloud_of_8):
    box = figure(cloud_of_8, 1)
    assert [trace["type"] for trace in box["data"]] == ["box", "box"]
    land = landscapes.get("rosenbrock")
    t = optimizers.run("adam", land, steps=1000, noise=2.0, seed=np.arange(8), lr=0.02)
    np.testing.assert_allclose(np.sort(decode(box["data"][0]["y"])), np.sort(t.final_loss), rtol=1e-6)
    table = cloud_of_8.dataframe[0].value
    assert list(table["diverged"]) == ["0 of 8", "0 of 8"]
    sgd = optimizers.run("sgd", land, steps=1000, noise=2.0, seed=np.arange(8), lr=0.0005)
    won = int(np.sum(t.final_loss < sgd.final_loss))
    assert any(f"beat SGD (lr=0.0005) on {won} of 8 seeds" in text for text in _texts(cloud_of_8))
    assert url(cloud_of_8, "cloud") == ["8"]


def test_a_cloud_without_noise_says_why_and_shows_single_runs():
    at = run_app({"cloud": "32"})
    assert not at.exception
    assert any("needs gradient noise" in c.value for c in at.sidebar.caption)
    assert len(at.get("plotly_chart")) == 1 and "outcome" in at.dataframe[0].value


def test_the_cloud_selector_drives_the_page():
    at = run_app({"noise": "1"})
    at.selectbox(key="cloud").set_value(16).run()
    assert not at.exception and url(at, "cloud") == ["16"]
    assert "Final loss over 16 seeds" in figure(at, 1)["layout"]["title"]["text"]


@pytest.mark.parametrize(("query", "note"), [
    ({"cloud": "1000"}, "“cloud=1000” ignored: must be between 0 and 100"),
    ({"cloud": "lots"}, "“cloud=lots” ignored: not an integer"),
    ({"curvature": "maybe"}, "“curvature=maybe” ignored"),
])
def test_bad_values_in_the_link_are_dropped_with_a_note(query, note):
    at = run_app(query)
    assert not at.exception
    assert any(note in w.value for w in at.warning)
