"""Every page on a projector and a laptop, in presentation mode, and through a copied link, in chromium."""

from __future__ import annotations

import pytest

from .fit import CLIPPED_JS, SMALLEST_CHART_TEXT_JS, THINNEST_LINE_JS
from .helpers import StreamlitPage, expect

PAGES = ["", "sweeps", "fair-fight", "lessons", "ema", "sgd-to-adam", "inside-adam", "weight-decay", "hyperparameters"]
PAGES_WITH_CHARTS = [page for page in PAGES if page != "lessons"]
# Pages whose widgets the router's link check covers (the Playground writes its own URL).
LINKED_PAGES = ["sweeps", "ema", "sgd-to-adam", "inside-adam", "weight-decay", "hyperparameters"]
SIZES = {"1280x720": {"width": 1280, "height": 720}, "1440x900": {"width": 1440, "height": 900}}

# Every keyed widget's shown value, read from the page as a person sees it.
WIDGET_STATE_JS = """
() => {
  const state = {};
  for (const box of document.querySelectorAll('[class*="st-key-"]')) {
    const key = [...box.classList].find((c) => c.startsWith('st-key-')).slice('st-key-'.length);
    if (['top_bar', 'present'].includes(key)) continue;
    const sliders = box.querySelectorAll('input[type="range"]');
    const active = box.querySelector('[data-testid$="Active"]');
    const checks = box.querySelectorAll('input[type="checkbox"], input[type="radio"]');
    const inputs = box.querySelectorAll('input[type="number"], input[type="text"]');
    const select = box.querySelector('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]');
    if (sliders.length) state[key] = [...sliders].map((s) => s.getAttribute('aria-valuetext') || s.value)
      .join(' … ');
    else if (active) state[key] = active.innerText;
    else if (select) state[key] = select.innerText;
    else if (checks.length) state[key] = [...checks].map((c) => c.checked).join(',');
    else if (inputs.length) state[key] = [...inputs].map((i) => i.value).join(',');
  }
  return state;
}
"""


@pytest.fixture
def viewport() -> dict[str, int]:
    """The projector's size. What depends on the size (clipping, the figure on the first screen) walks both
    sizes in one load; links, hiding and the mode's persistence do not, and run once."""
    return SIZES["1280x720"]


def open_and_settle(app: StreamlitPage, path: str, **query) -> None:
    """Open a page from its URL (a new session, as a shared link does), check it was not redirected, and
    wait for every chart to draw and for the equations to be fitted to their columns."""
    app.open(path, **query)
    assert app.page.url.split("?")[0] == app.url(path), f"{app.url(path)} redirected to {app.page.url}"
    for graph in app.plotly_graphs().all():
        expect(graph.locator(".main-svg").first).to_be_attached(timeout=60_000)
    app.page.wait_for_timeout(600)


def clipped_at_each_size(app: StreamlitPage, name: str, check=None) -> list[str]:
    """Each screen size in turn on the page already open: what sticks out of its box, and ``check``'s problems.

    One load per page and mode: the layout follows a resized window as it follows a laptop's, and
    loading every page again for each size doubled this walk's time.
    """
    problems = []
    for size, viewport in SIZES.items():
        app.page.set_viewport_size(viewport)
        app.wait_until_idle()
        app.page.wait_for_timeout(1_000)  # Plotly relayouts and the equations refit after a resize
        app.screenshot(f"fit-{name}-{size}")
        found = [*app.page.evaluate(CLIPPED_JS), *(check(size) if check else [])]
        problems += [f"{name} at {size}: {line}" for line in found]
    return problems


def move_every_slider(app: StreamlitPage, limit: int = 5) -> None:
    """Press → once on each enabled slider (the first thumb of a range), as a person would."""
    sliders = app.page.locator("[data-testid='stSlider'] input[type='range']:not(:disabled)")
    seen = set()
    for index in range(sliders.count()):
        slider = sliders.nth(index)
        owner = slider.evaluate("s => s.closest('[class*=\"st-key-\"]').className")
        if owner in seen or len(seen) >= limit:
            continue
        seen.add(owner)
        slider.focus()
        with app.waiting_for_rerun():
            app.page.keyboard.press("ArrowRight")


