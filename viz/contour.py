"""Contours of a landscape with optimizer paths over them, and the grid they are drawn from.

Every builder returns a plain Plotly trace dict (see ``viz.figure``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .figure import Spec, SpecFigure, typed
from .palette import CONTOUR_SCALE, MINIMUM_COLOR, START_COLOR
from .paths import RunPath

# 20 × 20 invisible points: a click lands within 0.03 view widths of one; plotly.js draws every point
# as an SVG element on every redraw, and 900 of them were a third of the Playground's redraw.
CLICK_GRID = 20


@dataclass(frozen=True)
class Grid:
    """f sampled on a regular grid over the view, ready for a contour trace (float32)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    log: bool
    floor: float = 0.0
    offset: float = 0.0

    @property
    def label(self) -> str:
        return "log₁₀(f − min f)" if self.log else "f"

    def transform(self, f: np.ndarray) -> np.ndarray:
        """Map loss values onto the grid's colour scale (log-compressed like ``z`` where it is)."""
        with np.errstate(all="ignore"):
            return np.log10(f - self.floor + self.offset) if self.log else f


def grid(landscape, resolution: int = 120) -> Grid:
    """Sample ``landscape`` on ``resolution``² points; log-compress where its contours ask for it."""
    (x0, x1), (y0, y1) = landscape.bounds
    x, y = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    with np.errstate(all="ignore"):
        z = landscape.f(np.stack(np.meshgrid(x, y), axis=-1))
    finite = np.isfinite(z)
    if not (landscape.log_contours and finite.any()):
        return Grid(x.astype(np.float32), y.astype(np.float32), z.astype(np.float32), log=False)
    floor = float(np.min(z[finite]))
    offset = 1e-6 * (float(np.ptp(z[finite])) or 1.0)
    g = Grid(x.astype(np.float32), y.astype(np.float32), z, log=True, floor=floor, offset=offset)
    return Grid(g.x, g.y, g.transform(z).astype(np.float32), log=True, floor=floor, offset=offset)


def contour_trace(g: Grid, showscale: bool = False, opacity: float = 1.0, **axes) -> Spec:
    return {
        "type": "contour", "x": typed(g.x), "y": typed(g.y), "z": typed(g.z), "colorscale": CONTOUR_SCALE,
        "ncontours": 30, "opacity": opacity, "name": "landscape", "showscale": showscale,
        "contours": {"coloring": "fill", "showlines": True}, "line": {"width": 0.5, "color": "rgba(255,255,255,0.35)"},
        "colorbar": {"title": {"text": g.label}, "thickness": 12},
        "hovertemplate": "x=%{x:.3f}<br>y=%{y:.3f}<br>" + g.label + "=%{z:.3g}<extra></extra>", **axes,
    }


def click_grid_trace(bounds, **axes) -> Spec:
    """Invisible points over the view: plotly.js selects points, never contour cells, on a click."""
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, CLICK_GRID), np.linspace(y0, y1, CLICK_GRID))
    return {
        "type": "scatter", "x": typed(xs.ravel()), "y": typed(ys.ravel()), "mode": "markers",
        "marker": {"size": 10, "color": "rgba(0,0,0,0)"}, "name": "click to start here", "showlegend": False,
        "hovertemplate": "click to start here<br>(%{x:.2f}, %{y:.2f})<extra></extra>", **axes,
    }


def path_trace(run: RunPath, points: np.ndarray | None = None, showlegend: bool = True, width: float = 2.2,
               **axes) -> Spec:
    path = run.path if points is None else points
    return {
        "type": "scatter", "x": typed(path[:, 0]), "y": typed(path[:, 1]), "mode": "lines",
        "line": {"color": run.color, "width": width, "dash": run.dash}, "name": run.label, "legendgroup": run.label,
        "showlegend": showlegend, "hovertemplate": run.label + "<br>(%{x:.3f}, %{y:.3f})<extra></extra>", **axes,
    }


def head_trace(run: RunPath, step: int, **axes) -> Spec:
    """A marker where the run is at ``step``; a ✕ where it diverged."""
    diverged = 0 <= run.diverged_at <= step
    point = run.head(step)
    marker = ({"symbol": "x-thin-open", "size": 16, "color": run.color, "line": {"width": 3, "color": run.color}}
              if diverged else
              {"symbol": run.symbol, "size": 10, "color": run.color, "line": {"width": 1, "color": "white"}})
    text = f"{run.label} diverged at step {run.diverged_at}" if diverged else f"{run.label} at step {step}"
    return {"type": "scatter", "x": [float(point[0])], "y": [float(point[1])], "mode": "markers",
            "legendgroup": run.label, "showlegend": False, "marker": marker,
            "hovertemplate": text + "<extra></extra>", **axes}


def markers(landscape, start, **axes) -> list[Spec]:
    """The start (black ring) and the global minima (gold stars)."""
    traces = [{"type": "scatter", "x": [float(start[0])], "y": [float(start[1])], "mode": "markers", "name": "start",
               "marker": {"symbol": "circle-open", "size": 14, "color": START_COLOR, "line": {"width": 3}},
               "hovertemplate": "start (%{x:.3f}, %{y:.3f})<extra></extra>", **axes}]
    if landscape.minima:
        xs, ys = zip(*landscape.minima, strict=True)
        traces.append({"type": "scatter", "x": list(xs), "y": list(ys), "mode": "markers", "name": "minimum",
                       "marker": {"symbol": "star", "size": 15, "color": MINIMUM_COLOR,
                                  "line": {"width": 1, "color": "black"}},
                       "hovertemplate": "minimum (%{x:.3f}, %{y:.3f})<extra></extra>", **axes})
    return traces


def contour_axes(bounds, suffix: str = "", domain: tuple[float, float] = (0.0, 1.0)) -> Spec:
    """Layout entries for a contour's x and y axes (``suffix`` "2" gives xaxis2/yaxis2)."""
    (x0, x1), (y0, y1) = bounds
    return {f"xaxis{suffix}": {"range": [x0, x1], "title": {"text": "x"}, "domain": list(domain),
                               "showgrid": False, "zeroline": False},
            f"yaxis{suffix}": {"range": [y0, y1], "title": {"text": "y"}, "showgrid": False, "zeroline": False}}


def contour_figure(landscape, g: Grid, runs: Sequence[RunPath], start, height: int = 460) -> SpecFigure:
    """A standalone contour with every run's path, its end (or ✕), the start and the minima."""
    data = [contour_trace(g)]
    for run in runs:
        data += [path_trace(run), head_trace(run, len(run.path) - 1)]
    data += markers(landscape, start)
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}, **contour_axes(landscape.bounds)}
    return SpecFigure({"data": data, "layout": layout})
