"""A 3D surface of the landscape, coloured by height, with every path lying just above it and a replay.

The replay moves one marker per run along its lifted path. A 3D scene redraws in full on every
frame (plotly.js cannot transition gl3d traces), so it has fewer, slower frames than the 2D one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .contour import Grid
from .figure import Spec, SpecFigure, typed
from .paths import RunPath, sample_indices
from .playground import replay_steps, shown_path

# Light valleys to darker heights: the runs' Okabe–Ito colours stay readable on every part of it.
HEIGHT_SCALE = [[0.0, "#f7fbff"], [0.35, "#d6e6f4"], [0.7, "#9ecae1"], [1.0, "#6a8caf"]]
LIFT = 0.015  # of the surface's height range: enough to keep a path above the mesh it crosses
# From high above one corner: the valley floor, where the paths run, is in sight on every landscape here.
CAMERA = {"eye": {"x": 0.65, "y": -1.1, "z": 1.15}, "center": {"x": 0, "y": 0, "z": -0.15}}
REPLAY_FRAMES = 100
FRAME_MS = 80  # at 1×: 100 frames in 8 s, as long as the 2D replay
SPEEDS = (1, 4)


def _on_surface(landscape, g: Grid, xy: np.ndarray, spread: float) -> np.ndarray:
    """(n, 3) points: ``xy`` with their height on the grid's scale, lifted a little above the mesh."""
    with np.errstate(all="ignore"):
        z = g.transform(landscape.f(xy)) + LIFT * spread
    return np.column_stack([xy, z])


def lifted_path(landscape, g: Grid, run: RunPath, spread: float) -> np.ndarray:
    """The run's drawn path as (n, 3) points on the surface (height on the grid's scale), a little above it."""
    points, _ = shown_path(run, landscape.bounds)
    return _on_surface(landscape, g, points[sample_indices(len(points) - 1, 1500)], spread)


def replay_positions(landscape, g: Grid, run: RunPath, spread: float, replayed: np.ndarray) -> np.ndarray:
    """(len(replayed), 3): where the run's marker is at each replayed step; past the view's edge it
    waits where the drawn path ends, as in the 2D replay."""
    points, _ = shown_path(run, landscape.bounds)
    return _on_surface(landscape, g, points[np.minimum(replayed, len(points) - 1)], spread)


def _heads(runs: Sequence[RunPath], positions: Sequence[np.ndarray], replayed: np.ndarray, frame: int) -> Spec:
    """Every run's marker at ``frame``: a ✕ once the run has diverged."""
    crossed = [0 <= run.diverged_at <= replayed[frame] for run in runs]
    x, y, z = ([float(v) if np.isfinite(v) else None for v in values] for values in np.array(positions)[:, frame].T)
    return {"x": x, "y": y, "z": z,
            "marker": {"color": [run.color for run in runs], "size": 6,
                       "symbol": ["x" if c else "circle" for c in crossed], "line": {"width": 1, "color": "white"}}}


def _replay_controls(replayed: np.ndarray) -> Spec:
    still = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}
    buttons = [{"label": f"▶ {speed:g}×", "method": "animate",
                "args": [None, {"frame": {"duration": FRAME_MS / speed, "redraw": True}, "transition": {"duration": 0},
                                "fromcurrent": True, "mode": "immediate"}]} for speed in SPEEDS]
    buttons.append({"label": "❚❚", "method": "animate", "args": [[None], still]})
    positions = replayed[:: max(len(replayed) // 25, 1)]
    return {
        "updatemenus": [{"type": "buttons", "direction": "left", "x": 0.0, "y": 0.0, "xanchor": "left",
                         "yanchor": "top", "pad": {"r": 4, "t": 0}, "showactive": False, "buttons": buttons}],
        "sliders": [{"active": len(positions) - 1, "x": 0.3, "len": 0.7, "y": 0.0, "yanchor": "top", "pad": {"t": 0},
                     "currentvalue": {"prefix": "step ", "visible": True, "xanchor": "right"},
                     "ticklen": 0, "font": {"color": "rgba(0,0,0,0)"},
                     "steps": [{"label": str(k), "method": "animate", "args": [[str(k)], still]} for k in positions]}],
    }


def surface_figure(landscape, g: Grid, runs: Sequence[RunPath], height: int = 600) -> SpecFigure:
    """The surface (log-compressed where the contours are) with each path drawn on it, seen across the
    valley, and ▶ moving every run's marker along its path."""
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
    steps = max((len(run.path) - 1 for run in runs), default=0)
    replayed = replay_steps(steps, REPLAY_FRAMES)
    positions = [replay_positions(landscape, g, run, spread, replayed) for run in runs]
    last = len(replayed) - 1
    data.append({"type": "scatter3d", "mode": "markers", "showlegend": False, "name": "runs",
                 "text": [run.label for run in runs], "hovertemplate": "%{text}<extra></extra>",
                 **_heads(runs, positions, replayed, last)})
    frames = [{"name": str(step), "traces": [len(data) - 1], "data": [_heads(runs, positions, replayed, index)]}
              for index, step in enumerate(replayed)]
    layout = {"height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 60},
              "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
              "scene": {"xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}},
                        "zaxis": {"title": {"text": g.label}}, "aspectmode": "manual",
                        "aspectratio": {"x": 1, "y": 1, "z": 0.6}, "camera": CAMERA,
                        "uirevision": "surface"},
              **_replay_controls(replayed)}
    return SpecFigure({"data": data, "layout": layout, "frames": frames})