def copied_link(app: StreamlitPage) -> str:
    """Click Copy link once, see its feedback, and read the clipboard back."""
    app.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.base_url)
    button = app.page.locator(".copy-link-button")
    button.click()
    expect(button).to_contain_text("Link copied")
    return app.page.evaluate("() => navigator.clipboard.readText()")


@pytest.mark.parametrize("viewport", [SIZES["1440x900"]], ids=["both-sizes"])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "playground")
def test_nothing_is_clipped_and_a_copied_link_reopens_the_view(app: StreamlitPage, browser, path: str) -> None:
    """Each page's visit: opened from its URL, nothing clipped at either size, then (pages whose widgets
    the router's link check covers) its sliders moved and the copied link reopened in a fresh browser."""
    open_and_settle(app, path)
    problems = clipped_at_each_size(app, f"{path or 'playground'}-normal")
    assert not problems, "\n".join(problems)
    if path not in LINKED_PAGES:
        return

    defaults = app.page.evaluate(WIDGET_STATE_JS)
    move_every_slider(app)
    moved = app.page.evaluate(WIDGET_STATE_JS)
    assert moved != defaults, "pressing → on the sliders changed nothing"
    link = copied_link(app)
    assert link.startswith(app.base_url) and f"/{path}?" in link, link

    with app.opened_in_a_fresh_browser(browser, link) as fresh:
        fresh.assert_healthy()
        reopened = fresh.page.evaluate(WIDGET_STATE_JS)
    assert reopened == moved


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "playground")
def test_presentation_mode_fits_a_projector(app: StreamlitPage, path: str) -> None:
    """Presenting: on a 1280×720 projector the main figure is whole on the first screen; at both sizes chart
    text is at least 18 px, lines at least 3 px and nothing is clipped; menus hidden, the sidebar folded away."""
    open_and_settle(app, path, present=1)
    expect(app.page.get_by_test_id("stMainMenu")).to_be_hidden()
    expect(app.page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
    expect(app.page.get_by_test_id("stSidebarContent")).not_to_be_in_viewport()
    charts = path in PAGES_WITH_CHARTS
    if charts:
        box = app.plotly_graphs().first.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720, f"the first figure spans {box} on a 1280×720 screen"

    def readable(_size: str) -> list[str]:
        if not charts:
            return []
        text, line = app.page.evaluate(SMALLEST_CHART_TEXT_JS), app.page.evaluate(THINNEST_LINE_JS)
        return [f"chart text {text} px < 18"] * (text < 18) + [f"a line {line} px < 3"] * (line < 3)

    problems = clipped_at_each_size(app, f"{path or 'playground'}-present", readable)
    assert not problems, "\n".join(problems)


def test_presentation_mode_stays_on_across_pages_and_the_toggle_ends_it(app: StreamlitPage) -> None:
    open_and_settle(app, "ema", present=1)
    assert "present=1" in app.page.url
    app.page.get_by_test_id("stExpandSidebarButton").click()
    with app.waiting_for_rerun():
        app.navigation_link(app.url("inside-adam")).click()

    assert "/inside-adam?present=1" in app.page.url
    assert app.page.evaluate(SMALLEST_CHART_TEXT_JS) >= 18
    assert copied_link(app) == app.page.url
    refused_copy_shows_the_link(app)

    app.page.keyboard.press("Escape")  # the sidebar
    with app.waiting_for_rerun():  # a page link carrying a query of its own
        app.page.get_by_role("link", name="Open these settings in the Playground").click()
    app.page.get_by_role("heading", name="Optimizer Playground").wait_for(timeout=60_000)
    app.wait_until_idle()
    assert "present=1" in app.page.url and "run=adam" in app.page.url
    with app.waiting_for_rerun():
        app.page.locator(".st-key-present input").click(force=True)
    assert "present" not in app.page.url
    assert app.page.evaluate(SMALLEST_CHART_TEXT_JS) < 18


def refused_copy_shows_the_link(app: StreamlitPage) -> None:
    """Where the browser refuses both ways of copying, Copy link shows the address, selected."""
    app.page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
                      " document.execCommand = () => false; }")
    app.page.locator(".copy-link-button").click()
    fallback = app.page.locator(".copy-link-fallback input")
    expect(fallback).to_be_visible()
    assert fallback.input_value() == app.page.url
    app.page.locator(".copy-link-close").click()
    expect(fallback).to_be_hidden()


