"""The Sweeps page, driven through AppTest: its map and curves are the engine's numbers."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from optimizers.sweeps import sweep_map
from ui import sweeps_runs
from ui.sweeps_controls import LinkAxis
from viz.figure import decode

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ROSENBROCK = landscapes.get("rosenbrock")


def open_sweeps(**state) -> AppTest:
    """The Sweeps page through the router (so its Playground links resolve), with widget values preset."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/sweeps.py")
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def figure(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


@pytest.fixture(scope="module")
def small_map():
    return open_sweeps(sweeps_cells=10, sweeps_steps=200)


def expected_map(steps=200, count=10, optimizer="adam", y: LinkAxis | None = None):
    y = y or LinkAxis("beta1", 0.0, 0.99, count, False)
    return sweep_map(optimizer, ROSENBROCK, LinkAxis("lr", 1e-4, 10.0, count, True), y, steps=steps, tolerance=1e-3)


def test_the_heatmap_shows_the_engines_final_gaps(small_map):
    at = small_map
    assert not at.exception
    spec = figure(at)
    heatmap = spec["data"][0]
    assert heatmap["type"] == "heatmap"
    expected = expected_map()
    np.testing.assert_allclose(decode(heatmap["z"]), np.log10(np.maximum(expected.gap, 1e-16)), rtol=1e-6)
    # Cell edges halfway (in log space) between ten rates from 1e-4 to 10: 5/9 of a decade apart.
    np.testing.assert_allclose(np.log10(decode(heatmap["x"])), np.linspace(-4 - 5 / 18, 1 + 5 / 18, 11), atol=2e-6)
    assert spec["layout"]["xaxis"]["type"] == "log" and spec["layout"]["yaxis"]["type"] == "linear"
    cells = trace(spec, "cells")
    assert len(decode(cells["x"])) == 100, "one clickable point per cell"
    assert "β₁ (beta1)" in spec["layout"]["yaxis"]["title"]["text"]


def test_the_best_cell_is_starred_and_linked(small_map):
    at = small_map
    expected = expected_map()
    row, column = np.unravel_index(np.nanargmin(expected.gap), expected.gap.shape)
    star = trace(figure(at), "best cell")
    assert star["x"] == [pytest.approx(expected.x_values[column])] and star["y"] == [expected.y_values[row]]
    link = at.get("page_link")[0].proto
    assert link.page == ""  # the Playground is the default page: its URL path is the root
    query = parse_qs(link.query_string)
    (run,) = query["run"]
    assert run.startswith("adam:") and f"lr={expected.x_values[column]:.6g}" in run
    settings = expected.cell_settings(row, column)
    single = optimizers.run("adam", ROSENBROCK, steps=200, **settings)
    assert single.final_loss == expected.final_loss[row, column]


def test_a_small_grid_shows_no_progress_bar(small_map):
    assert len(small_map.get("progress")) == 0


def test_a_large_grid_shows_a_progress_bar_that_ends_full():
    at = open_sweeps(sweeps_cells=100, sweeps_steps=300)
    assert not at.exception
    (bar,) = at.get("progress")
    assert bar.proto.value == 100
    assert bar.proto.text.startswith("Ran 10,000 runs × 300 steps in")
    assert len(decode(trace(figure(at), "cells")["x"])) == 10_000


class Slot:
    """Stands in for the page's st.empty(): records every percent the bar is drawn at."""

    def __init__(self):
        self.drawn: list[int] = []

    def progress(self, percent: int, text: str) -> "Slot":
        self.drawn.append(percent)
        return self


def test_the_progress_bar_moves_at_most_every_tenth_of_a_second(monkeypatch):
    clock = iter([0.0, 0.0, 0.01, 0.02, 0.05, 0.11, 0.12, 0.5, 0.6])  # the bar's start, then each report
    monkeypatch.setattr(sweeps_runs.time, "perf_counter", lambda: next(clock))
    slot = Slot()
    bar = sweeps_runs.ProgressBar(slot, runs=2_500, steps=1_000)
    for fraction in (0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.05, 0.9):
        bar(fraction)
    assert slot.drawn == [1, 5, 90]  # 5 % 0.11 s after the first; 5 % again is no move; 90 % after 0.1 s


def test_steps_to_tolerance_leaves_unreached_cells_light():
    at = open_sweeps(sweeps_cells=5, sweeps_steps=300, sweeps_optimizer="momentum", sweeps_metric="steps_to_tolerance")
    assert not at.exception
    spec = figure(at)
    expected = expected_map(steps=300, count=5, optimizer="momentum", y=LinkAxis("beta", 0.0, 0.99, 5, False))
    np.testing.assert_array_equal(decode(spec["data"][0]["z"]), expected.steps_to_tolerance.astype(np.float32))
    assert expected.diverged.any(), "momentum with α up to 10 diverges"
    diverged_layer = decode(spec["data"][1]["z"])
    np.testing.assert_array_equal(diverged_layer == 1, expected.diverged)
    names = [t.get("name") for t in spec["data"]]
    assert "diverged" in names and any(str(n).startswith("not within 0.001 in 300 steps") for n in names)


def test_a_clicked_cell_opens_the_playground_with_its_settings():
    at = open_sweeps(sweeps_cells=5, sweeps_steps=200)
    at.session_state["sweeps_clicked"] = (0.01, 0.5)  # what the chart's selection callback stores
    at.run()
    assert not at.exception
    # Five log-spaced rates from 1e-4 to 10: 0.0316228 is the nearest to 0.01; β₁ = 0.495 the nearest to 0.5.
    assert at.query_params["run"] == "adam:lr=0.0316228,beta1=0.495"
    assert at.query_params["steps"] == "200"
    assert at.title[0].value == "Optimizer Playground"


def test_robustness_curves_show_the_median_over_seeds():
    at = open_sweeps(sweeps_mode="Robustness curves", sweeps_curve_optimizers=["sgd", "adam"], sweeps_points=10,
                     sweeps_steps=100, sweeps_noise=0.5, sweeps_seeds=3)
    assert not at.exception
    spec = figure(at)
    lrs = LinkAxis("lr", 1e-4, 10.0, 10, True).values()
    for name, optimizer in (("SGD", "sgd"), ("Adam", "adam")):
        gaps = [optimizers.run(optimizer, ROSENBROCK, steps=100, noise=0.5, seed=seed, keep_path=False, lr=lrs)
                for seed in range(3)]
        median = np.median([np.where(g.diverged_at >= 0, np.inf, g.final_loss) for g in gaps], axis=0)
        shown = decode(trace(spec, name)["y"])
        np.testing.assert_allclose(shown, np.where(np.isfinite(median), median, np.nan), rtol=1e-6)
    assert sum(t.get("fill") == "tonexty" for t in spec["data"]) == 2, "one band per optimizer"
    summary = at.dataframe[0].value
    assert list(summary["optimizer"]) == ["SGD", "Adam"]
    link = at.get("page_link")[0].proto
    assert parse_qs(link.query_string)["noise"] == ["0.5"]
