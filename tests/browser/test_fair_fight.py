"""The Fair fight page in chromium: an old link opens, a budget slider reruns the fight, its link brings it back."""

from urllib.parse import parse_qs, urlparse

from ui.view import from_query

from .helpers import StreamlitPage


def open_fight(app: StreamlitPage, **query) -> None:
    app.open()  # the router's first run, so the page's url_path resolves (see test_sweeps.py)
    app.open("fair-fight", **query)
    app.plotly_graphs().nth(1).locator(".main-svg").first.wait_for()


def budget_dots(app: StreamlitPage) -> int:
    figure = app.plotly_figure(1)
    return sum(len(t["x"]) for t in figure["data"] if t.get("mode") == "markers" and t["name"] in ("SGD", "Adam"))


def test_the_budget_slider_reruns_the_fight_and_the_link_brings_it_back(app: StreamlitPage) -> None:
    open_fight(app, opt="sgd,adam", steps=200, budget=16)  # a link from before the widgets were bound
    assert app.page.get_by_role("heading", name="Fair fight").is_visible()
    sixteen = budget_dots(app)
    assert 2 <= sixteen <= 32

    app.set_slider("Tuning budget (settings per optimizer)", "128")  # 64, the default, stays out of the link
    app.plotly_graphs().nth(1).locator(".main-svg").first.wait_for()
    assert budget_dots(app) > sixteen
    query = parse_qs(urlparse(app.page.url).query)
    assert query["ff_budget"] == ["128"] and query["ff_optimizers"] == ["SGD", "Adam"] and "opt" not in query
    table_before = app.page.get_by_test_id("stDataFrame").inner_text()

    # The same address in a fresh tab shows the same fight.
    fresh = app.page.context.browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        fresh.goto(app.page.url)
        fresh.get_by_test_id("stDataFrame").wait_for()
        fresh.get_by_test_id("stApp").get_by_text("SGD", exact=True).first.wait_for()
        assert fresh.get_by_test_id("stDataFrame").inner_text() == table_before
        assert fresh.get_by_test_id("stException").count() == 0
    finally:
        fresh.close()
    app.assert_healthy()
    app.screenshot("fair-fight")


def test_a_tuned_setting_opens_in_the_playground(app: StreamlitPage) -> None:
    open_fight(app, opt="adam", steps=200, budget=16)
    app.page.get_by_text("Adam tuned:").click()
    link = app.page.get_by_role("link", name="Open Adam at its defaults and tuned in the Playground")
    link.wait_for(state="visible")
    app.page.wait_for_timeout(500)  # the expander's opening animation moves the link
    with app.waiting_for_rerun():
        link.click()
    # A page switch under load (three browsers on two cores) has taken over 30 s here.
    app.page.wait_for_function("() => new URLSearchParams(location.search).getAll('run').length === 2",
                               timeout=90_000)
    app.page.get_by_role("heading", name="Optimizer Playground").wait_for()
    app.wait_until_idle()
    view, notes = from_query(parse_qs(urlparse(app.page.url).query))
    assert notes == [] and [run.optimizer for run in view.runs] == ["adam", "adam"]
    assert view.steps == 200
    app.assert_healthy()
