"""The fair fight drawn: default vs tuned paths and losses, every setting of every budget, and a table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from optimizers.tuning import FairFight, Tuning

from .contour import Grid, contour_axes, contour_trace, head_trace, markers, path_trace
from .figure import Spec, SpecFigure, typed
from .palette import MINIMUM_COLOR
from .paths import RunPath

# Gaps are drawn on log axes; an exact zero sits here.
GAP_FLOOR = 1e-16
DIVERGED = "diverged"
DEFAULT_MARK = {"symbol": "diamond-open", "size": 14, "color": "black", "line": {"width": 2}}
BEST_MARK = {"symbol": "star", "size": 16, "color": MINIMUM_COLOR, "line": {"width": 1, "color": "black"}}


def _gap_curve(run: RunPath, minimum_value: float | None, tuned: bool) -> Spec:
    floor = minimum_value if minimum_value is not None else 0.0
    with np.errstate(invalid="ignore"):
        gap = np.maximum(run.loss - floor, GAP_FLOOR)
    return {"type": "scatter", "x": typed(np.arange(len(gap))), "y": typed(gap), "mode": "lines",
            "line": {"color": run.color, "width": 2.6 if tuned else 1.6, "dash": "solid" if tuned else "dot"},
            "name": run.label, "legendgroup": run.label, "showlegend": False, "xaxis": "x2", "yaxis": "y2",
            "hovertemplate": run.label + "<br>step %{x}: f − f* = %{y:.3g}<extra></extra>"}


def paths_figure(landscape, g: Grid, defaults: Sequence[RunPath], tuned: Sequence[RunPath], start,
                 height: int = 470) -> SpecFigure:
    """Left: every optimizer's path at its defaults (thin, dotted) and tuned (bold); right: f − f* per step."""
    data = [contour_trace(g)]
    for default, best in zip(defaults, tuned, strict=True):
        data += [path_trace(default, width=1.4, showlegend=False), head_trace(default, len(default.path) - 1)]
        data += [path_trace(best, width=3.0), head_trace(best, len(best.path) - 1)]
    data += markers(landscape, start)
    for default, best in zip(defaults, tuned, strict=True):
        data += [_gap_curve(default, landscape.minimum_value, tuned=False),
                 _gap_curve(best, landscape.minimum_value, tuned=True)]
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "hovermode": "closest",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **contour_axes(landscape.bounds, domain=(0.0, 0.52)),
        "xaxis2": {"domain": [0.6, 1.0], "title": {"text": "step"}, "anchor": "y2"},
        "yaxis2": {"type": "log", "anchor": "x2", "title": {"text": "f − f*", "standoff": 4},
                   "exponentformat": "power", "dtick": 2},
    }
    return SpecFigure({"data": data, "layout": layout})


