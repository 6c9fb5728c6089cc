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
            if trace.get("mode") == "lines+markers" and "xaxis" not in trace and trace.get("showlegend", True)}


def heads(at: AppTest) -> dict[str, dict]:
    """Each run's end-of-run marker by label: symbol, position (a ✕ where the run diverged)."""
    trace = next(t for t in figure(at)["data"] if t.get("hovertemplate") == "%{text}<extra></extra>")
    return {label: {"symbol": trace["marker"]["symbol"][i], "x": trace["x"][i], "y": trace["y"][i]}
            for i, label in enumerate(trace["text"])}


def assert_drawn_from(plotted: np.ndarray, path: np.ndarray) -> None:
    """The plotted line is the path simplified: its ends, and every point one of the path's (float32)."""
    np.testing.assert_allclose(plotted[[0, -1]], path[[0, -1]], rtol=1e-6, atol=1e-6)
    nearest = np.min(np.linalg.norm(plotted[:, None, :] - path[None, :, :], axis=-1), axis=1)
    assert nearest.max() < 1e-5 and len(plotted) <= len(path)


def url(at: AppTest, key: str) -> list[str]:
    """All values of a query parameter the page wrote into the URL."""
    value = at.query_params[key]
    return list(value) if isinstance(value, list | tuple) else [value]


def open_editor(at: AppTest, slot: int) -> AppTest:
    """Open run ``slot``'s expander, as a click on it would: its widgets are drawn only while it is open."""
    at.session_state[f"run{slot}_open"] = True
    return at.run()
