"""The Fair fight page, driven through AppTest: its table, figures and links are the engine's numbers."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from optimizers.tuning import fair_fight
from ui.fair_fight import linkable_draws
from ui.view import RunSpec, from_query
from viz.figure import decode

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ROSENBROCK = landscapes.get("rosenbrock")


def open_fight(query: dict | None = None, **state) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("app_pages/fair_fight.py")
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def figure(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def table(at: AppTest):
    return at.dataframe[0].value


@pytest.fixture(scope="module")
def small_fight():
    return open_fight(ff_steps=200, ff_budget=16, ff_optimizers=["sgd", "adam"])


def expected(optimizers=("sgd", "adam"), steps=200, budget=16, seed=0):
    return fair_fight(optimizers, ROSENBROCK, steps=steps, budget=budget, seed=seed, draw=linkable_draws)


def test_the_table_shows_each_optimizers_defaults_and_best_try(small_fight):
    at = small_fight
    assert not at.exception
    fight, shown = expected(), table(at)
    assert list(shown["optimizer"]) == ["SGD", "Adam"]
    for row, tuning in zip(shown.itertuples(), fight.tunings, strict=True):
        assert float(row[2]) == pytest.approx(tuning.default_gap, rel=1e-2)
        assert float(row[3]) == pytest.approx(tuning.best_gap, rel=1e-2)
        assert row.tunability == f"{tuning.tunability:.0%}"
        assert row.diverged == f"{int(np.sum(~np.isfinite(tuning.gap)))} of 16"
    ranks = dict(zip(shown["optimizer"], shown["rank"], strict=True))
    names = {"sgd": "SGD", "adam": "Adam"}
    for tuned, side in ((False, 0), (True, 1)):
        order = [names[n] for n in fight.ranking(tuned)]
        assert [int(ranks[name].split(" → ")[side]) for name in order] == [1, 2]


def test_the_budget_chart_has_a_dot_for_every_finite_try(small_fight):
    spec, fight = figure(small_fight, 1), expected()
    dots = [t for t in spec["data"] if t.get("mode") == "markers" and t.get("name") in ("SGD", "Adam")]
    for trace, tuning in zip(dots, fight.tunings, strict=True):
        finite = tuning.gap[np.isfinite(tuning.gap)]
        np.testing.assert_allclose(np.sort(decode(trace["x"])), np.sort(np.maximum(finite, 1e-16)), rtol=1e-6)
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert notes == [f"{int(np.sum(~np.isfinite(t.gap)))} diverged" for t in fight.tunings]


def test_the_tuned_paths_are_the_best_settings_runs(small_fight):
    spec, fight = figure(small_fight, 0), expected()
    paths = {t["name"]: t for t in spec["data"] if t.get("mode") == "lines" and "xaxis" not in t}
    for tuning, label in zip(fight.tunings, ("SGD", "Adam"), strict=True):
        run = optimizers.run(tuning.optimizer, ROSENBROCK, steps=200, **tuning.best_settings)
        drawn = decode(paths[f"{label} tuned"]["x"])
        np.testing.assert_allclose(drawn[np.isfinite(drawn)], run.path[: np.isfinite(drawn).sum(), 0], rtol=1e-6)


def test_each_tuned_setting_links_to_the_playground_and_copies_as_pytorch(small_fight):
    at, fight = small_fight, expected()
    codes = [c.value for c in at.code]
    adam = fight.tunings[1].best_settings
    assert any(code.startswith("torch.optim.Adam(") and f"lr={adam['lr']!r}" in code for code in codes)
    links = [link for link in at.get("page_link") if "Playground" in link.proto.label]
    assert len(links) == 2
    view, notes = from_query(parse_qs(links[1].proto.query_string))
    assert notes == []
    assert [r.settings for r in view.runs] == [RunSpec.of("adam").settings, RunSpec.of("adam", **adam).settings]
    assert view.steps == 200


def test_the_view_round_trips_through_the_url():
    at = open_fight(ff_steps=200, ff_budget=16, ff_seed=3, ff_optimizers=["momentum", "lion"])
    assert at.query_params["ff_optimizers"] == ["Momentum", "Lion"]  # the choices as shown
    assert (at.query_params["ff_budget"], at.query_params["ff_seed"], at.query_params["ff_steps"]) == ("16", "3",
                                                                                                        "200")
    again = open_fight(query={k: v for k, v in at.query_params.items()})
    assert not again.exception
    assert again.session_state.ff_optimizers == ["momentum", "lion"]
    assert (again.session_state.ff_budget, again.session_state.ff_seed, again.session_state.ff_steps) == (16, 3, 200)
    assert list(table(again)["optimizer"]) == ["Momentum", "Lion"]


def test_an_old_link_still_opens_its_fight():
    at = open_fight(query={"opt": "momentum,lion", "steps": "200", "budget": "16", "seed": "3",
                           "landscape": "quadratic", "condition": "100", "x0": "1.5", "y0": "-0.5"})
    assert not at.exception and not at.warning
    state = at.session_state
    assert state.ff_optimizers == ["momentum", "lion"]
    assert (state.ff_budget, state.ff_seed, state.ff_steps) == (16, 3, 200)
    assert (state.ff_landscape, state.ff_lp_condition, state.ff_x0, state.ff_y0) == ("quadratic", 100.0, 1.5, -0.5)
    assert "opt" not in at.query_params and list(table(at)["optimizer"]) == ["Momentum", "Lion"]


def test_a_malformed_link_is_noted_and_the_page_still_works():
    at = open_fight(query={"ff_optimizers": ["Adam", "Adom"], "ff_budget": "7", "ff_steps": "many"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    for fragment in ("ff_optimizers=Adam,Adom", "ff_budget=7", "ff_steps=many"):
        assert fragment in warnings
    assert list(table(at)["optimizer"]) == ["Adam"]


def test_no_optimizer_chosen_asks_for_one():
    at = open_fight(ff_optimizers=[])
    assert not at.exception
    assert "Choose at least one optimizer" in at.info[0].value
    assert not at.get("plotly_chart")
