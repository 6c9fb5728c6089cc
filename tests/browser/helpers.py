"""Drive the running Streamlit app in chromium the way a person does, and check what the browser saw.

Page tests take the `app` fixture (a `StreamlitPage`, see conftest.py) and reach Playwright directly
through `app.page` for anything not covered here. They import from this module, never playwright
itself, so a machine without playwright skips the browser tests instead of erroring at collection.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

from .harness import ARTIFACTS_DIR, INSTALL_PLAYWRIGHT_HINT, skip_or_fail

APP_TIMEOUT_MS = 30_000
# A widget sends its new value after a short debounce and the server then starts the rerun, so a
# rerun begins some time after the keypress or click. Wait this long for it to begin before
# concluding that the interaction caused no rerun at all.
RERUN_START_GRACE_MS = 1_500

# Counts how often the app's script started running, from the first byte of every document.
# Streamlit publishes its state on the root element: data-test-script-state goes
# "initial" -> "running" -> "notRunning" on every run.
COUNT_SCRIPT_RUNS_JS = """
window.__scriptRunsStarted = 0;
new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    const state = mutation.target.getAttribute('data-test-script-state');
    if (mutation.target.dataset.testid === 'stApp' && (state === 'running' || state === 'rerunRequested')) {
      window.__scriptRunsStarted += 1;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""

# plotly.js keeps a figure's traces and layout on its graph div as `data` and `layout`. Keys
# starting with "_" are plotly.js internals (some circular), not part of the figure.
READ_FIGURE_JS = """
(graph) => JSON.parse(JSON.stringify({data: graph.data, layout: graph.layout},
                                     (key, value) => (key.startsWith('_') ? undefined : value)))
"""

# Viewport position of data point (x, y): the axis offset inside the graph div plus the axis'
# data-to-pixel map (which handles log axes).
DATA_TO_VIEWPORT_JS = """
(graph, [x, y]) => {
  const box = graph.getBoundingClientRect();
  const {xaxis, yaxis} = graph._fullLayout;
  return [box.left + xaxis._offset + xaxis.d2p(x), box.top + yaxis._offset + yaxis.d2p(y)];
}
"""


try:
    from playwright.sync_api import ConsoleMessage, Locator, Page, expect
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError as error:
    skip_or_fail(f"playwright is not importable ({error}); {INSTALL_PLAYWRIGHT_HINT}")


@dataclass(frozen=True)
class BrowserError:
    """A console error or an uncaught page error, with the URL it came from."""

    kind: str
    text: str
    url: str = ""


@dataclass
class BrowserLog:
    errors: list[BrowserError] = field(default_factory=list)

    def record(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(BrowserError("pageerror", str(error))))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(BrowserError("console", message.text, message.location.get("url", "")))


def is_base_path_probe(error: BrowserError, base_url: str) -> bool:
    """Opening <base>/<page> directly, Streamlit's frontend first tries <page> as a server.baseUrlPath:
    it requests <page>/_stcore/health and <page>/_stcore/host-config, gets 404 and then connects at
    <base> (getPossibleBaseUris in the frontend). Chromium logs those two 404s as console errors."""
    probe = re.escape(base_url) + r"/[^?#]+/_stcore/(health|host-config)"
    return error.text.startswith("Failed to load resource: the server responded with a status of 404") and bool(
        re.fullmatch(probe, error.url)
    )


def decode_plotly_arrays(value: Any) -> Any:
    """Turn plotly's base64 array encoding ({"dtype", "bdata", "shape"}) back into NumPy arrays, recursively."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
            shape = value.get("shape")
            if shape:
                array = array.reshape([int(size) for size in str(shape).split(",")])
            return array
        return {key: decode_plotly_arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_plotly_arrays(item) for item in value]
    return value


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", text).strip("_") or "root"


@dataclass
class StreamlitPage:
    """One browser tab on the app under test."""

    page: Page
    base_url: str
    log: BrowserLog

    def url(self, path: str = "", **query: Any) -> str:
        """<base>/<url_path>?<query>; a list value repeats its key (run=a&run=b), as st.query_params reads it."""
        address = f"{self.base_url}/{path.lstrip('/')}"
        return f"{address}?{urlencode(query, doseq=True)}" if query else address

    def open(self, path: str = "", **query: Any) -> None:
        """Open <base>/<url_path>?<query>, wait for the script to finish, and check nothing went wrong."""
        self.page.goto(self.url(path, **query))
        self.page.get_by_test_id("stApp").wait_for(state="attached", timeout=APP_TIMEOUT_MS)
        self.wait_until_idle()
        self.assert_healthy()

    def wait_until_idle(self) -> None:
        """Connected, the script not running, the running indicator gone and every element rendered."""
        app = self.page.get_by_test_id("stApp")
        expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=APP_TIMEOUT_MS)
        expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=APP_TIMEOUT_MS)
        expect(self.page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=APP_TIMEOUT_MS)
        # Widgets inside a collapsed expander keep hidden skeletons; only visible ones mean "still loading".
        expect(self.page.locator("[data-testid='stSkeleton']:visible")).to_have_count(0, timeout=APP_TIMEOUT_MS)

    def script_runs_started(self) -> int:
        return self.page.evaluate("window.__scriptRunsStarted")

    @contextmanager
    def waiting_for_rerun(self) -> Iterator[None]:
        """Wrap an interaction; afterwards wait for the rerun it caused to finish.

        A trivial script can start and finish between two renders, so a rerun that is never seen
        to start within RERUN_START_GRACE_MS is taken as none; the app must be idle either way.
        """
        runs_before = self.script_runs_started()
        yield
        with suppress(PlaywrightTimeoutError):
            self.page.wait_for_function(
                "runs => window.__scriptRunsStarted > runs", arg=runs_before, timeout=RERUN_START_GRACE_MS
            )
        self.wait_until_idle()

    @contextmanager
    def opened_in_a_fresh_browser(self, browser, link: str) -> Iterator[StreamlitPage]:
        """``link`` in a new browser context (no cookies, no session), once its page is idle."""
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            fresh = StreamlitPage(context.new_page(), self.base_url, self.log)
            fresh.page.goto(link)
            fresh.wait_until_idle()
            yield fresh
        finally:
            context.close()

    def unexpected_errors(self) -> list[BrowserError]:
        return [error for error in self.log.errors if not is_base_path_probe(error, self.base_url)]

    def assert_healthy(self) -> None:
        """No exception box, no "Page not found" dialog, no console error and no uncaught page error."""
        exceptions = self.page.get_by_test_id("stException")
        assert exceptions.count() == 0, f"stException on {self.page.url}:\n" + "\n---\n".join(
            exceptions.all_inner_texts()
        )
        not_found = self.page.get_by_role("dialog").filter(has_text="Page not found")
        assert not_found.count() == 0, f"{self.page.url}: {not_found.first.inner_text()}"
        assert not self.unexpected_errors(), f"browser errors on {self.page.url}: {self.unexpected_errors()}"

    def screenshot(self, name: str) -> Path:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        path = ARTIFACTS_DIR / f"{slug(name)}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def navigation_link(self, href: str = "") -> Locator:
        """Links to the app's pages in its sidebar or top navigation; only the one to `href` if given."""
        in_app = ":not([target='_blank'])" + (f"[href='{href}']" if href else "")
        return self.page.locator(f"a[data-testid='stSidebarNavLink']{in_app}, a[data-testid='stTopNavLink']{in_app}")

    def navigation_links(self) -> list[tuple[str, str]]:
        """(title, href) of every page in the app's navigation; empty where the app shows none."""
        view_more = self.page.get_by_test_id("stSidebarNavViewButton")
        if view_more.count() and "more" in view_more.inner_text().lower():
            view_more.click()
        # The title is the link's markdown label; its icon is a ligature whose text is the icon's name.
        return [
            (link.get_by_test_id("stMarkdownContainer").inner_text().strip(), link.get_attribute("href") or "")
            for link in self.navigation_link().all()
        ]

    def slider(self, label: str) -> Locator:
        """The range input of the slider or select_slider labelled `label`."""
        label_text = self.page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
        return self.page.get_by_test_id("stSlider").filter(has=label_text).locator("input[type='range']")

    def set_slider(self, label: str, value: float | str) -> None:
        """Click the slider's thumb and press arrow keys until it shows `value`.

        A number is compared with the slider's value; a string with the text a select_slider shows.
        """
        slider = self.slider(label)
        slider.scroll_into_view_if_needed()
        # react-aria nests the range input in a visually hidden wrapper inside the thumb.
        self._click_center(slider.locator("xpath=../.."))
        expect(slider).to_be_focused()
        lowest, highest, step = (float(slider.get_attribute(name) or 1) for name in ("min", "max", "step"))
        with self.waiting_for_rerun():
            if isinstance(value, str):
                self._press_until_text(slider, value, presses=round((highest - lowest) / step))
            else:
                presses = round((value - float(slider.input_value())) / step)
                for _ in range(abs(presses)):
                    self.page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
                reached = float(slider.input_value())
                assert np.isclose(reached, value, rtol=1e-9, atol=1e-12), (
                    f"slider {label!r} stopped at {reached}, not {value} (range {lowest}..{highest}, step {step})"
                )

    def _press_until_text(self, slider: Locator, text: str, presses: int) -> None:
        self.page.keyboard.press("Home")
        for _ in range(presses):
            if slider.get_attribute("aria-valuetext") == text:
                return
            self.page.keyboard.press("ArrowRight")
        assert slider.get_attribute("aria-valuetext") == text, f"no option {text!r} on slider {slider}"

    def set_number(self, label: str, value: float) -> None:
        """Type `value` into the number input labelled `label` and press Enter."""
        number_input = self.page.get_by_role("spinbutton", name=label, exact=True)
        with self.waiting_for_rerun():
            number_input.fill(str(value))
            number_input.press("Enter")
        assert float(number_input.input_value()) == value, f"{label!r} shows {number_input.input_value()}, not {value}"

    def play_until(self, play_key: str, step: Locator, shown: str) -> str:
        """Switch Play (the toggle keyed ``play_key``) on until the ``step`` slider shows ``shown``, then off;
        the step it stopped at, after checking it stays there."""
        self.page.locator(f".st-key-{play_key}").get_by_text("Play").click()
        expect(step).to_have_attribute("aria-valuetext", shown, timeout=30_000)
        self.page.locator(f".st-key-{play_key}").get_by_text("Play").click()
        self.wait_until_idle()
        stopped = step.get_attribute("aria-valuetext")
        self.page.wait_for_timeout(1500)
        assert step.get_attribute("aria-valuetext") == stopped, "Play went on after it was switched off"
        return stopped

    def plotly_graphs(self) -> Locator:
        return self.page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot")

    def plotly_figure(self, index: int = 0) -> dict[str, Any]:
        """{"data": [...], "layout": {...}} of a chart as the browser holds it, arrays as NumPy arrays."""
        return decode_plotly_arrays(self.plotly_graphs().nth(index).evaluate(READ_FIGURE_JS))

    def click_plot(self, x: float, y: float, index: int = 0) -> None:
        """Click a chart at data coordinates (x, y) of its first axes, and wait for any rerun."""
        graph = self.plotly_graphs().nth(index)
        graph.scroll_into_view_if_needed()
        viewport_x, viewport_y = graph.evaluate(DATA_TO_VIEWPORT_JS, [x, y])
        with self.waiting_for_rerun():
            self.page.mouse.click(viewport_x, viewport_y)

    def _click_center(self, target: Locator) -> None:
        box = target.bounding_box()
        assert box is not None, f"{target} is not visible"
        self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
