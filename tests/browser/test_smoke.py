"""The app opens in a real chromium: the root page, and every page from the navigation, without an
exception or a browser error. Opening every page from its own URL (a shared link, a new session) is
the first step of each page's visit in test_lecture_hall.py; the walk here checks that the lecture
hall's list of pages is the navigation's."""

from .helpers import StreamlitPage, slug
from .test_lecture_hall import PAGES

APP_NAME = "Optimizer Playground"


def test_the_root_page_and_every_page_in_the_navigation_open_cleanly(app: StreamlitPage) -> None:
    app.open()
    assert APP_NAME in app.page.title()
    assert app.page.get_by_test_id("stMain").inner_text().strip(), "the root page shows no content"
    app.screenshot("smoke-root")
    links = app.navigation_links()
    assert sorted(href.removeprefix(app.base_url).strip("/") for _, href in links) == sorted(PAGES), (
        "the lecture hall's per-page visits (each opens its page from its URL) must cover every page"
    )

    for title, href in links:
        with app.waiting_for_rerun():
            app.navigation_link(href).click()

        assert app.page.url.split("?")[0] == href, f"clicking {title!r} led to {app.page.url}"
        app.assert_healthy()
        app.screenshot(f"smoke-nav-{slug(title)}")
