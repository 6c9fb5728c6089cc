"""L2 regularization vs decoupled weight decay: paths over f and f + λ/2‖θ‖², the decay's pull, a λ sweep.

How hard the decay pulls at step t, per axis, read off recorded runs (θₜ₋₁ = path[t − 1]):

    Adam + L2:  α λ θₜ₋₁ / (√v̂ₜ + ε)     the λθ term of the gradient after Adam's scaling
                                         (as if β₁ were 0: m̂ averages λθ over recent steps)
    AdamW:      −(Δθₜ + α m̂ₜ/(√v̂ₜ + ε))  what is left of the update besides the Adam step, = α λ θₜ₋₁
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .contour import Grid, contour_axes, contour_trace, head_trace, path_trace
from .figure import Spec, SpecFigure, legend_below, typed
from .palette import MINIMUM_COLOR, RUN_COLORS
from .paths import RunPath

ADAM_L2, ADAMW, SGD_L2 = "Adam + L2", "AdamW", "SGD + L2"
COLORS = {ADAM_L2: RUN_COLORS[0], ADAMW: RUN_COLORS[1], SGD_L2: "#AAAAAA"}
AXIS_DASH = {"x": "solid", "y": "dash"}
SECOND = {"xaxis": "x2", "yaxis": "y2"}


@dataclass(frozen=True)
class DecayRun:
    """A recorded Adam-family run with weight decay λ."""

    label: str
    path: np.ndarray
    state: dict[str, np.ndarray]
    lr: float
    decay: float
    eps: float

    @property
    def adam_step(self) -> np.ndarray:
        """α m̂ₜ/(√v̂ₜ + ε) for t = 1…T."""
        return self.lr * self.state["m_hat"][1:] / (np.sqrt(self.state["v_hat"][1:]) + self.eps)

    def pull(self, decoupled: bool) -> np.ndarray:
        """How far the decay moves θ toward 0 at each step t = 1…T, per axis (see the module docstring)."""
        if decoupled:
            return -(self.state["update"][1:] + self.adam_step)
        return self.lr * self.decay * self.path[:-1] / (np.sqrt(self.state["v_hat"][1:]) + self.eps)

    def as_path(self, loss: np.ndarray) -> RunPath:
        index = (ADAM_L2, ADAMW, SGD_L2).index(self.label)
        return RunPath(self.label, COLORS[self.label], self.path, loss, symbol=("circle", "diamond", "square")[index])


def _final_marker(run: RunPath, **axes) -> Spec:
    trace = head_trace(run, len(run.path) - 1, **axes)
    trace["marker"].update(size=13, line={"width": 2, "color": "white"})
    x, y = run.path[-1]
    trace["hovertemplate"] = f"{run.label} settles at ({x:.4f}, {y:.4f})<extra></extra>"
    return trace


def _minimum(point, name: str, **axes) -> Spec:
    return {"type": "scatter", "x": [float(point[0])], "y": [float(point[1])], "mode": "markers", "name": name,
            "showlegend": False, "marker": {"symbol": "star", "size": 15, "color": MINIMUM_COLOR,
                                            "line": {"width": 1, "color": "black"}},
            "hovertemplate": name + " (%{x:.4f}, %{y:.4f})<extra></extra>", **axes}


def comparison_figure(landscape, f_grid: Grid, penalized_grid: Grid, runs: Sequence[RunPath],
                      reference: tuple[tuple[float, float], str], decay: float, height: int = 400) -> SpecFigure:
    """The same paths over the contours of f (left) and of f + λ/2‖θ‖² (right), where they end marked.

    ``reference`` is a point and its name for the right panel, e.g. the minimum of f + λ/2‖θ‖².
    """
    data = [contour_trace(f_grid), contour_trace(penalized_grid, **SECOND)]
    for run in runs:
        data += [path_trace(run), _final_marker(run)]
        data += [path_trace(run, showlegend=False, **SECOND), _final_marker(run, **SECOND)]
    data += [_minimum(landscape.minima[0], "minimum of f"),
             _minimum(*reference, **SECOND)]
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "closest",
              "legend": legend_below(),
              **contour_axes(landscape.bounds, domain=(0.0, 0.48)),
              **contour_axes(landscape.bounds, "2", domain=(0.52, 1.0)),
              "annotations": [_title("contours of f", "x"), _title(f"contours of f + {decay:g}/2·‖θ‖²", "x2")]}
    layout["yaxis2"].update(anchor="x2", title={"text": ""}, showticklabels=False)
    return SpecFigure({"data": data, "layout": layout})


def _title(text: str, xaxis: str) -> Spec:
    return {"text": f"<b>{text}</b>", "xref": f"{xaxis} domain", "yref": "paper", "x": 0.5, "y": 1.0,
            "yanchor": "bottom", "showarrow": False}


def settle_table(runs: Sequence[RunPath], landscape, penalized) -> pd.DataFrame:
    """Where each run ends, and f and f + λ/2‖θ‖² there."""
    ends = np.array([run.path[-1] for run in runs])
    return pd.DataFrame({"x": ends[:, 0], "y": ends[:, 1], "f": landscape.f(ends),
                         "f + λ/2‖θ‖²": penalized.f(ends)}, index=[run.label for run in runs])


def pull_figure(pulls: Mapping[str, np.ndarray], height: int = 300) -> SpecFigure:
    """|pull| of the decay per step and axis, log scale: AdamW's follows θ, Adam + L2's is divided by √v̂."""
    data = []
    for label, pull in pulls.items():
        steps = np.arange(1, len(pull) + 1)
        for k, axis in enumerate("xy"):
            name = f"{label}, {axis}"
            data.append({"type": "scatter", "x": typed(steps, np.int32), "y": typed(np.abs(pull[:, k])),
                         "mode": "lines", "name": name, "line": {"color": COLORS[label], "dash": AXIS_DASH[axis]},
                         "hovertemplate": name + " at t=%{x}: %{y:.3g}<extra></extra>"})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "closest",
              "title": {"text": "<b>how far the decay pulls θ each step</b>", "font": {"size": 13}},
              "xaxis": {"title": {"text": "step t"}, "type": "log"},
              "yaxis": {"type": "log", "exponentformat": "power"},
              "legend": legend_below(font={"size": 11})}
    return SpecFigure({"data": data, "layout": layout})


def sweep_figure(landscape, f_grid: Grid, decays: np.ndarray, settled: Mapping[str, np.ndarray], decay: float,
                 height: int = 300) -> SpecFigure:
    """Where each optimizer settles for every λ of the sweep, drawn in the plane over the contours of f."""
    data = [contour_trace(f_grid, opacity=0.5)]
    current = int(np.argmin(np.abs(np.log(decays) - np.log(decay))))
    # SGD + L2 first and wide: Adam + L2 lands on the same points and must stay visible on top.
    for label in sorted(settled, key=lambda name: name != SGD_L2):
        points = settled[label]
        data.append({"type": "scatter", "x": typed(points[:, 0]), "y": typed(points[:, 1]),
                     "mode": "lines+markers", "name": label, "customdata": typed(decays),
                     "line": {"color": COLORS[label], "width": 8 if label == SGD_L2 else 2},
                     "marker": {"size": 5, "color": COLORS[label]},
                     "hovertemplate": label + ", λ = %{customdata:.3g}: (%{x:.3f}, %{y:.3f})<extra></extra>"})
        data.append({"type": "scatter", "x": [float(points[current, 0])], "y": [float(points[current, 1])],
                     "mode": "markers", "showlegend": False, "hoverinfo": "skip",
                     "marker": {"size": 11, "color": COLORS[label], "line": {"width": 2, "color": "white"}}})
    data.append(_minimum(landscape.minima[0], "minimum of f"))
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "closest",
              "title": {"text": f"<b>where they settle, λ = {decays[0]:.2g}…{decays[-1]:.2g}</b>",
                        "font": {"size": 13}},
              "legend": legend_below(font={"size": 11}),
              **contour_axes(landscape.bounds)}
    return SpecFigure({"data": data, "layout": layout})


def equivalence_figure(landscape, penalized_grid: Grid, decayed: RunPath, penalized: RunPath,
                       height: int = 300) -> SpecFigure:
    """SGD with weight_decay = λ on f, and plain SGD on f + λ/2‖θ‖²: one path drawn over the other."""
    wide = RunPath(penalized.label, RUN_COLORS[2], penalized.path, penalized.loss)
    narrow = RunPath("SGD, weight_decay = λ, on f", "#222222", decayed.path, decayed.loss, dash="dot")
    data = [contour_trace(penalized_grid), path_trace(wide, width=7), path_trace(narrow, width=2)]
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "closest",
              "title": {"text": "<b>SGD: L2 in the loss = weight decay</b>", "font": {"size": 13}},
              "legend": legend_below(font={"size": 11}),
              **contour_axes(landscape.bounds)}
    return SpecFigure({"data": data, "layout": layout})


def max_distance(a: np.ndarray, b: np.ndarray) -> float:
    """The largest distance between two paths at the same step."""
    return float(np.max(np.linalg.norm(a - b, axis=-1)))


def pull_sentence(adam: DecayRun, adamw: DecayRun, t: int = 1) -> str:
    """How hard each decay pulls at step t, per axis, and the factor Adam's scaling put on L2's pull."""
    l2, decoupled = np.abs(adam.pull(decoupled=False)[t - 1]), np.abs(adamw.pull(decoupled=True)[t - 1])
    scale = np.sqrt(adam.state["v_hat"][t]) + adam.eps
    return (f"At step {t} the decay pulls x by {l2[0]:.3g} in Adam + L2 and {decoupled[0]:.3g} in AdamW, "
            f"y by {l2[1]:.3g} and {decoupled[1]:.3g}: Adam divides L2's αλθ by √v̂ + ε = "
            f"({scale[0]:.3g}, {scale[1]:.3g}), so the axis with the larger gradients feels the penalty less. "
            f"AdamW's pull is αλθ on every axis.")
