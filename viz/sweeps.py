"""Sensitivity maps (heatmaps over two hyperparameters) and robustness curves, as plain Plotly specs.

The map is a heatmap of the metric under two flat layers for cells without a value (diverged,
never within tolerance) and an invisible scatter at every cell centre: plotly.js gives no click
events on heatmaps, but selects scatter points, and those points also carry the hover text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizers.sweeps import RobustnessCurves, SweepMap, best_cell

from .figure import Spec, SpecFigure, typed
from .palette import MINIMUM_COLOR, run_color

SYMBOLS = {r"\alpha": "α", r"\beta_1": "β₁", r"\beta_2": "β₂", r"\beta": "β", r"\varepsilon": "ε", r"\lambda": "λ",
           r"\mu": "μ", r"\tau": "τ", r"\eta": "η", r"\psi": "ψ"}
METRIC_LABELS = {"gap": "final f − f*", "steps_to_tolerance": "steps to tolerance", "distance": "distance to minimum"}
LOG_METRICS = ("gap", "distance")
DIVERGED_COLOR = "#8c8c8c"
UNREACHED_COLOR = "#f0f0f0"
# Values this small are drawn as this small: a log colour scale has no room for 0.
LOG_FLOOR = 1e-16


def axis_label(name: str, symbol: str) -> str:
    """``α (lr)``: the article's symbol first, then the argument name."""
    return f"{SYMBOLS.get(symbol, symbol)} ({name})"


def cell_edges(values: np.ndarray, log: bool) -> np.ndarray:
    """Cell boundaries halfway between centres (in log space on a log axis), so cells tile the axis."""
    centres = np.log10(values) if log else np.asarray(values, dtype=np.float64)
    if len(centres) == 1:
        half = 0.5 if log else max(abs(centres[0]) * 0.05, 1e-3)
        edges = np.array([centres[0] - half, centres[0] + half])
    else:
        middle = (centres[:-1] + centres[1:]) / 2
        edges = np.concatenate([[2 * centres[0] - middle[0]], middle, [2 * centres[-1] - middle[-1]]])
    return 10.0**edges if log else edges


def _colour_values(values: np.ndarray, log: bool) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.log10(np.maximum(values, LOG_FLOOR)) if log else values


def _colorbar(metric: str, z: np.ndarray, log: bool) -> Spec:
    bar = {"title": {"text": METRIC_LABELS[metric], "side": "right"}, "thickness": 12, "len": 0.9}
    finite = z[np.isfinite(z)]
    if log and finite.size:
        decades = np.arange(np.floor(finite.min()), np.ceil(finite.max()) + 1)
        step = max(1, int(np.ceil(len(decades) / 8)))
        bar.update(tickvals=decades[::step].tolist(), ticktext=[f"1e{int(d)}" for d in decades[::step]])
    return bar


def _layer(sweep: SweepMap, mask: np.ndarray, color: str, x_edges, y_edges) -> Spec:
    """A flat single-colour heatmap over the cells in ``mask``."""
    return {"type": "heatmap", "x": typed(x_edges, np.float64), "y": typed(y_edges, np.float64),
            "z": typed(np.where(mask, 1.0, np.nan)), "colorscale": [[0, color], [1, color]], "showscale": False,
            "hoverinfo": "skip", "zmin": 0, "zmax": 1}


def _points(sweep: SweepMap, mask: np.ndarray, values: np.ndarray, name: str, hover: str, labels) -> Spec:
    """Invisible, clickable points at the centres of the cells in ``mask``, with their hover text."""
    rows, columns = np.nonzero(mask)
    return {"type": "scattergl", "mode": "markers", "name": name, "showlegend": False,
            "x": typed(sweep.x_values[columns]), "y": typed(sweep.y_values[rows]),
            "customdata": typed(values[rows, columns]), "marker": {"size": 8, "color": "rgba(0,0,0,0)"},
            "hovertemplate": f"{labels[0]} = %{{x:.4g}}<br>{labels[1]} = %{{y:.4g}}<br>{hover}"
                             "<br><i>click: open in the Playground</i><extra></extra>"}


def _legend_square(name: str, color: str) -> Spec:
    return {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
            "marker": {"symbol": "square", "size": 12, "color": color, "line": {"width": 1, "color": "#666"}}}


