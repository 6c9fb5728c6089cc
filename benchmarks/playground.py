"""How long the Playground's script takes, and how much figure data it sends.

The page runs under Streamlit's AppTest in this process, wrapped so the time spent executing the
page script itself is recorded ("script"); "AppTest" is the whole rerun as AppTest sees it,
including its own message handling. Cases: a rerun with empty caches (four runs × 1,000 steps,
contour grid included), a one-slider change (one run recomputed) and a rerun with nothing
changed; a trivial one-line page is the baseline. Prints medians over repeats.
Run: python benchmarks/playground.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.runs import clear_caches  # noqa: E402

PAGE = ROOT / "app_pages" / "playground.py"
REPEATS = 9
TIMINGS = types.ModuleType("playground_script_timings")
TIMINGS.samples = []

WRAPPER = """
import sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
try:
    exec(compile(open({page!r}).read(), {page!r}, "exec"), {{"__name__": "__main__"}})
finally:
    sys.modules["playground_script_timings"].samples.append(time.perf_counter() - start)
"""


def wrapped(page: Path) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(WRAPPER.format(root=str(ROOT), page=str(page)))
    return script.name


def measure(at: AppTest, change=None) -> tuple[float, float]:
    """(script seconds, AppTest seconds) for one rerun, after applying ``change``."""
    if change is not None:
        change(at)
    start = time.perf_counter()
    at.run()
    whole = time.perf_counter() - start
    assert not at.exception, at.exception
    return TIMINGS.samples[-1], whole


def main() -> None:
    sys.modules[TIMINGS.__name__] = TIMINGS
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as trivial:
        trivial.write("import streamlit as st\nst.write('hello')\n")
    baseline_app = AppTest.from_file(wrapped(Path(trivial.name)), default_timeout=60)
    baseline_app.run()
    baseline = [measure(baseline_app) for _ in range(REPEATS)]

    at = AppTest.from_file(wrapped(PAGE), default_timeout=120)
    at.run()  # imports and first-run set-up are not what a user waits for on a rerun
    cases = {"rerun with empty caches (4 runs × 1,000 steps)": ([], 150),
             "one-slider change (one run recomputed)": ([], 60),
             "rerun, nothing changed": ([], None)}
    (full, _), (one_slider, _), (unchanged, _) = cases.values()
    for repeat in range(REPEATS):
        st.cache_data.clear()
        clear_caches()
        full.append(measure(at))
        unchanged.append(measure(at))
        at.session_state["run2_open"] = True  # the user opens Adam's settings (not timed), then moves α
        at.run()
        one_slider.append(measure(at, lambda app, r=repeat: app.select_slider(key="run2_adam_lr").set_value(
            0.02 if r % 2 else 0.03)))
    payload = len(at.get("plotly_chart")[0].proto.spec)

    def ms(samples, which):
        return 1e3 * statistics.median(sample[which] for sample in samples)

    print(f"median of {REPEATS}; script = the page's own execution, AppTest = the whole rerun")
    print(f"{'trivial page (baseline)':50s} script {ms(baseline, 0):6.1f} ms   AppTest {ms(baseline, 1):6.1f} ms")
    for name, (samples, target) in cases.items():
        aim = f"   aim: script < {target} ms" if target else ""
        print(f"{name:50s} script {ms(samples, 0):6.1f} ms   AppTest {ms(samples, 1):6.1f} ms{aim}")
    print(f"figure payload: {payload / 1024:.0f} KB (aim < 600 KB)")


if __name__ == "__main__":
    main()
