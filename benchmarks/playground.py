"""How long the Playground's script takes, and how much figure data it sends.

Measured with Streamlit's AppTest in this process: a rerun with empty caches (four runs
× 1,000 steps, contour grid included), a one-slider change (one run recomputed), a rerun with
nothing changed, and reruns of a trivial one-line page as the baseline for AppTest's own overhead.
Prints medians over repeats. Run: python benchmarks/playground.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REPEATS = 7


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_ms(samples: list[float]) -> float:
    return 1e3 * statistics.median(samples)


def main() -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as trivial:
        trivial.write("import streamlit as st\nst.write('hello')\n")
    trivial_app = AppTest.from_file(trivial.name, default_timeout=60)
    trivial_app.run()
    baseline = [timed(trivial_app.run) for _ in range(REPEATS)]

    full, unchanged, one_slider = [], [], []
    payload = 0
    at = AppTest.from_file(str(ROOT / "app_pages" / "playground.py"), default_timeout=120)
    at.run()  # imports and first-run set-up are not what a user waits for on a rerun
    for repeat in range(REPEATS):
        st.cache_data.clear()
        full.append(timed(at.run))
        payload = len(at.get("plotly_chart")[0].proto.spec)
        unchanged.append(timed(at.run))
        lr = at.select_slider(key="run2_adam_lr")
        lr.set_value(0.02 if repeat % 2 else 0.03)
        one_slider.append(timed(at.run))
        assert not at.exception, at.exception

    base = median_ms(baseline)
    print(f"AppTest baseline (trivial page rerun): {base:7.1f} ms")
    for name, samples, target in (("full rerun, empty caches (4 runs × 1,000 steps)", full, 150),
                                  ("one-slider change (one run recomputed)", one_slider, 60),
                                  ("rerun, nothing changed", unchanged, None)):
        ms = median_ms(samples)
        aim = f"  (aim < {target} ms of script time)" if target else ""
        print(f"{name:50s} {ms:7.1f} ms median, {ms - base:7.1f} ms above baseline{aim}")
    print(f"figure payload: {payload / 1024:.0f} KB (aim < 600 KB)")


if __name__ == "__main__":
    main()
