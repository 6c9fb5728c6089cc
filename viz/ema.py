"""The moving-average page's figures and its equation with live numbers.

Everything here is drawn from an ``EmaSeries`` the engine produced; nothing is averaged here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .figure import Spec, SpecFigure, typed
from .palette import RUN_COLORS

STREAM_COLOR = "#9a9a9a"
RAW_COLOR, CORRECTED_COLOR = RUN_COLORS[0], RUN_COLORS[1]
WINDOW_FILL = "rgba(0, 114, 178, 0.10)"


@dataclass(frozen=True)
class EmaSeries:
    """A value stream θ and its moving averages, row t after step t (row 0: before any value).

    ``average`` is vₜ = β vₜ₋₁ + (1 − β) θₜ, ``corrected`` is v̂ₜ = vₜ / (1 − βᵗ), ``mass`` is the
    average of a stream of ones (1 − βᵗ, the total weight vₜ gives to real values) and ``impulse``
    the average of a single 1 at step 1 (row k + 1 is the weight βᵏ(1 − β) of a value k steps old).
    """

    beta: float
    values: np.ndarray
    average: np.ndarray
    corrected: np.ndarray
    mass: np.ndarray
    impulse: np.ndarray

    @property
    def steps(self) -> int:
        return len(self.values) - 1

    @property
    def window(self) -> float:
        """The effective window 1/(1 − β): the number of recent values that carry most of the weight."""
        return 1.0 / (1.0 - self.beta)


def _line(x, y, name: str, color: str, dash: str = "solid", width: float = 2.4, **axes) -> Spec:
    return {"type": "scatter", "x": typed(x, np.int32), "y": typed(y), "mode": "lines", "name": name,
            "line": {"color": color, "width": width, "dash": dash},
            "hovertemplate": name + " at step %{x}: %{y:.3f}<extra></extra>", **axes}


def _stream(x, y) -> Spec:
    return {"type": "scatter", "x": typed(x, np.int32), "y": typed(y), "mode": "lines+markers", "name": "θₜ (stream)",
            "line": {"color": STREAM_COLOR, "width": 0.8}, "marker": {"size": 4, "color": STREAM_COLOR},
            "hovertemplate": "θ at step %{x}: %{y:.3f}<extra></extra>"}


def _now(series: EmaSeries, step: int) -> Spec:
    return {"type": "scatter", "x": [step, step], "y": [float(series.average[step]), float(series.corrected[step])],
            "mode": "markers", "name": f"step {step}", "showlegend": False,
            "marker": {"size": 11, "color": [RAW_COLOR, CORRECTED_COLOR], "line": {"width": 1.5, "color": "white"}},
            "hovertemplate": "step %{x}: %{y:.3f}<extra></extra>"}


def _window_band(step: int, window: float) -> Spec:
    """A shaded band over the last 1/(1 − β) steps of the stream."""
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": max(step - window, 0.5), "x1": step + 0.5,
            "y0": 0, "y1": 1, "fillcolor": WINDOW_FILL, "line": {"width": 0}, "layer": "below"}


def weight_ages(series: EmaSeries, step: int) -> int:
    """How many ages k the weight panel shows: a few windows, at least 10 and past t, at most the stream."""
    return int(min(series.steps, max(10, step + 1, round(3 * series.window))))


def _weight_bars(series: EmaSeries, step: int) -> list[Spec]:
    """βᵏ(1 − β) for k = 0 … t − 1 (solid), and the weights that would fall before step 1 (hollow)."""
    ages = np.arange(weight_ages(series, step))
    weights = series.impulse[ages + 1]
    present = ages < step
    bar = {"type": "bar", "showlegend": False, "xaxis": "x2", "yaxis": "y2"}
    return [
        {**bar, "x": typed(ages[present], np.int32), "y": typed(weights[present]), "name": "weight of θₜ₋ₖ in vₜ",
         "marker": {"color": RAW_COLOR},
         "hovertemplate": f"θ at step {step} − %{{x}} counts %{{y:.4f}} in v<sub>{step}</sub><extra></extra>"},
        {**bar, "x": typed(ages[~present], np.int32), "y": typed(weights[~present]), "name": "missing weight",
         "marker": {"color": "rgba(0,0,0,0)", "line": {"color": RAW_COLOR, "width": 1}},
         "hovertemplate": "before step 1: v₀ = 0 stands in, weight %{y:.4f}<extra></extra>"},
    ]


def ema_figure(series: EmaSeries, step: int, height: int = 520) -> SpecFigure:
    """The stream with vₜ and v̂ₜ (top) and, below, the weight vₜ gives a value k steps old."""
    steps = np.arange(1, series.steps + 1)
    data = [
        _stream(steps, series.values[1:]),
        _line(steps, series.average[1:], "vₜ (EMA)", RAW_COLOR),
        _line(steps, series.corrected[1:], "v̂ₜ = vₜ / (1 − βᵗ)", CORRECTED_COLOR, dash="dash"),
        _now(series, step),
        *_weight_bars(series, step),
    ]
    window, ages = series.window, weight_ages(series, step)
    edge = min(window, ages) - 0.5  # the window's far end, or the chart's edge when it reaches beyond
    note = (f"weights βᵏ(1 − β) in v<sub>{step}</sub>: they add up to 1 − βᵗ = {series.mass[step]:.3f};<br>"
            "hollow bars: the weight that falls on v₀ = 0")
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "closest",
        "plot_bgcolor": "white", "bargap": 0.15,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "xaxis": {"range": [0.5, series.steps + 0.5], "title": {"text": "step t", "standoff": 4}, "anchor": "y",
                  "showgrid": False},
        "yaxis": {"domain": [0.56, 1.0], "title": {"text": "value"}, "zeroline": True, "zerolinecolor": "#ccc"},
        "xaxis2": {"range": [-0.6, ages - 0.4], "anchor": "y2", "showgrid": False,
                   "title": {"text": "k: steps ago", "standoff": 4}},
        "yaxis2": {"domain": [0.0, 0.27], "title": {"text": "weight"}, "rangemode": "tozero"},
        "shapes": [_window_band(step, window),
                   {"type": "line", "xref": "x2", "yref": "y2 domain", "x0": edge, "x1": edge,
                    "y0": 0, "y1": 1, "line": {"color": CORRECTED_COLOR, "width": 2, "dash": "dot"}}],
        "annotations": [
            {"xref": "paper", "yref": "paper", "x": 0.0, "y": 0.3, "xanchor": "left", "yanchor": "bottom",
             "showarrow": False, "font": {"size": 13}, "text": note},
            {"xref": "x2", "yref": "y2 domain", "x": edge, "y": 1.0, "yanchor": "top",
             "xanchor": "right" if window > ages / 2 else "left",
             "showarrow": False, "font": {"size": 12, "color": CORRECTED_COLOR},
             "text": f" effective window 1/(1 − β) = {window:.3g} steps "},
        ],
    }
    return SpecFigure({"data": data, "layout": layout})


def warmup_steps(series: EmaSeries) -> int:
    """How many first steps the zoom shows: a few windows, at least 10, at most the whole stream."""
    return int(min(series.steps, max(10, round(2 * series.window))))


def warmup_figure(series: EmaSeries, height: int = 280) -> SpecFigure:
    """The first steps up close: vₜ starts at 0 and lags; v̂ₜ does not."""
    last = warmup_steps(series)
    steps = np.arange(1, last + 1)
    data = [
        _stream(steps, series.values[1:last + 1]),
        _line(steps, series.average[1:last + 1], "vₜ", RAW_COLOR),
        _line(steps, series.corrected[1:last + 1], "v̂ₜ", CORRECTED_COLOR, dash="dash"),
        _line(steps, series.mass[1:last + 1], "1 − βᵗ", "#444444", dash="dot", width=1.6),
    ]
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "plot_bgcolor": "white",
        "title": {"text": f"The first {last} steps", "font": {"size": 14}, "x": 0.02, "y": 0.98},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        "xaxis": {"range": [0.5, last + 0.5], "showgrid": False},
        "yaxis": {"zeroline": True, "zerolinecolor": "#999"},
    }
    return SpecFigure({"data": data, "layout": layout})


def _number(value: float) -> str:
    return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"


def _factor(value: float) -> str:
    """A number as a factor in a product: negative ones in parentheses."""
    return f"({_number(value)})" if value < 0 else _number(value)


def ema_equation(series: EmaSeries, step: int) -> str:
    """The article's EMA and its bias correction at ``step``, with the numbers filled in."""
    beta, t = series.beta, step
    v, v_prev, value = series.average[t], series.average[t - 1], series.values[t]
    return (rf"\small v_t = \beta\, v_{{t-1}} + (1 - \beta)\, \theta_t \\"
            rf"v_{{{t}}} = {_number(beta)} \times {_factor(v_prev)} + {_number(1 - beta)} \times {_factor(value)}"
            rf" = {_number(v)} \\"
            rf"\hat{{v}}_{{{t}}} = \frac{{v_{{{t}}}}}{{1 - \beta^{{{t}}}}} = \frac{{{_number(v)}}}"
            rf"{{{_number(series.mass[t])}}} = {_number(series.corrected[t])}")
