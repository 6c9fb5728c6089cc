"""The hyperparameter page: the article's table, the live AdamW run and code, and what each demo link shows."""

import ast
import json
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from ui.hyperparameter_table import KNOBS, multiline_call
from ui.view import from_query
from viz.figure import decode

APP = Path(__file__).resolve().parents[2] / "app.py"
ARTICLE = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("app_pages/hyperparameters.py").run()
    assert not at.exception
    return at


def adamw_path(at: AppTest) -> np.ndarray:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    line = next(t for t in spec["data"] if t.get("mode") == "lines")
    return np.stack([decode(line["x"]), decode(line["y"])], axis=-1).astype(np.float64)


def links(at: AppTest) -> list[tuple[str, dict]]:
    return [(link.proto.label, parse_qs(link.proto.query_string)) for link in at.get("page_link")]


def test_the_table_starts_at_the_articles_values_and_the_code_matches_them():
    at = open_page()
    for name, value in ARTICLE.items():
        assert at.select_slider(key=f"hyperparameters_{name}").value == value
    code = at.code[0].value
    ast.parse(code)
    assert "torch.optim.AdamW(\n    model.parameters(),\n    lr=0.001,\n    betas=(0.9, 0.999),\n" in code
    assert "    eps=1e-08,\n    weight_decay=0.01,\n    amsgrad=False,\n)" in code


def test_the_first_adamw_step_by_hand():
    """θ₁ = θ₀(1 − αλ) − α·g/(|g| + ε), and at step 1 that is α·sign(g)."""
    path = adamw_path(open_page())
    start = np.array([-1.5, 2.0])
    g = np.array([-2 * (1 - start[0]) - 400 * start[0] * (start[1] - start[0] ** 2),
                  200 * (start[1] - start[0] ** 2)])
    expected = start * (1 - 1e-3 * 0.01) - 1e-3 * np.sign(g)
    np.testing.assert_allclose(path[1], expected, rtol=1e-6)


def test_changing_a_value_reruns_adamw_and_rewrites_code_and_link():
    at = open_page()
    at.select_slider(key="hyperparameters_lr").set_value(0.05).run()
    at.select_slider(key="hyperparameters_weight_decay").set_value(1.0).run()
    assert not at.exception
    expected = optimizers.run("adamw", landscapes.get("rosenbrock"), steps=2000,
                              **{**ARTICLE, "lr": 0.05, "weight_decay": 1.0})
    np.testing.assert_allclose(adamw_path(at), expected.path, rtol=1e-6, atol=1e-6)
    assert "lr=0.05," in at.code[0].value and "weight_decay=1.0," in at.code[0].value
    label, query = links(at)[-1]
    assert label == "Open this AdamW run in the Playground"
    assert query["run"] == ["adamw:lr=0.05,weight_decay=1"] and query["steps"] == ["2000"]


def test_every_row_links_to_its_prepared_view():
    at = open_page()
    shown = links(at)[: len(KNOBS)]
    for knob, (label, query) in zip(KNOBS, shown, strict=True):
        view, notes = from_query(query)
        assert label == knob.demo and notes == [] and view == knob.view


def end_points(view) -> list[np.ndarray]:
    land = landscapes.get(view.landscape)
    return [optimizers.run(run.optimizer, land, steps=view.steps, **run.settings).final_point for run in view.runs]


def test_the_demos_show_what_their_explanations_claim():
    by_name = {knob.name: knob.view for knob in KNOBS}
    rosenbrock = landscapes.get("rosenbrock")
    losses = [float(rosenbrock.f(point)) for point in end_points(by_name["lr"])]
    assert losses[0] > losses[1] > losses[2] and losses[2] < 1e-4
    tiny, middle, large, momentum = end_points(by_name["eps"])
    camel = landscapes.get("six_hump_camel")
    for point in (tiny, middle):
        assert float(camel.f(point)) == pytest.approx(camel.minimum_value, abs=1e-3)
    assert np.linalg.norm(large - momentum) < 0.05 < np.linalg.norm(tiny - momentum)
    radii = [np.linalg.norm(point) for point in end_points(by_name["weight_decay"])]
    assert radii[0] == pytest.approx(np.sqrt(2), abs=1e-3) and radii[0] > radii[1] > radii[2]


def test_multiline_call_keeps_nested_tuples_whole():
    assert multiline_call("f(a, b=(1, 2), c=3)") == "f(\n    a,\n    b=(1, 2),\n    c=3,\n)"