def budget_figure(fight: FairFight, labels: Sequence[str], colors: Sequence[str], height: int = 300) -> SpecFigure:
    """Every setting each optimizer tried, by final gap: ◇ its defaults, ★ its best, diverged runs counted."""
    data, rows = [], list(range(len(fight.tunings)))
    for row, tuning, label, color in zip(rows, fight.tunings, labels, colors, strict=True):
        finite = np.isfinite(tuning.gap)
        # A fixed jitter spreads the dots vertically so equal gaps stay countable.
        jitter = (np.random.default_rng(row).random(tuning.budget) - 0.5) * 0.5
        gaps = np.maximum(tuning.gap, GAP_FLOOR)
        data.append({"type": "scatter", "mode": "markers", "name": label, "showlegend": False,
                     "x": typed(gaps[finite]), "y": typed(row + jitter[finite]),
                     "marker": {"size": 7, "color": color, "opacity": 0.45},
                     "hovertemplate": label + ": f − f* = %{x:.3g}<extra></extra>"})
        data.append(_mark(np.maximum(tuning.default_gap, GAP_FLOOR), row, f"{label} at its defaults", DEFAULT_MARK))
        data.append(_mark(np.maximum(tuning.best_gap, GAP_FLOOR), row, f"{label} tuned", BEST_MARK))
    finite_gaps = np.concatenate([t.gap[np.isfinite(t.gap)] for t in fight.tunings])
    low, high = (np.log10(np.maximum([finite_gaps.min(), finite_gaps.max()], GAP_FLOOR))
                 if finite_gaps.size else (-3.0, 1.0))
    annotations = [{"x": 1.0, "xref": "paper", "xanchor": "left", "y": row, "yref": "y", "showarrow": False,
                    "text": f"{int(np.sum(~np.isfinite(t.gap)))} {DIVERGED}", "font": {"color": "#555"}}
                   for row, t in zip(rows, fight.tunings, strict=True)]
    layout = {
        "height": height, "margin": {"l": 10, "r": 90, "t": 10, "b": 10}, "hovermode": "closest",
        "plot_bgcolor": "white", "annotations": annotations, "showlegend": False,
        "xaxis": {"type": "log", "title": {"text": "final f − f* of each setting tried (lower is better)"},
                  "range": [low - 0.5, high + 0.5], "exponentformat": "power", "showgrid": True,
                  "gridcolor": "#eee"},
        "yaxis": {"tickvals": rows, "ticktext": list(labels), "range": [len(rows) - 0.5, -0.5], "showgrid": False,
                  "zeroline": False},
    }
    return SpecFigure({"data": data, "layout": layout})


def _mark(gap: float, row: int, name: str, marker: Spec) -> Spec:
    text = f"{name}: f − f* = {gap:.3g}" if np.isfinite(gap) else f"{name}: {DIVERGED}"
    x = float(gap) if np.isfinite(gap) else None
    return {"type": "scatter", "mode": "markers", "name": name, "x": [x], "y": [row], "marker": marker,
            "hovertemplate": text + "<extra></extra>"}


def describe_gap(gap: float) -> str:
    return f"{gap:.3g}" if np.isfinite(gap) else DIVERGED


def settings_text(tuning: Tuning, symbols: dict[str, str]) -> str:
    """The tuned settings as 'α = 0.0436, β = 0.967'."""
    return ", ".join(f"{symbols[name]} = {value:.3g}" for name, value in tuning.best_settings.items())


def fight_table(fight: FairFight, labels: Sequence[str], symbols: Sequence[dict[str, str]]) -> pd.DataFrame:
    """One row per optimizer: defaults vs tuned, how much tuning bought, how forgiving the budget was."""
    rank_default = {name: k + 1 for k, name in enumerate(fight.ranking(tuned=False))}
    rank_tuned = {name: k + 1 for k, name in enumerate(fight.ranking(tuned=True))}
    rows = []
    for tuning, label, symbol in zip(fight.tunings, labels, symbols, strict=True):
        default, best = tuning.default_gap, tuning.best_gap
        gain = default / best if np.isfinite(best) and best > 0 and np.isfinite(default) else np.nan
        rows.append({
            "optimizer": label,
            "f − f*, defaults": describe_gap(default),
            "f − f*, tuned": describe_gap(best),
            "gain": f"{gain:.3g}×" if np.isfinite(gain) else "—",
            "tunability": f"{tuning.tunability:.0%}",
            "diverged": f"{int(np.sum(~np.isfinite(tuning.gap)))} of {tuning.budget}",
            "rank": f"{rank_default[tuning.optimizer]} → {rank_tuned[tuning.optimizer]}",
            "tuned settings": settings_text(tuning, symbol),
        })
    return pd.DataFrame(rows)


def ranking_sentence(fight: FairFight, labels: dict[str, str]) -> str:
    """How the order changes from defaults to tuned, in words."""
    at_defaults = [labels[name] for name in fight.ranking(tuned=False)]
    tuned = [labels[name] for name in fight.ranking(tuned=True)]
    if at_defaults == tuned:
        return f"The order is the same at defaults and tuned: {' > '.join(tuned)}."
    return (f"At their defaults the order is {' > '.join(at_defaults)}; tuned with the same budget it is "
            f"{' > '.join(tuned)}.")
