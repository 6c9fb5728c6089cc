"""The Playground page, driven through AppTest."""

import json

import numpy as np
import pytest

import landscapes
import optimizers
from ui.view import DEFAULT_RUNS, RunSpec, View, to_query
from viz.figure import decode
from viz.playground import STALE_NOTE

from .playground_helpers import assert_drawn_from, figure, heads, open_editor, paths, run_app, url


@pytest.fixture(scope="module")
def default_app():
    return run_app()


def table(at):
    return at.dataframe[0].value


def test_default_view_shows_four_runs_on_rosenbrock(default_app):
    at = default_app
    assert not at.exception
    plotted = paths(at)
    assert list(plotted) == [run.label for run in DEFAULT_RUNS]
    for run, path in zip(DEFAULT_RUNS, plotted.values(), strict=True):
        expected = optimizers.run(run.optimizer, landscapes.get("rosenbrock"), start=(-1.5, 2.0), steps=1000,
                                  **dict(run.overrides)).path
        assert_drawn_from(path, expected)
    assert len(table(at)) == 4
    assert "reached" in at.markdown[-1].value or any("reached" in m.value for m in at.markdown)


def test_url_mirrors_the_view(default_app):
    at = default_app
    assert url(at, "landscape") == ["rosenbrock"]
    assert url(at, "run")[0].startswith("momentum:lr=0.01")


def test_changing_a_learning_rate_changes_only_that_path():
    at = run_app()
    before = paths(at)
    open_editor(at, 2).select_slider(key="run2_adam_lr").set_value(0.01).run()
    after = paths(at)
    assert not at.exception
    assert "Adam (lr=0.01)" in after
    assert before["Adam (lr=0.05)"].shape != after["Adam (lr=0.01)"].shape or not np.allclose(
        before["Adam (lr=0.05)"], after["Adam (lr=0.01)"])
    assert np.array_equal(before["RMSprop (lr=0.005)"], after["RMSprop (lr=0.005)"])
    assert "lr=0.01" in url(at, "run")[2]


def test_changing_the_landscape_moves_the_start_and_redraws():
    at = run_app()
    at.selectbox(key="landscape").set_value("himmelblau").run()
    assert not at.exception
    himmelblau = landscapes.get("himmelblau")
    assert (at.number_input(key="x0").value, at.number_input(key="y0").value) == pytest.approx(himmelblau.start)
    minima = next(t for t in figure(at)["data"] if t.get("name") == "minimum")
    assert len(minima["x"]) == 4
    assert url(at, "landscape") == ["himmelblau"]


def test_quadratic_parameters_are_controls_and_in_the_url():
    at = run_app({"landscape": "quadratic", "condition": "100", "angle": "45"})
    assert not at.exception
    assert at.select_slider(key="lp_condition").value == 100
    assert at.slider(key="lp_angle").value == 45
    assert url(at, "condition") == ["100"]


def test_add_and_remove_runs():
    at = run_app()
    at.button(key=next(b.key for b in at.button if b.label == "Add run")).click().run()
    assert len(paths(at)) == 5
    assert "SGD" in paths(at)
    open_editor(at, 0).button(key="remove_0").click().run()
    assert not at.exception
    labels = list(paths(at))
    assert len(labels) == 4 and not any(label.startswith("Momentum") for label in labels)
    assert len(table(at)) == 4


def test_same_optimizer_twice_gets_numbered_labels_and_says_they_coincide():
    view = View(runs=(RunSpec.of("adam"), RunSpec.of("adam"), RunSpec.of("adam", lr=0.01)))
    at = run_app(to_query(view))
    assert list(paths(at)) == ["Adam #1", "Adam #2 — same path as Adam #1", "Adam (lr=0.01)"]
    assert list(table(at)["outcome"]) == ["finished", "same path as Adam #1", "finished"]


