"""Figures restyled for a projector: text at least 18 px and data lines at least 3 px wide.

``enlarge`` works on any figure spec the pages build, so presentation mode is one call where a
figure is drawn rather than an option threaded through every builder. It returns a new spec and
leaves the (possibly cached) original alone.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .figure import Spec, SpecFigure

MIN_TEXT = 18
MIN_LINE = 3.0
# Characters per line of a title or a note at that size: about a third of a 1280 px screen.
TITLE_WIDTH = 30
NOTE_WIDTH = 48
_AXIS_PREFIXES = ("xaxis", "yaxis")


def _at_least(font: dict | None, size: float) -> dict:
    font = dict(font or {})
    font["size"] = max(float(font.get("size") or 0), size)
    return font


def _tick_size(axis: dict) -> float:
    """Plotly draws exponents (10⁻²) and a log axis' in-between labels (2, 5) at 3/4 of the tick font."""
    small_parts = axis.get("exponentformat") == "power" or axis.get("type") == "log"
    return MIN_TEXT * (4 / 3 if small_parts else 1)


def _axis(axis: dict) -> dict:
    axis = dict(axis)
    axis["tickfont"] = _at_least(axis.get("tickfont"), _tick_size(axis))
    title = axis.get("title")
    if isinstance(title, str):
        title = {"text": title}
    if isinstance(title, dict):
        axis["title"] = {**title, "font": _at_least(title.get("font"), MIN_TEXT)}
    return axis


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of about ``width`` characters at spaces (Plotly never wraps by itself).

    Text that already has its line breaks is left as its author broke it.
    """
    if "<br>" in text:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(re.sub(r"<[^>]+>", "", line + " " + word)) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])


def _trace(trace: dict) -> dict:
    trace = dict(trace)
    if trace.get("type", "scatter") == "scatter" and "lines" in trace.get("mode", "lines"):
        line = dict(trace.get("line") or {})
        if line.get("width", 2) != 0:
            line["width"] = max(float(line.get("width", 2)), MIN_LINE)
        trace["line"] = line
    if "colorbar" in trace:
        colorbar = dict(trace["colorbar"])
        colorbar["tickfont"] = _at_least(colorbar.get("tickfont"), _tick_size(colorbar))
        if isinstance(colorbar.get("title"), dict):
            colorbar["title"] = {**colorbar["title"], "font": _at_least(colorbar["title"].get("font"), MIN_TEXT)}
        trace["colorbar"] = colorbar
    if "textfont" in trace:
        trace["textfont"] = _at_least(trace["textfont"], MIN_TEXT)
    return trace


def enlarge_spec(spec: Spec) -> Spec:
    """``spec`` with every text at least MIN_TEXT px and every data line at least MIN_LINE px."""
    layout: dict[str, Any] = copy.deepcopy(spec.get("layout", {}))
    layout["font"] = _at_least(layout.get("font"), MIN_TEXT)
    for name in list(layout):
        if name.startswith(_AXIS_PREFIXES):
            layout[name] = _axis(layout[name])
    for name in ("legend", "hoverlabel"):
        part = dict(layout.get(name) or {})
        part["font"] = _at_least(part.get("font"), MIN_TEXT)
        layout[name] = part
    if isinstance(layout.get("title"), str):
        layout["title"] = {"text": layout["title"]}
    if isinstance(layout.get("title"), dict):
        title = layout["title"]
        title["font"] = _at_least(title.get("font"), MIN_TEXT)
        title["text"] = wrap(title.get("text", ""), TITLE_WIDTH)
        lines = title["text"].count("<br>") + 1
        margin = layout.get("margin", {})
        layout["margin"] = {**margin, "t": max(margin.get("t", 30), 12 + 24 * lines)}
    for annotation in layout.get("annotations", []):
        annotation["font"] = _at_least(annotation.get("font"), MIN_TEXT)
        annotation["text"] = wrap(annotation.get("text", ""), NOTE_WIDTH)
    return {**spec, "data": [_trace(trace) for trace in spec.get("data", [])], "layout": layout}


def enlarge(figure: SpecFigure | Spec) -> SpecFigure:
    """``figure`` (a SpecFigure or a spec dict) restyled for presentation mode."""
    spec = figure.spec if isinstance(figure, SpecFigure) else figure
    return SpecFigure(enlarge_spec(spec))
