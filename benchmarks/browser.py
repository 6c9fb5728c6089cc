"""What a person waits for in the browser: the Playground against a trivial one-slider, one-chart page.

Both pages are served side by side (`streamlit run app.py` and `streamlit run benchmarks/trivial_page.py`,
each its own process) and driven in Debian's chromium through Playwright, interleaved, so the noise of
a shared machine falls on both alike. Figures, medians over the rounds:

- slider → figure changed: an arrow key on a slider (a run's α in the Playground, each press a new
  value, so the run is recomputed) until the chart's data differ, read on every animation frame;
- websocket bytes per change: everything the server sent (after decompression) from the key press
  until the app is idle again;
- browser CPU per change: chromium's CPU time (all its processes, from /proc, so Linux only) from the
  key press until idle: the work behind the latency, steadier than wall time on a shared machine;
- first load of a deep link: from `goto` until the first chart is drawn, on the fresh servers (the
  first visit each) and in fresh browser contexts afterwards, and the JavaScript the page loaded;
- the replay: frames per second while Play runs, for the default view and six runs × 5,000 steps.

Run: python benchmarks/browser.py [--rounds 12] [--port 8520] [--query 'noise=2&cloud=32']
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.view import DEFAULT_RUNS, RunSpec, View, to_query  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 900}
DEEP_LINK = to_query(View(landscape="quadratic", landscape_params=(("condition", 100.0), ("angle", 30.0))))
HEAVY_LINK = to_query(View(steps=5000, runs=(*DEFAULT_RUNS, RunSpec.of("sgd", lr=1e-3), RunSpec.of("nadam"))))

# A fingerprint of the first chart's data as plotly.js holds it: changes when any trace's data does.
SIGNATURE_JS = """
window.__plotSignature = () => {
  const graph = document.querySelector('.js-plotly-plot');
  if (!graph || !graph.data) return '';
  const tail = (a) => a === undefined ? ''
    : (a.bdata ? a.bdata.length + a.bdata.slice(-24) : String(a.length) + String(a[a.length - 1]));
  return graph.data.map((t) => tail(t.x) + ':' + tail(t.y)).join('|');
};
"""
# Arrival time of every websocket message, to split a change's latency into server and browser parts.
MESSAGES_JS = """
window.__messages = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => window.__messages.push(performance.now()));
  }
};
"""
SPLIT_JS = """
() => { const after = window.__messages.filter((t) => t > window.__t0 && t <= window.__t1);
        return after.length ? [after[0] - window.__t0, window.__t1 - after[after.length - 1]] : [NaN, NaN]; }
"""
CHANGED_JS = """
(old) => { if (window.__plotSignature() !== old) { window.__t1 = performance.now(); return true; } return false; }
"""
IDLE_JS = """
() => { const app = document.querySelector('[data-testid="stApp"]');
        return app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
               && !document.querySelector('[data-testid="stStatusWidget"]'); }