def test_adamw_without_decay_is_named_as_adams_twin():
    view = View(runs=(RunSpec.of("adam", lr=0.05), RunSpec.of("adamw", lr=0.05, weight_decay=0.0)))
    at = run_app(to_query(view))
    assert list(table(at)["outcome"]) == ["finished", "same path as Adam (lr=0.05)"]


def test_a_link_reproduces_the_figure_exactly():
    view = View(landscape="beale", start=(1.0, 1.2), steps=300, noise=0.5, seed=3, schedule="cosine",
                runs=(RunSpec.of("adamw", lr=0.02, weight_decay=0.05), RunSpec.of("sgd", lr=0.001, momentum=0.9)))
    first = run_app(to_query(view))
    second = run_app(to_query(view))
    assert not first.exception
    assert figure(first)["data"] == figure(second)["data"]
    assert first.number_input(key="x0").value == 1.0 and first.select_slider(key="noise").value == 0.5
    assert first.selectbox(key="schedule").value == "cosine"
    trajectory = optimizers.run("adamw", landscapes.get("beale"), start=(1.0, 1.2), steps=300, noise=0.5, seed=3,
                                schedule=optimizers.schedules.make("cosine", 300), lr=0.02, weight_decay=0.05)
    assert_drawn_from(paths(first)["AdamW (lr=0.02, weight_decay=0.05)"], trajectory.path)


@pytest.mark.parametrize("query, fragment", [
    ({"landscape": "nowhere"}, "landscape “nowhere” ignored"),
    ({"steps": "lots"}, "not an integer"),
    ({"steps": "999999"}, "between 1 and 5000"),
    ({"x0": "1"}, "give both x0 and y0"),
    ({"noise": "-1"}, "between 0 and 100"),
    ({"run": ["adam:lr=-3"]}, "lr must be ≥ 0"),
    ({"run": ["adam:beta1=1.5"]}, "beta1 must be in [0, 1)"),
    ({"run": ["warp_drive"]}, "unknown optimizer"),
    ({"run": ["adam:lr"]}, "expected name=value"),
    ({"run": ["sgd:nesterov=1"]}, "nesterov=True needs momentum"),
    ({"landscape": "custom", "f": "__import__('os')"}, "custom function ignored"),
    ({"schedule": "sometimes"}, "schedule “sometimes” ignored"),
])
def test_malformed_link_values_become_notes_not_tracebacks(query, fragment):
    at = run_app(query)
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert any(fragment in note for note in notes), notes
    assert paths(at)


def test_a_diverging_run_shows_its_cross_and_table_entry():
    view = View(runs=(RunSpec.of("sgd", lr=0.05), RunSpec.of("adam", lr=0.05)))
    at = run_app(to_query(view))
    assert not at.exception
    assert heads(at)["SGD (lr=0.05)"]["symbol"] == "x-thin-open"
    assert heads(at)["Adam (lr=0.05)"]["symbol"] != "x-thin-open"
    expected = optimizers.run("sgd", landscapes.get("rosenbrock"), start=(-1.5, 2.0), steps=1000, lr=0.05).diverged_at
    assert expected > 0
    assert list(table(at)["outcome"]) == [f"diverged at step {expected}", "finished"]
    assert "SGD (lr=0.05) diverged at step" in " ".join(m.value for m in at.markdown)
    shown = table(at).drop(columns="outcome").to_string()
    assert "None" not in shown and "nan" not in shown.lower()


