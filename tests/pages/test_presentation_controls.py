"""Presentation mode moves the few controls a lesson needs from the sidebar to the main area, on every page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# Page → the controls a lesson needs that live in the sidebar when not presenting.
LESSON_CONTROLS = {
    "app_pages/inside_adam.py": ["inside_adam_lr", "inside_adam_beta1", "inside_adam_beta2", "inside_adam_eps",
                                 "inside_adam_bias_correction", "inside_adam_compare"],
    "app_pages/weight_decay.py": ["weight_decay_decay", "weight_decay_lr"],
    "app_pages/sweeps.py": ["sweeps_optimizer"],
    "app_pages/fair_fight.py": ["ff_optimizers", "ff_budget"],
}
WIDGETS = ("slider", "select_slider", "selectbox", "multiselect", "toggle", "checkbox")


def keys(block) -> set[str]:
    return {widget.key for kind in WIDGETS for widget in getattr(block, kind)}


def open_page(page: str, present: bool) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if present:
        at.query_params["present"] = "1"
    at.run()
    at.switch_page(page)
    if page.endswith("fair_fight.py"):
        at.session_state["ff_budget"] = 16
    return at.run()


@pytest.mark.parametrize("page", list(LESSON_CONTROLS), ids=lambda page: Path(page).stem)
def test_presenting_puts_the_lesson_controls_in_the_main_area(page: str) -> None:
    wanted = set(LESSON_CONTROLS[page])
    normal = open_page(page, present=False)
    assert not normal.exception
    assert wanted <= keys(normal.sidebar) and not wanted & keys(normal.main)

    presenting = open_page(page, present=True)
    assert not presenting.exception and presenting.session_state["present"] is True
    assert wanted <= keys(presenting.main) and not wanted & keys(presenting.sidebar)


def test_the_present_toggle_writes_present_1_to_the_address_and_off_removes_it() -> None:
    at = open_page("app_pages/ema.py", present=False)
    assert "present" not in at.query_params
    at.toggle(key="present").set_value(True).run()
    assert at.query_params["present"] == "1"
    at.switch_page("app_pages/inside_adam.py").run()
    assert at.query_params["present"] == "1" and "inside_adam_beta1" in keys(at.main)
    at.toggle(key="present").set_value(False).run()
    assert "present" not in at.query_params and "inside_adam_beta1" in keys(at.sidebar)
