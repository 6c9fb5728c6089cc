"""Browser-test harness: one `streamlit run app.py` server per session, Debian's chromium through Playwright.

Fixtures: `app_url` (the server), `browser`, `page` (a fresh 1440×900 tab that records console and
page errors; override the `viewport` fixture for another size) and `app` (a helpers.StreamlitPage
on that tab). On failure the tab's screenshot and HTML go to test-artifacts/; the server's output is
always in test-artifacts/streamlit-server.log.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import (
    ARTIFACTS_DIR,
    COUNT_SCRIPT_RUNS_JS,
    REPO_ROOT,
    BrowserLog,
    StreamlitPage,
    serve_streamlit,
    skip_or_fail,
    slug,
)

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
INSTALL_HINT = "install it with `apt-get install -y chromium`, or point CHROMIUM_PATH at a chromium binary"

failed_phase_key = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_TESTS_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[failed_phase_key] = True
    return report


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of `streamlit run app.py`, started from the repository root on a free port."""
    with serve_streamlit(REPO_ROOT / "app.py", ARTIFACTS_DIR / "streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's chromium driven by Playwright; Playwright never downloads a browser here."""
    executable = find_chromium()
    if executable is None:
        skip_or_fail(f"no chromium found at {os.environ.get('CHROMIUM_PATH') or '/usr/bin/chromium'}; {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 1440, "height": 900}


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(browser, viewport: dict[str, int], browser_log: BrowserLog, request: pytest.FixtureRequest) -> Iterator:
    """A fresh tab; a failing test leaves its screenshot and HTML in test-artifacts/."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(30_000)
    context.add_init_script(COUNT_SCRIPT_RUNS_JS)
    tab = context.new_page()
    browser_log.record(tab)
    yield tab
    if request.node.stash.get(failed_phase_key, False):
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        name = slug(request.node.nodeid)
        tab.screenshot(path=ARTIFACTS_DIR / f"FAILED-{name}.png", full_page=True)
        (ARTIFACTS_DIR / f"FAILED-{name}.html").write_text(tab.content())
    context.close()


@pytest.fixture
def app(browser, app_url: str, page, browser_log: BrowserLog) -> StreamlitPage:
    """The app under test in a fresh tab; call app.open(path, **query) first."""
    return StreamlitPage(page, app_url, browser_log)
