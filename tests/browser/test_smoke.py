"""The app opens in a real chromium: every page renders without an exception or a browser error."""

import pytest

from .helpers import StreamlitPage, slug

APP_NAME = "Optimizer Playground"


def test_root_page_renders_without_errors(app: StreamlitPage) -> None:
    app.open()

    assert APP_NAME in app.page.title()
    assert app.page.get_by_test_id("stMain").inner_text().strip(), "the root page shows no content"
    app.screenshot("smoke-root")


def pages_in_navigation(app: StreamlitPage) -> list[tuple[str, str]]:
    app.open()
    links = app.navigation_links()
    if not links:
        pytest.skip("the app shows no navigation (it has fewer than two pages); only the root page is checked")
    return links


def test_every_page_opens_from_the_navigation(app: StreamlitPage) -> None:
    for title, href in pages_in_navigation(app):
        with app.waiting_for_rerun():
            app.navigation_link(href).click()

        assert app.page.url.split("?")[0] == href, f"clicking {title!r} led to {app.page.url}"
        app.assert_healthy()
        app.screenshot(f"smoke-nav-{slug(title)}")


def test_every_page_opens_from_its_url(app: StreamlitPage) -> None:
    """A shared link opens a page in a new session, without visiting the root page first."""
    for title, href in pages_in_navigation(app):
        app.open(href.removeprefix(app.base_url))

        assert app.page.url.split("?")[0] == href, f"{href} ({title!r}) redirected to {app.page.url}"