"""
# Watch the loss markers' step on every animation frame until the replay reaches the last step.
FRAMES_JS = """
(graph) => new Promise((resolve) => {
  const last = Math.max(...graph._fullLayout.xaxis2.range);
  const step = () => { const t = graph.data.find((t) => t.xaxis === 'x2' && t.mode === 'markers'); return t.x[0]; };
  const changes = [];
  let previous = step();
  const watch = () => {
    const now = step();
    if (now !== previous) { changes.push(performance.now()); previous = now; }
    if (changes.length > 1 && now >= last) resolve(changes); else requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  setTimeout(() => resolve(changes), 120000);
})
"""


JS_LOADED_JS = """
() => performance.getEntriesByType('resource').filter((e) => e.name.split('?')[0].endsWith('.js'))
                 .reduce((total, e) => total + e.decodedBodySize, 0)
"""


def chromium_cpu_seconds() -> float:
    """User + system CPU seconds used so far by the chromium processes this script started."""
    parents, used = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat, open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                fields, command = stat.read().rsplit(")", 1)[1].split(), cmdline.read()
        except OSError:
            continue
        parents[int(pid)] = int(fields[1])
        if b"chrom" in command and b"streamlit" not in command:
            used[int(pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def ours(pid: int) -> bool:
        while pid > 1 and pid != os.getpid():
            pid = parents.get(pid, 0)
        return pid == os.getpid()

    return sum(seconds for pid, seconds in used.items() if ours(pid))


@contextmanager
def served(script: Path, port: int):
    """`streamlit run script` on ``port``, headless, until the block ends."""
    command = [sys.executable, "-m", "streamlit", "run", script.name, "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    server = subprocess.Popen(command, cwd=script.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.25)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Tab:
    """A browser tab that counts the websocket bytes it receives."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(SIGNATURE_JS + MESSAGES_JS)
        self.page = self.context.new_page()
        self.received = 0
        self.page.on("websocket", lambda socket: socket.on("framereceived", self._count))
        self.url = url

    def _count(self, payload) -> None:
        self.received += len(payload)

    def first_plot(self) -> float:
        """Seconds from opening the URL to the first chart drawn."""
        start = time.perf_counter()
        self.page.goto(self.url)
        self.page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible", timeout=120_000)
        elapsed = time.perf_counter() - start
        self.wait_idle()
        return elapsed

    def javascript_loaded(self) -> int:
        """Bytes of JavaScript the page has loaded (uncompressed)."""
        return self.page.evaluate(JS_LOADED_JS)

    def wait_idle(self) -> None:
        self.page.wait_for_timeout(150)
        self.page.wait_for_function(IDLE_JS, timeout=60_000)

    def press(self, slider, key: str) -> tuple[float, int, float, float, float]:
        """For one key press on ``slider``: ms until the chart's data changed, bytes received until idle,
        ms until the first message arrived, ms from the last message to the changed chart and chromium's
        CPU ms until idle."""
        thumb = slider.locator("xpath=../..")
        thumb.scroll_into_view_if_needed()
        box = thumb.bounding_box()
        self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.wait_idle()
        before = self.page.evaluate("window.__plotSignature()")
        received = self.received
        cpu = chromium_cpu_seconds()
        self.page.evaluate("window.__t0 = performance.now()")
        self.page.keyboard.press(key)
        self.page.wait_for_function(CHANGED_JS, arg=before, polling="raf", timeout=60_000)
        latency = self.page.evaluate("window.__t1 - window.__t0")
        server, browser = self.page.evaluate(SPLIT_JS)
        self.wait_idle()
        self.page.wait_for_timeout(300)  # stragglers of the same rerun
        return latency, self.received - received, server, browser, (chromium_cpu_seconds() - cpu) * 1e3

    def close(self) -> None:
        self.context.close()


def playground_slider(tab: Tab):
    """α of the Adam run, its editor opened first (the first slider of the open editor)."""
    sidebar = tab.page.get_by_test_id("stSidebar")
    # Not AdamW's; after enough presses α reaches Adam's default and the label loses its "(lr=…)".
    editor = sidebar.get_by_test_id("stExpander").filter(has_text=re.compile(r"Adam(?!W)")).first
    if not editor.get_by_test_id("stSlider").count():
        editor.locator("summary").click()
        tab.wait_idle()
    return sidebar.get_by_test_id("stExpander").filter(has=tab.page.get_by_test_id("stSlider")).first \
        .get_by_test_id("stSlider").first.locator("input[type='range']")


def trivial_slider(tab: Tab):
    return tab.page.get_by_test_id("stSlider").first.locator("input[type='range']")


def replay_fps(browser, url: str) -> tuple[int, float, float]:
    """(frames shown, frames per second, chromium's CPU ms per frame) of one Play at 1×, as the browser
    drew them: a frame costing under 40 ms of CPU keeps up with 1× wherever the browser has a core."""
    tab = Tab(browser, url)
    tab.first_plot()
    graph = tab.page.locator(".js-plotly-plot").first
    graph.scroll_into_view_if_needed()
    cpu = chromium_cpu_seconds()
    graph.locator(".updatemenu-button").filter(has_text="▶ 1×").first.click()
    times = graph.evaluate(FRAMES_JS)
    cpu = (chromium_cpu_seconds() - cpu) * 1e3
    tab.close()
    if len(times) < 2:
        return len(times), float("nan"), float("nan")
    return len(times), (len(times) - 1) / ((times[-1] - times[0]) / 1e3), cpu / len(times)


def median(values) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--port", type=int, default=8520)
    parser.add_argument("--query", default="",
                        help="the Playground view the slider rounds use, e.g. 'noise=2&cloud=32&curvature=1' "
                             "(default: the default view); it must hold an Adam run")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with (served(ROOT / "app.py", arguments.port) as app_url,
          served(ROOT / "benchmarks" / "trivial_page.py", arguments.port + 1) as trivial_url,
          sync_playwright() as playwright):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        deep_link = f"{app_url}/?{urlencode(DEEP_LINK, doseq=True)}"
        fresh = {"Playground": Tab(browser, deep_link).first_plot(), "trivial": Tab(browser, trivial_url).first_plot()}
        loads = {"Playground": [], "trivial": []}
        scripts = {}
        for _ in range(5):
            for name, url in (("Playground", deep_link), ("trivial", trivial_url)):
                tab = Tab(browser, url)
                loads[name].append(tab.first_plot())
                scripts[name] = tab.javascript_loaded()
                tab.close()

        playground, trivial = Tab(browser, f"{app_url}/?{arguments.query}"), Tab(browser, trivial_url)
        playground.first_plot(), trivial.first_plot()
        changes = {"Playground": [], "trivial": []}
        for round_ in range(arguments.rounds):
            key = "ArrowLeft" if round_ < arguments.rounds // 2 + 1 else "ArrowRight"
            changes["Playground"].append(playground.press(playground_slider(playground), "ArrowLeft"))
            changes["trivial"].append(trivial.press(trivial_slider(trivial), key))
        fps = {"default view (4 runs × 1,000 steps)": replay_fps(browser, app_url + "/"),
               "6 runs × 5,000 steps": replay_fps(browser, f"{app_url}/?{urlencode(HEAVY_LINK, doseq=True)}")}
        browser.close()

    latency = {name: median(sample[0] for sample in samples) for name, samples in changes.items()}
    sent = {name: median(sample[1] for sample in samples) for name, samples in changes.items()}
    first_byte = {name: median(sample[2] for sample in samples) for name, samples in changes.items()}
    drawing = {name: median(sample[3] for sample in samples) for name, samples in changes.items()}
    cpu = {name: median(sample[4] for sample in samples) for name, samples in changes.items()}
    print(f"chromium {VIEWPORT['width']}×{VIEWPORT['height']}, {arguments.rounds} interleaved rounds, medians; "
          f"Playground view: {arguments.query or 'default'}")
    print(f"{'':28s}{'Playground':>14s}{'trivial':>12s}{'ratio':>8s}   target")
    print(f"{'slider → figure changed':28s}{latency['Playground']:11.0f} ms{latency['trivial']:9.0f} ms"
          f"{latency['Playground'] / latency['trivial']:7.2f}×   ≤ 1.5×")
    print(f"{'  of which until 1st message':28s}{first_byte['Playground']:11.0f} ms{first_byte['trivial']:9.0f} ms")
    print(f"{'  of which last msg → drawn':28s}{drawing['Playground']:11.0f} ms{drawing['trivial']:9.0f} ms")
    print(f"{'browser CPU per change':28s}{cpu['Playground']:11.0f} ms{cpu['trivial']:9.0f} ms"
          f"{cpu['Playground'] / cpu['trivial']:7.2f}×")
    print(f"{'websocket bytes per change':28s}{sent['Playground'] / 1e3:11.1f} kB{sent['trivial'] / 1e3:9.1f} kB"
          f"{'':8s}   ≤ 100 kB")
    print(f"{'first load, fresh server':28s}{fresh['Playground']:12.2f} s{fresh['trivial']:10.2f} s"
          f"{fresh['Playground'] / fresh['trivial']:7.2f}×   ≤ 1.5×")
    warm = {name: median(values) for name, values in loads.items()}
    print(f"{'first load, new context':28s}{warm['Playground']:12.2f} s{warm['trivial']:10.2f} s"
          f"{warm['Playground'] / warm['trivial']:7.2f}×")
    print(f"{'JavaScript loaded':28s}{scripts['Playground'] / 1e6:11.2f} MB{scripts['trivial'] / 1e6:9.2f} MB")
    for name, samples in changes.items():
        print(f"latency samples, {name} (ms): {sorted(round(sample[0]) for sample in samples)}")
    for name, (frames, rate, cost) in fps.items():
        print(f"replay, {name}: {frames} frames at {rate:.0f} frames/s, {cost:.0f} ms of browser CPU a frame")


if __name__ == "__main__":
    main()