def test_custom_expression_shows_its_formula_or_an_inline_error():
    at = run_app({"landscape": "custom", "f": "abs(x) + y^2"})
    assert not at.exception
    assert any("left|" in latex.value or "|" in latex.value for latex in at.latex)
    before = paths(at)
    at.text_input(key="expression").set_value("x + z").run()
    assert not at.exception
    assert any("z" in error.value for error in at.error)
    # The last valid function's figure stays, greyed and labelled, with the same paths.
    assert len(at.get("plotly_chart")) == 1
    kept = figure(at)
    assert [note["text"] for note in kept["layout"]["annotations"]] == ["f(θ) − f*", STALE_NOTE]
    assert all(trace.get("opacity") == 0.4 for trace in kept["data"])
    assert paths(at).keys() == before.keys()
    assert all(np.array_equal(paths(at)[label], before[label]) for label in before)
    assert any(STALE_NOTE in caption.value and "|" in caption.value for caption in at.caption)
    assert not at.dataframe, "no results table for a function the sidebar no longer shows"
    at.text_input(key="expression").set_value("x^2 + 2*y^2").run()
    notes = [note["text"] for note in figure(at)["layout"]["annotations"]]
    assert STALE_NOTE not in notes, "a valid function is drawn as usual again"


def test_an_invalid_function_before_any_valid_one_asks_to_fix_it():
    at = run_app({"landscape": "custom", "f": "x^2 + y^2"})
    at.session_state["playground_view"] = None  # as if nothing had been drawn in this session yet
    at.text_input(key="expression").set_value("x +").run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Fix the function" in info.value for info in at.info)


def test_pytorch_code_and_downloads():
    at = run_app()
    code = at.code[0].value
    assert "torch.optim.SGD(model.parameters(), lr=0.01 * (1 - 0.9), momentum=0.9)" in code
    assert "torch.optim.AdamW(model.parameters(), lr=0.05, betas=(0.9, 0.999), weight_decay=0.1)" in code
    buttons = at.get("download_button")
    assert len(buttons) == 2


def test_settings_json_round_trips_through_the_url_format():
    view = View(landscape="saddle", steps=200, runs=(RunSpec.of("lion", lr=0.001),))
    at = run_app(to_query(view))
    assert not at.exception
    query = {key: url(at, key) for key in at.query_params}
    assert query["landscape"] == ["saddle"] and query["run"] == ["lion:lr=0.001"]
    assert json.dumps(to_query(view))


def test_a_closed_run_keeps_its_settings_and_draws_no_widgets():
    at = open_editor(run_app(), 1)
    at.select_slider(key="run1_rmsprop_lr").set_value(0.02).run()
    assert "RMSprop (lr=0.02)" in paths(at)
    at.session_state["run1_open"] = False
    at.run().run()
    assert not at.exception
    assert "run1_rmsprop_lr" not in [slider.key for slider in at.select_slider]
    assert "RMSprop (lr=0.02)" in paths(at)
    assert url(at, "run")[1] == "rmsprop:lr=0.02"


def path_styles(at) -> dict[str, tuple[str, str, str]]:
    return {t["name"]: (t["line"]["color"], t["line"]["dash"], t["marker"]["symbol"])
            for t in figure(at)["data"] if t.get("mode") == "lines+markers"}


def test_a_run_keeps_its_colour_dash_and_marker_after_removal_and_through_a_link():
    at = run_app()
    before = path_styles(at)
    open_editor(at, 1).button(key="remove_1").click().run()
    after = path_styles(at)
    assert "RMSprop (lr=0.005)" not in after
    for label, style in after.items():
        assert style == before[label]
    assert url(at, "colors") == ["0,2,3"]
    reopened = run_app({key: url(at, key) for key in at.query_params})
    assert path_styles(reopened) == after


def test_a_bad_colors_value_is_a_note():
    at = run_app({"colors": "0,0,1,2"})
    assert any("colors=0,0,1,2" in w.value for w in at.warning)
    assert len(paths(at)) == 4


def test_a_new_run_opens_its_editor():
    at = run_app()
    at.button(key=next(b.key for b in at.button if b.label == "Add run")).click().run()
    assert not at.exception
    assert "run4_sgd_lr" in [slider.key for slider in at.select_slider]