def test_hide_removes_the_named_controls_and_notes_unknown_names(app: StreamlitPage) -> None:
    open_and_settle(app, "inside-adam", hide="inside_adam_eps,inside_adam_beta2,no_such_control")

    expect(app.page.locator(".st-key-inside_adam_eps")).to_be_hidden()
    expect(app.page.locator(".st-key-inside_adam_beta1")).to_be_visible()
    expect(app.page.get_by_text("“hide=no_such_control”: no control of that name here")).to_be_visible()


def test_a_bad_value_in_a_link_is_dropped_with_a_note(app: StreamlitPage) -> None:
    open_and_settle(app, "ema", ema_beta="lots", ema_step=30)

    expect(app.page.get_by_text("“ema_beta=lots” ignored")).to_be_visible()
    state = app.page.evaluate(WIDGET_STATE_JS)
    assert state["ema_step"] == "30" and state["ema_beta"] == "0.9"


def test_presenting_the_playground_a_runs_knobs_sit_beside_the_figure(app: StreamlitPage) -> None:
    """A lecturer on a projector moves the second run's α beside the figure, sidebar closed, and the dropdown
    reads from the back row."""
    open_and_settle(app, "", present=1, landscape="quadratic", condition=100, angle=0, steps=200,
                    run=["sgd:lr=0.019", "sgd:lr=0.021"], slide=2)
    panel = app.page.locator(".st-key-slide_panel")
    slider = panel.locator(".st-key-run1_sgd_lr input[type='range']")
    expect(panel.locator(".st-key-run1_sgd_lr [data-testid='stSlider']")).to_be_in_viewport(ratio=1)
    assert panel.bounding_box()["x"] > app.plotly_graphs().first.bounding_box()["x"], "the panel is beside"
    legend = [trace["name"] for trace in app.plotly_figure()["data"] if trace.get("name", "").startswith("SGD")]
    assert "SGD (lr=0.021)" in legend

    slider.focus()
    with app.waiting_for_rerun():
        app.page.keyboard.press("ArrowLeft")
    app.assert_healthy()
    legend = [trace["name"] for trace in app.plotly_figure()["data"] if trace.get("name", "").startswith("SGD")]
    assert "SGD (lr=0.02)" in legend and "SGD (lr=0.019)" in legend
    assert "slide=2" in app.page.url and "present=1" in app.page.url and "lr%3D0.02&" in app.page.url + "&"

    panel.locator(".st-key-slide_run").get_by_test_id("stSelectbox").click()
    option = app.page.get_by_role("option", name="run 1: SGD")
    assert float(option.evaluate("o => parseFloat(getComputedStyle(o).fontSize)")) >= 18
    with app.waiting_for_rerun():
        option.click()
    expect(panel.locator(".st-key-run0_sgd_lr")).to_be_visible()
    assert "slide=" not in app.page.url


def test_a_switch_turned_off_and_a_controls_first_option_survive_the_copied_link(app: StreamlitPage, browser) -> None:
    """β₁ = 0 is the first option of its slider, which Streamlit takes for the widget's default unless the page
    names its own: the link then left it out and reopened at 0.9. A switch turned off must travel as ``false``."""
    open_and_settle(app, "inside-adam")
    slider = app.page.locator(".st-key-inside_adam_beta1 input[type='range']")
    slider.focus()
    with app.waiting_for_rerun():
        app.page.keyboard.press("Home")
    assert slider.get_attribute("aria-valuetext") == "0"
    with app.waiting_for_rerun():
        app.page.locator(".st-key-inside_adam_bias_correction input").click(force=True)
    link = copied_link(app)
    assert "inside_adam_beta1=0" in link and "inside_adam_bias_correction=false" in link

    with app.opened_in_a_fresh_browser(browser, link) as fresh:
        fresh.assert_healthy()
        reopened = fresh.page.evaluate(WIDGET_STATE_JS)
        assert reopened["inside_adam_beta1"] == "0" and reopened["inside_adam_bias_correction"] == "false"
        fresh.page.goto(fresh.url("fair-fight", ff_budget=8))
        fresh.wait_until_idle()
        assert fresh.page.evaluate(WIDGET_STATE_JS)["ff_budget"] == "8"
        expect(fresh.page.get_by_text("not a value this control offers")).to_have_count(0)
