"""Presenting, the Playground puts a run's knobs and the problem's beside its figure, in the main area."""

from streamlit.testing.v1 import AppTest

from .playground_helpers import APP, open_editor, paths, url

WIDGETS = ("slider", "select_slider", "selectbox", "text_input", "number_input", "toggle", "checkbox")


def keys(block) -> set[str]:
    return {widget.key for kind in WIDGETS for widget in getattr(block, kind)}


def presenting(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.session_state["present"] = True  # the router's toggle, which a link's present=1 starts
    return at.run()


def test_the_panel_holds_the_first_runs_knobs_then_the_landscape_and_the_noise():
    at = presenting()
    assert not at.exception
    on_slide = {"slide_run", "run0_momentum_lr", "run0_momentum_beta", "run0_momentum_weight_decay", "landscape",
                "noise"}
    assert on_slide <= keys(at.main)
    assert not {"landscape", "noise"} & keys(at.sidebar)
    assert {"steps", "seed", "x0", "curvature", "cloud"} <= keys(at.sidebar)  # the rest stays in the sidebar
    assert at.selectbox(key="slide_run").value == 0 and "slide" not in at.query_params


def test_the_runs_editor_keeps_its_optimizer_and_switches_but_not_the_knobs_on_the_slide():
    at = open_editor(open_editor(presenting(), 0), 2)
    sidebar = keys(at.sidebar)
    assert "run0_optimizer" in sidebar and "run0_momentum_lr" not in sidebar
    assert {"run2_adam_lr", "run2_adam_amsgrad", "run2_adam_bias_correction"} <= sidebar  # not on the slide
    assert "run2_adam_amsgrad" not in keys(at.main)  # switches stay in the editor


def test_picking_a_run_moves_its_knobs_to_the_slide_and_writes_slide_to_the_address():
    at = presenting()
    at.selectbox(key="slide_run").set_value(2).run()
    assert {"run2_adam_lr", "run2_adam_beta1", "run2_adam_beta2", "run2_adam_eps"} <= keys(at.main)
    assert "run0_momentum_lr" not in keys(at.main)
    assert url(at, "slide") == ["3"]

    at.select_slider(key="run2_adam_lr").set_value(0.01).run()
    assert not at.exception
    assert "Adam (lr=0.01)" in paths(at) and url(at, "run")[2] == "adam:lr=0.01"
    assert url(at, "slide") == ["3"]  # the view's own parameters are rewritten; the slide stays

    at.selectbox(key="slide_run").set_value(0).run()
    assert "slide" not in at.query_params  # the first run is the default: no parameter


def test_a_links_slide_opens_the_panel_on_that_run_and_a_bad_one_on_the_first():
    at = presenting({"landscape": "quadratic", "run": ["sgd:lr=0.03", "adamw:weight_decay=0.5"], "slide": "2"})
    assert not at.exception
    assert at.selectbox(key="slide_run").value == 1
    assert at.select_slider(key="run1_adamw_weight_decay").value == 0.5
    assert {"lp_condition", "lp_angle"} <= keys(at.main)  # the landscape's parameters beside it

    for bad in ("9", "0", "two"):
        at = presenting({"run": ["sgd:lr=0.03", "adamw"], "slide": bad})
        assert not at.exception and at.selectbox(key="slide_run").value == 0


def test_one_run_needs_no_run_choice():
    at = presenting({"run": ["lion:lr=0.001"]})
    assert not at.exception
    assert "slide_run" not in keys(at.main) and "run0_lion_lr" in keys(at.main)


def test_an_unknown_name_to_hide_gets_a_note():
    at = presenting({"hide": "noise,no_such_control"})
    assert not at.exception
    notes = " ".join(warning.value for warning in at.warning).replace("\\_", "_")  # Markdown-escaped
    assert "“hide=no_such_control”: no control of that name here" in notes and "hide=noise" not in notes


def test_presenting_without_a_valid_function_keeps_the_panel_and_the_last_figure():
    at = presenting()
    at.selectbox(key="landscape").set_value("custom").run()
    at.text_input(key="expression").input("x^^2").run()
    assert not at.exception
    assert "expression" in keys(at.main) and at.error, "the typed function's error shows in the panel"
    assert at.get("plotly_chart"), "the last valid figure stays"
