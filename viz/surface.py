"""A 3D surface of the landscape with the paths lying on it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .contour import Grid
from .figure import SpecFigure, typed
from .palette import CONTOUR_SCALE
from .paths import RunPath, sample_indices


def surface_figure(landscape, g: Grid, runs: Sequence[RunPath], height: int = 520) -> SpecFigure:
    """The surface (log-compressed where the contours are) with each path drawn just above it."""
    data = [{"type": "surface", "x": typed(g.x), "y": typed(g.y), "z": typed(g.z), "colorscale": CONTOUR_SCALE,
             "showscale": False, "opacity": 0.9, "name": "landscape",
             "hovertemplate": "f=%{z:.3g}<extra></extra>"}]
    spread = float(np.nanmax(g.z) - np.nanmin(g.z)) or 1.0
    for run in runs:
        xy = run.path[sample_indices(run.last_finite, 1500)]
        z = g.transform(landscape.f(xy)) + 0.01 * spread
        data.append({"type": "scatter3d", "x": typed(xy[:, 0]), "y": typed(xy[:, 1]), "z": typed(z),
                     "mode": "lines", "line": {"color": run.color, "width": 6}, "name": run.label})
    layout = {"height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0}, "legend": {"orientation": "h"},
              "scene": {"xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}},
                        "zaxis": {"title": {"text": g.label}}, "aspectmode": "manual",
                        "aspectratio": {"x": 1, "y": 1, "z": 0.6}}}
    return SpecFigure({"data": data, "layout": layout})
