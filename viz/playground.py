"""The Playground's main figure: paths over contours beside the loss curves, with a replay.

The replay is Plotly frames over the static contour: each frame moves only the growing
paths, the run markers and a marker on each loss curve (``redraw=False``), so Play
animates in the browser without a Streamlit rerun per frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .contour import Grid, click_grid_trace, contour_axes, contour_trace, head_trace, markers, path_trace
from .figure import Spec, SpecFigure, typed
from .paths import RunPath, frame_steps, sample_indices

FRAMES = 40
FRAME_POINTS = 60
TINY = 1e-16
LOSS = {"xaxis": "x2", "yaxis": "y2"}


def loss_gap(run: RunPath, minimum_value: float | None) -> np.ndarray:
    """What the loss plot shows: f − f* on a log axis where f* is known, else f itself."""
    if minimum_value is None:
        return run.loss
    with np.errstate(invalid="ignore"):
        return np.maximum(run.loss - minimum_value, TINY)


def _loss_marker(run: RunPath, y: np.ndarray, step: int) -> Spec:
    k = min(step, run.last_finite)
    return {"type": "scatter", "x": [k], "y": [float(y[k])], "mode": "markers", "legendgroup": run.label,
            "showlegend": False, "marker": {"size": 9, "color": run.color, "symbol": run.symbol,
                                            "line": {"width": 1, "color": "white"}},
            "hovertemplate": run.label + " step %{x}: %{y:.3g}<extra></extra>", **LOSS}


def _loss_curve(run: RunPath, y: np.ndarray) -> Spec:
    return {"type": "scatter", "x": typed(np.arange(len(y)), np.int32), "y": typed(y), "mode": "lines",
            "line": {"color": run.color, "width": 2, "dash": run.dash}, "legendgroup": run.label,
            "showlegend": False, "hovertemplate": run.label + " step %{x}: %{y:.3g}<extra></extra>", **LOSS}


def _growing_path(run: RunPath, step: int, last: bool) -> Spec:
    points = run.path if last else run.path[sample_indices(step, FRAME_POINTS)]
    return {"type": "scatter", "x": typed(points[:, 0]), "y": typed(points[:, 1])}


def _moving(trace: Spec) -> Spec:
    """Only what a frame changes: plotly.js keeps every other attribute of the trace."""
    return {key: trace[key] for key in ("type", "x", "y", "marker", "hovertemplate") if key in trace}


@dataclass(frozen=True)
class RunLayers:
    """Everything one run adds to the figure: its static traces and its part of every frame.

    Built per run so that a caller can cache it per run: changing one run rebuilds one run's layers.
    """

    loss_curve: Spec
    path: Spec
    head: Spec
    loss_marker: Spec
    frames: tuple[tuple[Spec, Spec, Spec], ...]


def run_layers(run: RunPath, minimum_value: float | None, steps: int) -> RunLayers:
    y = loss_gap(run, minimum_value)
    shown = frame_steps(steps, FRAMES)
    frames = tuple((_moving(_growing_path(run, k, k == shown[-1])), _moving(head_trace(run, k)),
                    _moving(_loss_marker(run, y, k))) for k in shown)
    return RunLayers(_loss_curve(run, y), path_trace(run), head_trace(run, steps), _loss_marker(run, y, steps),
                     frames)


def playground_figure(landscape, g: Grid, layers: Sequence[RunLayers], start, steps: int,
                      height: int = 560) -> SpecFigure:
    """Contour with paths (left), loss against step (right), Play/Pause and a step slider."""
    minimum_value = landscape.minimum_value
    data = [contour_trace(g), click_grid_trace(landscape.bounds), *markers(landscape, start)]
    data += [layer.loss_curve for layer in layers]
    animated = []
    for layer in layers:
        animated += [len(data), len(data) + 1, len(data) + 2]
        data += [layer.path, layer.head, layer.loss_marker]
    shown = frame_steps(steps, FRAMES)
    frames = [{"name": str(k), "traces": animated,
               "data": [trace for layer in layers for trace in layer.frames[index]]}
              for index, k in enumerate(shown)]
    return SpecFigure({"data": data, "layout": _layout(landscape, minimum_value, steps, shown, height),
                       "frames": frames})


def _layout(landscape, minimum_value, steps, shown, height) -> Spec:
    play = {"frame": {"duration": 60, "redraw": False}, "transition": {"duration": 0}}
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    loss_title = "f(θ) − f*" if minimum_value is not None else "f(θ)"
    loss_axis = {"title": {"text": loss_title}, "anchor": "x2"}
    if minimum_value is not None:
        loss_axis.update(type="log", dtick=1, exponentformat="power")
    return {
        "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 60}, "hovermode": "closest",
        "dragmode": "pan", "plot_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **contour_axes(landscape.bounds, domain=(0.0, 0.54)),
        "xaxis2": {"domain": [0.63, 1.0], "range": [0, steps], "title": {"text": "step"}, "anchor": "y2"},
        "yaxis2": loss_axis,
        "updatemenus": [{
            "type": "buttons", "direction": "left", "x": 0.0, "y": -0.17, "xanchor": "left", "yanchor": "top",
            "pad": {"r": 8, "t": 0}, "showactive": False,
            "buttons": [{"label": "Play", "method": "animate", "args": [None, play]},
                        {"label": "Pause", "method": "animate", "args": [[None], still]}],
        }],
        "sliders": [{
            "active": len(shown) - 1, "x": 0.16, "len": 0.84, "y": -0.15, "yanchor": "top", "pad": {"t": 0},
            "currentvalue": {"prefix": "step ", "visible": True, "xanchor": "right", "font": {"color": "#444"}},
            "ticklen": 0, "font": {"color": "rgba(0,0,0,0)"},
            "steps": [{"label": str(k), "method": "animate", "args": [[str(k)], still]} for k in shown],
        }],
    }
