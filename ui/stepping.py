"""Play for any step slider: the step advances by itself at a chosen speed until the last step.

A page keeps its step in the session under ``step_key`` (the slider's key) and calls ``play``
before drawing that slider; the Play switch and the speed are keyed ``<prefix>_playing`` and
``<prefix>_speed`` (the speed is in the URL, Play is not: a link opens paused).
"""

from __future__ import annotations

import time

import streamlit as st

from .controls import fmt
from .share import BIND

SPEEDS = (0.5, 1.0, 2.0, 4.0)


def _advance(step_key: str, tick_key: str, last: int, interval: float) -> None:
    """One tick of Play: the next step and a rerun of the page.

    The fragment also runs inside every full rerun, right after the tick that caused it, so a tick
    only counts once ``interval`` has passed since the last one.
    """
    now = time.monotonic()
    if now - st.session_state.get(tick_key, 0.0) < 0.9 * interval:
        return
    st.session_state[tick_key] = now
    if st.session_state[step_key] < last:
        st.session_state[step_key] += 1
        st.rerun()


def play(prefix: str, step_key: str, last: int, play_column, speed_column) -> None:
    """The Play switch and its speed (steps per second) in the given columns; the last step turns Play off."""
    playing_key = f"{prefix}_playing"
    if st.session_state.get(step_key, 1) >= last:
        st.session_state[playing_key] = False
    playing = play_column.toggle("Play", key=playing_key)
    rate = speed_column.select_slider("steps/s", SPEEDS, value=1.0, key=f"{prefix}_speed", format_func=fmt,
                                      bind=BIND)
    if playing:
        st.fragment(_advance, run_every=1.0 / rate)(step_key, f"{prefix}_last_tick", last, 1.0 / rate)
