"""Reading the Playground's figure back out of an AppTest run."""

import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from viz.figure import decode

APP = str(Path(__file__).resolve().parents[2] / "app_pages" / "playground.py")


def run_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def figure(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def paths(at: AppTest) -> dict[str, np.ndarray]:
    """Each run's plotted path, by legend label: the line traces on the contour axes."""
    spec = figure(at)
    return {trace["name"]: np.stack([decode(trace["x"]), decode(trace["y"])], axis=-1)
            for trace in spec["data"]
            if trace.get("mode") == "lines" and "xaxis" not in trace and trace.get("showlegend", True)}


def heads(at: AppTest) -> list[dict]:
    """The end-of-run markers (a ✕ where the run diverged)."""
    return [t for t in figure(at)["data"] if t.get("mode") == "markers" and t.get("legendgroup")
            and "xaxis" not in t]


def url(at: AppTest, key: str) -> list[str]:
    """All values of a query parameter the page wrote into the URL."""
    value = at.query_params[key]
    return list(value) if isinstance(value, list | tuple) else [value]


def open_editor(at: AppTest, slot: int) -> AppTest:
    """Open run ``slot``'s expander, as a click on it would: its widgets are drawn only while it is open."""
    at.session_state[f"run{slot}_open"] = True
    return at.run()
