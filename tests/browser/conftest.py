"""Browser-test harness: one `streamlit run app.py` server per session, Debian's chromium through Playwright.

Fixtures: `app_url` (the server), `browser`, `page` (a fresh 1440×900 tab that records console and
page errors; override the `viewport` fixture for another size) and `app` (a helpers.StreamlitPage
on that tab). On failure the tab's screenshot and HTML go to test-artifacts/; the server's output is
always in test-artifacts/streamlit-server.log.

helpers.py imports Playwright, so fixtures import it only after `browser` has checked that
Playwright and chromium exist (skipping, or failing under CI=true, where they do not).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .harness import (
    ARTIFACTS_DIR,
    INSTALL_CHROMIUM_HINT,
    INSTALL_PLAYWRIGHT_HINT,
    REPO_ROOT,
    find_chromium,
    serve_streamlit,
    skip_or_fail,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from .helpers import BrowserLog, StreamlitPage

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

test_failed_key = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_TESTS_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[test_failed_key] = True
    return report


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of `streamlit run app.py`, started from the repository root on a free port."""
    with serve_streamlit(REPO_ROOT / "app.py", ARTIFACTS_DIR / "streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright; Playwright never downloads a browser here."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        skip_or_fail(f"playwright is not importable ({error}); {INSTALL_PLAYWRIGHT_HINT}")
    executable = find_chromium()
    if executable is None:
        searched = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium or on PATH"
        skip_or_fail(f"no chromium executable at {searched}; {INSTALL_CHROMIUM_HINT}")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 1440, "height": 900}


@pytest.fixture
def browser_log(browser: Browser) -> BrowserLog:
    from .helpers import BrowserLog

    return BrowserLog()


@pytest.fixture
def page(
    browser: Browser, viewport: dict[str, int], browser_log: BrowserLog, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh tab; a failing test leaves its screenshot and HTML in test-artifacts/FAILED-<test>.*"""
    from .helpers import COUNT_SCRIPT_RUNS_JS, slug

    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(30_000)
    context.add_init_script(COUNT_SCRIPT_RUNS_JS)
    tab = context.new_page()
    browser_log.record(tab)
    yield tab
    if request.node.stash.get(test_failed_key, False):
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        name = slug(request.node.nodeid)
        tab.screenshot(path=ARTIFACTS_DIR / f"FAILED-{name}.png", full_page=True)
        (ARTIFACTS_DIR / f"FAILED-{name}.html").write_text(tab.content())
    context.close()


@pytest.fixture
def app(browser: Browser, app_url: str, page: Page, browser_log: BrowserLog) -> StreamlitPage:
    """The app under test in a fresh tab; call app.open(path, **query) first."""
    from .helpers import StreamlitPage

    return StreamlitPage(page, app_url, browser_log)
