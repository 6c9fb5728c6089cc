"""The Playground's main figure: paths over the landscape beside the loss curves, with a replay.

What one slider change costs the browser is what this module is shaped by (benchmarks/browser.py):

- the landscape is a picture behind the axes (``viz.backdrop``), referred to by URL, so it is not
  in the figure and never re-traced;
- paths and loss curves keep only the points the eye can tell apart (``viz.paths.simplify``);
- the replay moves one marker per run along the drawn paths: each frame is two small traces (every
  run's position and every run's loss marker), so 200 frames cost ~40 kB and Play never touches the
  landscape or the paths (``redraw=False``), and no Streamlit rerun happens while it plays;
- the step slider has at most 51 positions: plotly.js lays out every position's label on each redraw;
- the margins already hold the legend, buttons and slider, so plotly.js draws the figure once, not twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .contour import click_grid_trace, contour_axes, markers
from .figure import Spec, SpecFigure, corner_title, rounded, typed
from .paths import RunPath, edge_point, exit_step, simplify

REPLAY_FRAMES = 200
SLIDER_POSITIONS = 51
FRAME_MS = 40  # at 1×: 200 frames in 8 s
SPEEDS = (0.5, 1, 2, 4)
# Half a pixel on a ~650 px wide contour, and on a loss axis where a decade is ≥ 30 px.
PATH_TOLERANCE = 1e-3
LOSS_PIXELS = (400.0, 30.0)
TINY = 1e-16
MAX_DECADES = 8
DIVERGED_SYMBOL = "x-thin-open"
LOSS = {"xaxis": "x2", "yaxis": "y2"}
CLICK_TRACE = 0  # the invisible click grid's index among the traces, for reading a click back
# Room for what plotly.js would otherwise add margin for (the y ticks, a legend of two rows, the Play
# buttons and step slider): when its margin pushers need more than the margin, plotly.js draws the
# whole figure a second time. That second drawing was ~25% of the browser's work per slider change.
MARGIN = {"l": 80, "r": 24, "t": 80, "b": 140}


def loss_gap(run: RunPath, minimum_value: float | None) -> np.ndarray:
    """What the loss plot shows: f − f* on a log axis where f* is known, else f itself."""
    if minimum_value is None:
        return run.loss
    with np.errstate(invalid="ignore"):
        return np.maximum(run.loss - minimum_value, TINY)


def replay_steps(steps: int, frames: int = REPLAY_FRAMES) -> np.ndarray:
    """The steps the replay shows: every step up to ``frames`` steps, else evenly spread, 0 to the last."""
    return np.unique(np.linspace(0, steps, min(steps, frames) + 1).round().astype(int))


@dataclass(frozen=True)
class RunLayers:
    """One run's share of the figure: its traces and where its markers are at each replayed step.

    Built per run so that a caller can cache it per run: changing one run rebuilds one run's layers.
    """

    label: str
    color: str
    symbol: str
    path: Spec
    loss_curve: Spec
    crosses: tuple[Spec, ...]  # ✕ where a diverged run left the view, and on its loss curve
    # The markers at each replayed step, rounded for the frames' JSON once per run rather than per figure.
    positions: tuple[list[float | None], list[float | None]]  # (x, y) on the path
    losses: list[float | None]  # on the loss curve
    crossed: np.ndarray  # (replayed steps,) bool: the run has diverged by then
    loss_range: tuple[float, float]  # smallest and largest finite value the loss plot shows
    diverged: bool


def _view_units(points: np.ndarray, bounds) -> np.ndarray:
    (x0, x1), (y0, y1) = bounds
    return (points - [x0, y0]) / [x1 - x0 or 1.0, y1 - y0 or 1.0]


def shown_path(run: RunPath, bounds) -> tuple[np.ndarray, np.ndarray | None]:
    """(the points drawn, where a ✕ goes or None). A diverged run is cut where it first leaves the view,
    at the edge, so its blow-up never stripes the landscape; one that diverged inside the view (a typed
    function's domain left) ends at its last finite point."""
    if run.diverged_at < 0:
        return run.path, None
    finite = run.path[: run.last_finite + 1]
    leaves = exit_step(finite, bounds)
    if leaves is None:
        return finite, finite[-1]
    if leaves == 0:
        return finite[:1], finite[0]
    edge = edge_point(finite[leaves - 1], finite[leaves], bounds)
    return np.vstack([finite[:leaves], edge]), edge


def _path_trace(run: RunPath, points: np.ndarray, bounds) -> Spec:
    kept = points[simplify(_view_units(points, bounds), PATH_TOLERANCE)]
    return {"type": "scatter", "x": typed(kept[:, 0]), "y": typed(kept[:, 1]),
            "mode": "lines+markers", "name": run.label, "legendgroup": run.label,
            "line": {"color": run.color, "width": 2.2, "dash": run.dash},
            "marker": {"symbol": run.symbol, "size": 8, "color": run.color, "maxdisplayed": 8,
                       "line": {"width": 1, "color": "white"}},
            "hovertemplate": run.label + "<br>(%{x:.3f}, %{y:.3f})<extra></extra>"}


def _loss_curve(run: RunPath, y: np.ndarray, log: bool) -> Spec:
    steps = np.arange(run.last_finite + 1)
    values = y[: run.last_finite + 1]
    scale = np.log10(values) if log else (values - np.nanmin(values)) / (np.ptp(values) or 1.0) * 15.0
    pixels = np.stack([steps / max(len(y) - 1, 1) * LOSS_PIXELS[0], scale * LOSS_PIXELS[1]], axis=-1)
    kept = simplify(pixels, 0.5) if np.isfinite(pixels).all() else steps
    return {"type": "scatter", "x": typed(steps[kept], np.int32), "y": typed(values[kept]),
            "mode": "lines", "line": {"color": run.color, "width": 2, "dash": run.dash}, "legendgroup": run.label,
            "showlegend": False, "hovertemplate": run.label + " step %{x}: %{y:.3g}<extra></extra>", **LOSS}


def _cross(run: RunPath, x: float, y: float, text: str, **axes) -> Spec:
    return {"type": "scatter", "x": [x], "y": [y],
            "mode": "markers", "legendgroup": run.label, "showlegend": False, "cliponaxis": False,
            "marker": {"symbol": DIVERGED_SYMBOL, "size": 16, "color": run.color,
                       "line": {"width": 3, "color": run.color}},
            "hovertemplate": f"{run.label} {text}<extra></extra>", **axes}


def run_layers(run: RunPath, minimum_value: float | None, steps: int, bounds, outcome: str = "diverged") -> RunLayers:
    """The run's traces; ``outcome`` names what a divergence was (e.g. "left the function's domain")."""
    y = loss_gap(run, minimum_value)
    points, cross_at = shown_path(run, bounds)
    replayed = replay_steps(steps)
    # The marker follows the drawn path: past the view's edge it waits at the ✕.
    shown = np.minimum(replayed, len(points) - 1)
    crossed = (run.diverged_at >= 0) & (replayed >= min(run.diverged_at, len(points) - 1))
    losses = y[np.minimum(replayed, run.last_finite)]
    finite = y[np.isfinite(y)]
    crosses = ()
    if cross_at is not None:
        text = f"{outcome} at step {run.diverged_at}"
        last = run.last_finite
        crosses = (_cross(run, float(cross_at[0]), float(cross_at[1]), text),
                   _cross(run, float(last), float(y[last]), text, **LOSS))
    return RunLayers(run.label, run.color, run.symbol, _path_trace(run, points, bounds),
                     _loss_curve(run, y, minimum_value is not None), crosses,
                     (rounded(points[shown, 0]), rounded(points[shown, 1])), rounded(losses, 4), crossed,
                     (float(finite.min()), float(finite.max())) if finite.size else (1.0, 1.0), run.diverged_at >= 0)


def loss_axis(layers: Sequence[RunLayers], log: bool) -> Spec:
    """The loss plot's y axis: its range is what the runs that did not diverge need (all runs if every
    one diverged), and a log axis labels at most MAX_DECADES decades."""
    kept = [layer.loss_range for layer in layers if not layer.diverged] or [layer.loss_range for layer in layers]
    low, high = min(r[0] for r in kept), max(r[1] for r in kept)
    if not log:
        pad = 0.05 * ((high - low) or abs(high) or 1.0)
        return {"range": [low - pad, high + pad]}
    bottom, top = math.floor(math.log10(low) + 1e-9), math.ceil(math.log10(high) - 1e-9)
    top = max(top, bottom + 1)
    return {"type": "log", "range": [bottom - 0.1, top + 0.1], "dtick": math.ceil((top - bottom) / MAX_DECADES),
            "exponentformat": "power"}


def _heads(layers: Sequence[RunLayers], frame: int, with_style: bool) -> tuple[Spec, list[float | None]]:
    """Every run's marker on the paths (a trace update) and on the loss curves (its y values) at ``frame``."""
    crossed = [bool(layer.crossed[frame]) for layer in layers]
    on_path = {"x": [layer.positions[0][frame] for layer in layers],
               "y": [layer.positions[1][frame] for layer in layers]}
    if with_style:
        colors = [layer.color for layer in layers]
        on_path["marker"] = {
            "symbol": [DIVERGED_SYMBOL if c else layer.symbol for c, layer in zip(crossed, layers, strict=True)],
            "size": [16 if c else 11 for c in crossed], "color": colors,
            "line": {"width": [3 if c else 1 for c in crossed],
                     "color": [color if c else "white" for c, color in zip(crossed, colors, strict=True)]}}
    return on_path, [layer.losses[frame] for layer in layers]


def playground_figure(landscape, backdrop: Spec, layers: Sequence[RunLayers], start, steps: int,
                      height: int = 560) -> SpecFigure:
    """Paths over the landscape picture (left), loss against step (right), Play at four speeds, a step slider."""
    replayed = replay_steps(steps)
    data = [click_grid_trace(landscape.bounds), *markers(landscape, start)]  # the click grid at CLICK_TRACE
    data += [layer.loss_curve for layer in layers] + [layer.path for layer in layers]
    log = landscape.minimum_value is not None
    loss_y = loss_axis(layers, log)
    top = 10 ** loss_y["range"][1] if log else loss_y["range"][1]
    # A diverged run's ✕ on the loss plot sits at the top edge when its last value is above the range.
    data += [cross if cross.get("xaxis") != "x2" else {**cross, "y": [min(cross["y"][0], top)]}
             for layer in layers for cross in layer.crosses]
    last = len(replayed) - 1
    on_path, on_loss = _heads(layers, last, with_style=True)
    symbols = [layer.symbol for layer in layers]
    labels = [layer.label for layer in layers]
    heads = len(data)
    data += [
        {"type": "scatter", "mode": "markers", "showlegend": False, "text": labels, **on_path,
         "hovertemplate": "%{text}<extra></extra>"},
        {"type": "scatter", "mode": "markers", "showlegend": False, "text": labels,
         "x": [int(replayed[last])] * len(layers), "y": on_loss,
         "hovertemplate": "%{text} step %{x}: %{y:.3g}<extra></extra>",
         "marker": {"symbol": symbols, "size": 9, "color": [layer.color for layer in layers],
                    "line": {"width": 1, "color": "white"}}, **LOSS},
    ]
    styled = any(layer.diverged for layer in layers)  # only then does a frame change a marker's look
    frames = []
    for index, step in enumerate(replayed):
        on_path, on_loss = _heads(layers, index, styled)
        frames.append({"name": str(step), "traces": [heads, heads + 1],
                       "data": [on_path, {"x": [int(step)] * len(layers), "y": on_loss}]})
    layout = _layout(landscape, backdrop, loss_y, steps, replayed, height)
    return SpecFigure({"data": data, "layout": layout, "frames": frames})


STALE_NOTE = "showing the last valid function"


def stale(figure: SpecFigure) -> SpecFigure:
    """``figure`` greyed and labelled: what it shows is no longer what the sidebar says (a typed function
    that does not parse keeps the last one that did on screen)."""
    spec = figure.spec
    note = {"text": STALE_NOTE, "xref": "paper", "yref": "paper", "x": 0.27, "y": 0.5, "xanchor": "center",
            "showarrow": False, "font": {"size": 20, "color": "#555"}, "bgcolor": "rgba(255,255,255,0.8)"}
    layout = {**spec["layout"], "images": [{**image, "opacity": 0.45} for image in spec["layout"].get("images", [])],
              "annotations": [*spec["layout"].get("annotations", []), note]}
    return SpecFigure({**spec, "data": [{**trace, "opacity": 0.4} for trace in spec["data"]], "layout": layout})


def _play_button(speed: float) -> Spec:
    duration = FRAME_MS / speed
    return {"label": f"▶ {speed:g}×", "method": "animate",
            "args": [None, {"frame": {"duration": duration, "redraw": False}, "transition": {"duration": 0},
                            "fromcurrent": True, "mode": "immediate"}]}


def _layout(landscape, backdrop: Spec, loss_y: Spec, steps: int, replayed: np.ndarray, height: int) -> Spec:
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    loss_title = "f(θ) − f*" if landscape.minimum_value is not None else "f(θ)"
    positions = np.unique(np.append(replayed[::math.ceil(len(replayed) / SLIDER_POSITIONS)], replayed[-1]))
    return {
        "height": height, "margin": MARGIN, "hovermode": "closest",
        "dragmode": "pan", "plot_bgcolor": "white", "uirevision": "playground",
        # Transparent: an opaque legend box covers the exponent of the loss axis' top label.
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "bgcolor": "rgba(0,0,0,0)"},
        "images": [backdrop],
        **contour_axes(landscape.bounds, domain=(0.0, 0.54)),
        "xaxis2": {"domain": [0.63, 1.0], "range": [0, steps], "title": {"text": "step"}, "anchor": "y2"},
        "yaxis2": {"anchor": "x2", **loss_y},
        "annotations": [corner_title(loss_title, "2")],
        "updatemenus": [{
            "type": "buttons", "direction": "left", "x": 0.0, "y": -0.2, "xanchor": "left", "yanchor": "top",
            "pad": {"r": 4, "t": 0}, "showactive": False,
            "buttons": [*(_play_button(speed) for speed in SPEEDS),
                        {"label": "❚❚", "method": "animate", "args": [[None], still]}],
        }],
        "sliders": [{
            "active": len(positions) - 1, "x": 0.42, "len": 0.58, "y": -0.16, "yanchor": "top", "pad": {"t": 0},
            "currentvalue": {"prefix": "step ", "visible": True, "xanchor": "right", "font": {"color": "#444"}},
            "ticklen": 0, "font": {"color": "rgba(0,0,0,0)"},
            "steps": [{"label": str(k), "method": "animate", "args": [[str(k)], still]} for k in positions],
        }],
    }