def _star(sweep: SweepMap, cell: tuple[int, int]) -> Spec:
    row, column = cell
    return {"type": "scatter", "mode": "markers", "name": "best cell", "x": [float(sweep.x_values[column])],
            "y": [float(sweep.y_values[row])], "hoverinfo": "skip",
            "marker": {"symbol": "star", "size": 16, "color": MINIMUM_COLOR, "line": {"width": 1.5, "color": "black"}},
            "unselected": {"marker": {"opacity": 1}}}


def map_figure(sweep: SweepMap, metric: str, labels: tuple[str, str], height: int = 560) -> SpecFigure:
    """The heatmap of ``metric`` (log colours for gaps and distances), diverged cells grey, the best a star.

    ``labels`` name the x and y axes.
    """
    values = getattr(sweep, metric)
    log = metric in LOG_METRICS
    z = _colour_values(values, log)
    x_edges, y_edges = cell_edges(sweep.x_values, sweep.x.log), cell_edges(sweep.y_values, sweep.y.log)
    unreached = ~sweep.diverged & ~np.isfinite(values)
    data = [
        {"type": "heatmap", "x": typed(x_edges, np.float64), "y": typed(y_edges, np.float64), "z": typed(z),
         "colorscale": "Viridis", "colorbar": _colorbar(metric, z, log), "hoverinfo": "skip", "name": metric},
        _layer(sweep, sweep.diverged, DIVERGED_COLOR, x_edges, y_edges),
        _layer(sweep, unreached, UNREACHED_COLOR, x_edges, y_edges),
        _points(sweep, np.isfinite(values), values, "cells", f"{METRIC_LABELS[metric]} = %{{customdata:.4g}}", labels),
        _points(sweep, sweep.diverged, sweep.diverged_at.astype(np.float64), "diverged cells",
                "diverged at step %{customdata:.0f}", labels),
        _points(sweep, unreached, sweep.gap, "unreached cells",
                f"no value: {_unreached_reason(metric, sweep)}; final f − f* = %{{customdata:.3g}}", labels),
    ]
    if sweep.diverged.any():
        data.append(_legend_square("diverged", DIVERGED_COLOR))
    if unreached.any():
        data.append(_legend_square(_unreached_reason(metric, sweep), UNREACHED_COLOR))
    best = best_cell(sweep, metric)
    if best is not None:
        data.append(_star(sweep, best))
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "clickmode": "event+select",
        "dragmode": "zoom", "hovermode": "closest", "plot_bgcolor": "white",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0)"},
        "xaxis": {"title": {"text": labels[0]}, "type": "log" if sweep.x.log else "linear", "showgrid": False,
                  "range": _range(x_edges, sweep.x.log), "ticks": "outside"},
        "yaxis": {"title": {"text": labels[1]}, "type": "log" if sweep.y.log else "linear", "showgrid": False,
                  "range": _range(y_edges, sweep.y.log), "ticks": "outside"},
    }
    return SpecFigure({"data": data, "layout": layout})


def _range(edges: np.ndarray, log: bool) -> list[float]:
    ends = np.array([edges[0], edges[-1]])
    return (np.log10(ends) if log else ends).tolist()


def _unreached_reason(metric: str, sweep: SweepMap) -> str:
    if metric == "steps_to_tolerance":
        return f"not within {sweep.tolerance:g} in {sweep.steps} steps"
    return "no known minimum" if metric == "distance" else "no value"


def map_table(sweep: SweepMap) -> pd.DataFrame:
    """One row per cell: its two hyperparameters and every metric (empty where it has none)."""
    rows, columns = np.indices(sweep.gap.shape)
    table = pd.DataFrame({
        sweep.x.name: sweep.x_values[columns.ravel()],
        sweep.y.name: sweep.y_values[rows.ravel()],
        "final loss": sweep.final_loss.ravel(),
        "final f - f*": sweep.gap.ravel(),
        "steps to tolerance": sweep.steps_to_tolerance.ravel(),
        "distance to minimum": sweep.distance.ravel(),
        "diverged at": np.where(sweep.diverged, sweep.diverged_at, -1).ravel(),
    })
    table["steps to tolerance"] = table["steps to tolerance"].astype("Int64")
    table["diverged at"] = table["diverged at"].where(table["diverged at"] >= 0).astype("Int64")
    return table


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _shown(values: np.ndarray) -> np.ndarray:
    """Gaps as a log axis can show them: diverged (inf) becomes a hole in the line."""
    return np.where(np.isfinite(values), np.maximum(values, LOG_FLOOR), np.nan)


