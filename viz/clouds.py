"""Clouds of noisy runs: every seed's path faint behind the bold median run, a loss band, and how the
final losses are spread (``optimizers.clouds``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.clouds import BAND, Cloud, wins

from .figure import Spec, SpecFigure, typed
from .paths import sample_indices
from .tables import number

# Points per seed: a faint line needs few, and K × runs of them travel on every change, so a run's whole
# cloud gets at most CLOUD_BUDGET points (32 seeds: 78 each; 100 seeds: 25).
CLOUD_POINTS = (25, 120)
CLOUD_BUDGET = 2500
BAND_POINTS = 300
MARGIN = 0.05  # a seed's path is cut this far (in view widths) outside the view
TINY = 1e-16
LOSS = {"xaxis": "x2", "yaxis": "y2"}


@dataclass(frozen=True)
class CloudRun:
    """One run's cloud as the figure and the table see it."""

    label: str
    color: str
    cloud: Cloud


def cloud_points(seeds: int) -> int:
    """How many points of each seed's path the cloud draws."""
    return int(np.clip(CLOUD_BUDGET // max(seeds, 1), *CLOUD_POINTS))


def _faint(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def cloud_trace(run: CloudRun, bounds) -> Spec:
    """Every seed's path as one faint trace, NaN between seeds, cut where it leaves the view."""
    path = run.cloud.path
    kept = path[sample_indices(len(path) - 1, cloud_points(run.cloud.seeds))]  # (n, K, 2)
    (x0, x1), (y0, y1) = bounds
    mx, my = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
    with np.errstate(invalid="ignore"):
        outside = ((kept[..., 0] < x0 - mx) | (kept[..., 0] > x1 + mx)
                   | (kept[..., 1] < y0 - my) | (kept[..., 1] > y1 + my))
    shown = np.where(outside[..., np.newaxis], np.nan, kept).swapaxes(0, 1)  # (K, n, 2)
    gaps = np.full((shown.shape[0], 1, 2), np.nan)
    points = np.concatenate([shown, gaps], axis=1).reshape(-1, 2)
    return {"type": "scatter", "x": typed(points[:, 0]), "y": typed(points[:, 1]), "mode": "lines",
            "line": {"color": _faint(run.color, 0.22), "width": 1}, "legendgroup": run.label, "showlegend": False,
            "hoverinfo": "skip", "connectgaps": False}


def band_traces(run: CloudRun, minimum_value: float | None, top: float) -> list[Spec]:
    """The 10–90% band of the loss over seeds, shaded; capped at ``top`` where many seeds diverged."""
    steps = sample_indices(len(run.cloud.loss) - 1, BAND_POINTS)
    low, high = run.cloud.band[:, steps]
    if minimum_value is not None:
        low, high = np.maximum(low - minimum_value, TINY), np.maximum(high - minimum_value, TINY)
    low, high = np.minimum(low, top), np.minimum(high, top)
    fill = _faint(run.color, 0.16)
    common = {"type": "scatter", "x": typed(steps, np.int32), "mode": "lines", "line": {"width": 0},
              "legendgroup": run.label, "showlegend": False, "hoverinfo": "skip", **LOSS}
    return [{**common, "y": typed(low)},
            {**common, "y": typed(high), "fill": "tonexty", "fillcolor": fill}]


def add_clouds(figure: SpecFigure, runs: Sequence[CloudRun], bounds, minimum_value: float | None) -> SpecFigure:
    """Put the clouds and loss bands under everything the Playground's figure draws (after its click grid)."""
    spec = figure.spec
    axis = spec["layout"].get("yaxis2", {})
    top = 10 ** axis["range"][1] if axis.get("type") == "log" else axis.get("range", [0, np.inf])[1]
    layers = [cloud_trace(run, bounds) for run in runs]
    layers += [trace for run in runs for trace in band_traces(run, minimum_value, top)]
    spec["data"][1:1] = layers
    # The frames name the traces they move by index: everything after the click grid moved along.
    for frame in spec.get("frames", []):
        frame["traces"] = [index + len(layers) if index >= 1 else index for index in frame["traces"]]
    return figure


def _gap(values: np.ndarray, minimum_value: float | None) -> np.ndarray:
    return np.maximum(values - minimum_value, TINY) if minimum_value is not None else values


def distribution_figure(runs: Sequence[CloudRun], minimum_value: float | None, height: int = 300) -> SpecFigure:
    """Each run's final loss over its seeds as a box with every seed a dot; diverged seeds counted apart."""
    log = minimum_value is not None
    data, names = [], []
    for run in runs:
        final = run.cloud.final_loss
        finite = _gap(final[np.isfinite(final)], minimum_value)
        name = run.label
        if run.cloud.diverged:
            name += f"<br>{run.cloud.diverged} of {run.cloud.seeds} diverged"
        names.append(name)
        data.append({"type": "box", "y": typed(finite), "name": name, "marker": {"color": run.color, "size": 4},
                     "line": {"color": run.color}, "boxpoints": "all", "jitter": 0.4, "pointpos": 0,
                     "fillcolor": _faint(run.color, 0.15), "showlegend": False,
                     "hovertemplate": f"{run.label}: %{{y:.3g}}<extra></extra>"})
    title = "final f(θ) − f*" if log else "final f(θ)"
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 36, "b": 10},
              "title": {"text": f"Final loss over {runs[0].cloud.seeds if runs else 0} seeds", "x": 0.01,
                        "font": {"size": 15}},
              "yaxis": {"title": {"text": title}, **({"type": "log", "exponentformat": "power"} if log else {})},
              "xaxis": {"categoryorder": "array", "categoryarray": names}, "plot_bgcolor": "white"}
    return SpecFigure({"data": data, "layout": layout})


def cloud_table(runs: Sequence[CloudRun], minimum_value: float | None, tolerance: float) -> pd.DataFrame:
    """One row per run: the median final loss, the 10–90% range, how many seeds diverged or got there."""
    rows = []
    for run in runs:
        final = run.cloud.final_loss
        gap = _gap(final, minimum_value)
        low, median, high = np.quantile(gap, [BAND[0], 0.5, BAND[1]], method="inverted_cdf")
        reached = _gap(run.cloud.best_loss, minimum_value) <= tolerance
        rows.append({"run": run.label, "median final loss": number(median),
                     "10–90% of seeds": _spread(low, high),
                     "diverged": f"{run.cloud.diverged} of {run.cloud.seeds}",
                     "reached tolerance": f"{int(np.count_nonzero(reached))} of {run.cloud.seeds}"})
    return pd.DataFrame(rows)


def _spread(low: float, high: float) -> str:
    """"a – b", with "diverged" for an end that is a diverged seed."""
    if not np.isfinite(low):
        return "—"
    return f"{number(low)} – {number(high) if np.isfinite(high) else 'diverged'}"


def cloud_reading(runs: Sequence[CloudRun]) -> str:
    """Who ended lowest at the median, and whether that holds seed by seed against the runner-up."""
    if not runs:
        return ""
    seeds = runs[0].cloud.seeds
    medians = [np.quantile(run.cloud.final_loss, 0.5, method="inverted_cdf") for run in runs]
    order = sorted(range(len(runs)), key=lambda index: medians[index])
    best = runs[order[0]]
    if not np.isfinite(medians[order[0]]):
        return f"Over {seeds} seeds, every optimizer diverged on most of them."
    parts = [f"Over {seeds} seeds, {best.label} ended lowest at the median"]
    if len(runs) > 1:
        second = runs[order[1]]
        won = wins(best.cloud, second.cloud)
        verdict = ("a difference the noise does not explain" if won >= 0.8 * seeds
                   else "close enough that one seed's run could show either order")
        parts.append(f"it beat {second.label} on {won} of {seeds} seeds (the same noise for both): {verdict}")
    for run in runs:
        if run.cloud.diverged:
            parts.append(f"{run.label} diverged on {run.cloud.diverged} of {seeds} seeds")
    return "; ".join(parts) + "."
