"""Sweeps cached on their requests (plain values), with a progress bar while one is computed.

A cached function's body only runs on a miss, so the progress callback is passed as an
``_progress`` argument (leading underscore: not part of the cache key) and the bar appears on its
first report: a cache hit shows none. Small sweeps never show one.
"""

from __future__ import annotations

import contextvars
import math
import time

import streamlit as st

from optimizers.sweeps import RobustnessCurves, SweepMap

from .presentation import PRESENT
from .sweeps_view import CurvesRequest, MapRequest, compute_curves, compute_map

# Runs × steps above which a sweep takes about half a second or more on a 2-core machine
# (a 100×100 Adam map of 1,000 steps, 10⁷ run-steps, takes 1.3 s of CPU there).
PROGRESS_WORK = 2_000_000
# Each move of the bar is a message through the server to the browser: at every percent, a 50×50
# map's 100 updates cost the server about as much CPU as the map itself (benchmarks/load.py).
PROGRESS_EVERY_S = 0.1


class ProgressBar:
    """An ``st.progress`` in ``slot`` that appears on the first report and moves by whole percents,
    at most every PROGRESS_EVERY_S."""

    def __init__(self, slot, runs: int, steps: int):
        self.slot, self.runs, self.steps = slot, runs, steps
        self.percent, self.bar, self.began, self.shown_at = -1, None, time.perf_counter(), -math.inf
        # st.cache_data records every element drawn while its function runs, to replay it on a hit
        # (where this bar's slot no longer exists). Drawing in the caller's context keeps the bar
        # out of that record: the recording is switched on through a context variable.
        self.context = contextvars.copy_context()

    def __call__(self, fraction: float) -> None:
        self.context.run(self._show, fraction)

    def _show(self, fraction: float) -> None:
        percent, now = int(100 * fraction), time.perf_counter()
        if percent > self.percent and now - self.shown_at >= PROGRESS_EVERY_S:
            self.percent, self.shown_at = percent, now
            text = f"Running {self.runs:,} runs × {self.steps:,} steps…"
            if self.bar is None:
                self.bar = self.slot.progress(percent, text=text)
            else:
                self.bar.progress(percent, text=text)

    def finish(self) -> None:
        """Leave the full bar with what was computed and how long it took (presenting, its room goes to the figure)."""
        if self.bar is not None and st.session_state.get(PRESENT):
            self.slot.empty()
        elif self.bar is not None:
            seconds = time.perf_counter() - self.began
            self.bar.progress(100, text=f"Ran {self.runs:,} runs × {self.steps:,} steps in {seconds:.1f} s")


@st.cache_data(max_entries=12, show_spinner=False)
def _cached_map(request: MapRequest, _progress=None) -> SweepMap:
    return compute_map(request, _progress)


@st.cache_data(max_entries=12, show_spinner=False)
def _cached_curves(request: CurvesRequest, _progress=None) -> RobustnessCurves:
    return compute_curves(request, _progress)


def _with_progress(cached, request, runs: int, steps: int, slot):
    bar = ProgressBar(slot, runs, steps) if runs * steps >= PROGRESS_WORK else None
    result = cached(request, bar)
    if bar is not None:
        bar.finish()
    return result


def sweep_map(request: MapRequest, slot) -> SweepMap:
    """The map for ``request``, from the cache or computed with a progress bar in ``slot``."""
    return _with_progress(_cached_map, request, request.cells, request.steps, slot)


def robustness_curves(request: CurvesRequest, slot) -> RobustnessCurves:
    """The curves for ``request``, from the cache or computed with a progress bar in ``slot``."""
    return _with_progress(_cached_curves, request, request.runs, request.steps, slot)