def curves_figure(curves: RobustnessCurves, labels: list[str], height: int = 520) -> SpecFigure:
    """Median final gap against lr per optimizer, a band between quantiles over seeds, ✕ where it diverged."""
    data = []
    finite = curves.gap[np.isfinite(curves.gap)]
    top = float(np.max(np.maximum(finite, LOG_FLOOR))) * 10 if finite.size else 1.0
    lrs = typed(curves.lrs, np.float64)
    seeds = len(curves.seeds)
    for k, label in enumerate(labels):
        color = run_color(k)
        if seeds > 1:
            band = np.isfinite(curves.low[k])
            upper = np.where(np.isfinite(curves.high[k]), curves.high[k], top)
            data += [
                {"type": "scatter", "x": typed(curves.lrs[band], np.float64), "y": typed(_shown(curves.low[k][band])),
                 "mode": "lines", "line": {"width": 0, "color": color}, "legendgroup": label, "showlegend": False,
                 "hoverinfo": "skip"},
                {"type": "scatter", "x": typed(curves.lrs[band], np.float64), "y": typed(_shown(upper[band])),
                 "mode": "lines", "line": {"width": 0, "color": color}, "fill": "tonexty",
                 "fillcolor": _rgba(color, 0.18), "legendgroup": label, "showlegend": False, "hoverinfo": "skip"},
            ]
        diverged_share = np.mean(curves.diverged_at[k] >= 0, axis=0)
        data.append({
            "type": "scatter", "x": lrs, "y": typed(_shown(curves.median[k])), "mode": "lines+markers",
            "name": label, "legendgroup": label, "line": {"color": color, "width": 2.2}, "marker": {"size": 5},
            "customdata": typed(diverged_share * seeds),
            "hovertemplate": f"{label}<br>α = %{{x:.3g}}<br>{'median ' if seeds > 1 else ''}f − f* = %{{y:.3g}}"
                             f"<br>diverged in %{{customdata:.0f}} of {seeds} run{'s' if seeds > 1 else ''}"
                             "<extra></extra>",
        })
        dead = ~np.isfinite(curves.median[k])
        if dead.any():
            data.append({"type": "scatter", "x": typed(curves.lrs[dead], np.float64), "y": [top] * int(dead.sum()),
                         "mode": "markers", "legendgroup": label, "showlegend": False,
                         "marker": {"symbol": "x-thin-open", "size": 10, "color": color, "line": {"width": 2}},
                         "hovertemplate": f"{label} diverged at α = %{{x:.3g}}<extra></extra>"})
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "hovermode": "closest",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "xaxis": {"title": {"text": "learning rate α"}, "type": "log", "ticks": "outside"},
        "yaxis": {"title": {"text": ("median " if seeds > 1 else "") + "final f − f*  (✕: diverged)"},
                  "type": "log", "ticks": "outside", "exponentformat": "power"},
    }
    return SpecFigure({"data": data, "layout": layout})


def curves_table(curves: RobustnessCurves, labels: list[str]) -> pd.DataFrame:
    """One row per run: optimizer, seed, lr, its final gap (empty where it diverged) and divergence step."""
    k, s, i = (index.ravel() for index in np.indices(curves.gap.shape))
    gap = curves.gap.ravel()
    table = pd.DataFrame({
        "optimizer": np.asarray(labels)[k], "seed": np.asarray(curves.seeds)[s], "lr": curves.lrs[i],
        "final f - f*": np.where(np.isfinite(gap), gap, np.nan), "diverged at": curves.diverged_at.ravel(),
    })
    table["diverged at"] = table["diverged at"].where(table["diverged at"] >= 0).astype("Int64")
    return table


def curves_summary(curves: RobustnessCurves, labels: list[str], tolerance: float) -> pd.DataFrame:
    """Per optimizer: its best lr, the median gap there, and how many decades of lr reach ``tolerance``."""
    rows = []
    for k, label in enumerate(labels):
        best = curves.best_lr(k)
        rows.append({"optimizer": label, "best α": best,
                     "f − f* at best α": float(np.min(curves.median[k])) if best is not None else None,
                     "good α span (decades)": round(curves.working_decades(k, tolerance), 2)})
    return pd.DataFrame(rows)
