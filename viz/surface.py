"""A 3D surface of the landscape, coloured by height, with every path lying just above it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .contour import Grid
from .figure import SpecFigure, typed
from .paths import RunPath, sample_indices
from .playground import shown_path

# Light valleys to darker heights: the runs' Okabe–Ito colours stay readable on every part of it.
HEIGHT_SCALE = [[0.0, "#f7fbff"], [0.35, "#d6e6f4"], [0.7, "#9ecae1"], [1.0, "#6a8caf"]]
LIFT = 0.015  # of the surface's height range: enough to keep a path above the mesh it crosses
# From high above one corner: the valley floor, where the paths run, is in sight on every landscape here.
CAMERA = {"eye": {"x": 0.9, "y": -1.5, "z": 1.7}, "center": {"x": 0, "y": 0, "z": -0.2}}


def lifted_path(landscape, g: Grid, run: RunPath, spread: float) -> np.ndarray:
    """The run's drawn path as (n, 3) points on the surface (height on the grid's scale), a little above it."""
    points, _ = shown_path(run, landscape.bounds)
    xy = points[sample_indices(len(points) - 1, 1500)]
    with np.errstate(all="ignore"):
        z = g.transform(landscape.f(xy)) + LIFT * spread
    return np.column_stack([xy, z])


def surface_figure(landscape, g: Grid, runs: Sequence[RunPath], height: int = 560) -> SpecFigure:
    """The surface (log-compressed where the contours are) with each path drawn on it, seen across the valley."""
    spread = float(np.nanmax(g.z) - np.nanmin(g.z)) or 1.0
    data = [{"type": "surface", "x": typed(g.x), "y": typed(g.y), "z": typed(g.z), "colorscale": HEIGHT_SCALE,
             "showscale": True, "colorbar": {"title": {"text": g.label}, "thickness": 12, "len": 0.7},
             "opacity": 0.95, "name": "landscape",
             "contours": {"z": {"show": True, "usecolormap": False, "color": "rgba(60,60,60,0.35)", "width": 1}},
             "hovertemplate": "x=%{x:.3f}<br>y=%{y:.3f}<br>" + g.label + "=%{z:.3g}<extra></extra>"}]
    for run in runs:
        points = lifted_path(landscape, g, run, spread)
        data.append({"type": "scatter3d", "x": typed(points[:, 0]), "y": typed(points[:, 1]),
                     "z": typed(points[:, 2]), "mode": "lines", "name": run.label,
                     "line": {"color": run.color, "width": 6, "dash": run.dash}})
        end = points[-1]
        data.append({"type": "scatter3d", "x": [float(end[0])], "y": [float(end[1])], "z": [float(end[2])],
                     "mode": "markers", "showlegend": False, "legendgroup": run.label,
                     "marker": {"color": run.color, "size": 5, "symbol": "x" if run.diverged_at >= 0 else "circle"},
                     "hovertemplate": run.label + "<extra></extra>"})
    layout = {"height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
              "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
              "scene": {"xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}},
                        "zaxis": {"title": {"text": g.label}}, "aspectmode": "manual",
                        "aspectratio": {"x": 1, "y": 1, "z": 0.6}, "camera": CAMERA}}
    return SpecFigure({"data": data, "layout": layout})