@pytest.mark.parametrize("text, shown", [
    ("__import__('os')", r"\_\_import\_\_"),
    ("x^^2", "one ^"),
    ("(x + y", "1 opened, 0 closed"),
    ("2x + y", "write 2\\*x"),
])
def test_typed_function_errors_are_shown_verbatim_with_a_hint(text, shown):
    at = run_app({"landscape": "custom", "f": "x^2 + y^2"})
    at.text_input(key="expression").set_value(text).run()
    assert not at.exception
    assert any(shown in error.value for error in at.error), [error.value for error in at.error]


def test_leaving_a_typed_functions_domain_is_named_as_such():
    view = View(landscape="custom", expression="log(x) + y^2", start=(0.5, 1.0),
                runs=(RunSpec.of("sgd", lr=0.5),))
    at = run_app(to_query(view))
    assert not at.exception
    outcome = table(at)["outcome"][0]
    assert outcome.startswith("left the function's domain at step"), outcome
    reading = " ".join(m.value for m in at.markdown)
    assert "lower α" not in reading and "domain" in reading


def test_the_3d_view_is_coloured_by_height_with_every_path_on_it():
    at = run_app()
    at.toggle(key="surface").set_value(True).run()
    surface = figure(at, 1)
    mesh = next(t for t in surface["data"] if t["type"] == "surface")
    assert len({color for _, color in mesh["colorscale"]}) >= 3
    lines = [t for t in surface["data"] if t["type"] == "scatter3d" and t["mode"] == "lines"]
    assert [t["name"] for t in lines] == [run.label for run in DEFAULT_RUNS]
    assert surface["layout"]["scene"]["camera"]["eye"]["z"] > 1
    # The replay there: ▶ moves one marker per run from the start, along the paths, to their ends.
    assert any(button["label"].startswith("▶") for button in surface["layout"]["updatemenus"][0]["buttons"])
    frames = surface["frames"]
    assert len(frames) == 101 and frames[0]["name"] == "0" and frames[-1]["name"] == "1000"
    first, middle = frames[0]["data"][0], frames[50]["data"][0]
    assert first["x"] == [-1.5] * 4 and first["y"] == [2.0] * 4
    assert middle["x"] != first["x"]
    lifted = {t["name"]: decode(t["z"]) for t in lines}
    z_min, z_max = min(z.min() for z in lifted.values()), max(z.max() for z in lifted.values())
    assert all(z_min <= z <= z_max for z in middle["z"]), "the markers sit on the lifted paths' heights"


def test_a_learning_rate_can_be_typed_exactly_and_a_bad_one_is_refused():
    at = open_editor(run_app(), 2)
    at.number_input(key="run2_adam_lr_typed").set_value(0.0123).run()
    assert "Adam (lr=0.0123)" in paths(at)
    assert at.select_slider(key="run2_adam_lr").value == 0.0123
    at.number_input(key="run2_adam_lr_typed").set_value(-1.0).run()
    assert not at.exception
    assert "Adam (lr=0.0123)" in paths(at)
    assert any("lr must be ≥ 0" in caption.value for caption in at.caption)


def test_a_stale_url_from_a_few_moves_ago_does_not_reset_the_view():
    at = open_editor(run_app(), 1)
    at.select_slider(key="run1_rmsprop_lr").set_value(0.02).run()
    stale = {key: url(at, key) for key in at.query_params}
    at.select_slider(key="run1_rmsprop_lr").set_value(0.05).run()
    # The next rerun arrives with the URL the browser had one move earlier, as a quick drag sends it.
    at.query_params.clear()
    for key, value in stale.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert "RMSprop (lr=0.05)" in paths(at) and url(at, "run")[1] == "rmsprop:lr=0.05"
    # A link the page never wrote still wins.
    at.query_params.clear()
    for key, value in to_query(View(landscape="saddle", runs=(RunSpec.of("lion", lr=0.001),))).items():
        at.query_params[key] = value
    at.run()
    assert url(at, "landscape") == ["saddle"] and url(at, "run") == ["lion:lr=0.001"]
