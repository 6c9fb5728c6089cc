"""The curvature layer: the Hessian's eigen-directions on the contour, and sharpness along the path.

On the contour, a cross at a point θ shows H(θ)'s eigenvectors with half-lengths ∝ 1/√|λ| (the axes of
the ellipse f(θ + u) ≈ f(θ) + ½uᵀHu = const), so a short arm is a steep direction; an arm along negative
curvature (λ < 0, the function bends down) is dashed red. A third panel plots each run's sharpness
(λmax, or λmax of P·H for the Adam family, ``optimizers.stability.sharpness``) against its own limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .figure import Spec, SpecFigure, corner_title, rounded, typed
from .paths import sample_indices

POSITIVE_COLOR = "#222222"
NEGATIVE_COLOR = "#C0002A"
ARM = 0.09  # the longest arm's half-length, in view widths
SHORTEST = 0.04  # the shortest arm, as a share of the longest (κ = 1000 would otherwise be a dot)
SHARPNESS = {"xaxis": "x3", "yaxis": "y3"}
PANEL_POINTS = 400


@dataclass(frozen=True)
class Sharpness:
    """One run's sharpness at steps 0 … T − 1 and the limit it must stay below (None without one)."""

    label: str
    color: str
    dash: str
    values: np.ndarray
    limit: float | None
    formula: str | None
    preconditioned: bool
    diverged: bool


def arm_segments(points: np.ndarray, hessians: np.ndarray, span: float) -> tuple[np.ndarray, np.ndarray]:
    """Crosses at ``points`` ``(..., 2)`` for Hessians ``(..., 2, 2)``: the segments ``(..., 2 axes, 3, 2)``
    (each arm's two ends, then NaN to break the line) and which arms lie along negative curvature ``(..., 2)``."""
    eigenvalues, vectors = np.linalg.eigh(hessians)
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = 1.0 / np.sqrt(np.abs(eigenvalues))  # ∞ along a flat direction: the longest arm
        longest = np.max(np.where(np.isnan(reach), -np.inf, reach), axis=-1, keepdims=True)
        share = np.where(np.isinf(longest), np.isinf(reach), reach / longest)
    half = ARM * span * np.clip(np.nan_to_num(share, nan=1.0), SHORTEST, 1.0)
    offsets = np.swapaxes(vectors, -1, -2) * half[..., np.newaxis]  # (..., axis, 2): eigenvector rows
    centre = points[..., np.newaxis, :]
    gap = np.full_like(offsets, np.nan)
    segments = np.stack([centre - offsets, centre + offsets, gap], axis=-2)
    segments[~np.isfinite(eigenvalues)] = np.nan
    return segments, eigenvalues < 0


def _arm_trace(xy: np.ndarray, negative: bool, name: str, width: float) -> Spec:
    color = NEGATIVE_COLOR if negative else POSITIVE_COLOR
    text = "negative curvature: f bends down along it" if negative else "curvature: the shorter, the steeper"
    return {"type": "scatter", "x": typed(xy[0]), "y": typed(xy[1]), "mode": "lines", "name": name,
            "legendgroup": "curvature", "showlegend": False,
            "line": {"color": color, "width": width, "dash": "dash" if negative else "solid"},
            "hovertemplate": f"{name}: {text}<extra></extra>"}


def start_glyph(point, hessian: np.ndarray, span: float) -> list[Spec]:
    """The cross at the start, the ellipse where both curvatures are positive, and λ₁, λ₂ on hover."""
    point = np.asarray(point, dtype=float)
    eigenvalues = np.linalg.eigvalsh(hessian)
    if not np.isfinite(eigenvalues).all():
        return []
    segments, negative = arm_segments(point, hessian, span)  # (2 axes, 3, 2), (2,)
    traces = [_arm_trace(segments[~negative].reshape(-1, 2).T, False, "curvature", 3.0),
              _arm_trace(segments[negative].reshape(-1, 2).T, True, "curvature", 3.0)]
    if not negative.any():
        axes = (segments[:, 1] - segments[:, 0]) / 2  # each arm's half: the ellipse's semi-axes
        phi = np.linspace(0.0, 2 * np.pi, 49)[:, np.newaxis]
        ring = point + np.cos(phi) * axes[0] + np.sin(phi) * axes[1]
        traces.append({"type": "scatter", "x": typed(ring[:, 0]), "y": typed(ring[:, 1]), "mode": "lines",
                       "name": "curvature", "legendgroup": "curvature", "showlegend": False,
                       "line": {"color": POSITIVE_COLOR, "width": 1.2},
                       "hovertemplate": (f"Hessian at the start: λ₁ = {eigenvalues[1]:.3g}, λ₂ = {eigenvalues[0]:.3g}"
                                         "<br>a level set of the local quadratic<extra></extra>")})
    return traces


def sharpness_traces(runs: Sequence[Sharpness], steps: int) -> list[Spec]:
    """Each run's sharpness curve and, dotted in its colour, the limit it must stay below."""
    traces = []
    for run in runs:
        shown = np.where(run.values > 0, run.values, np.nan)
        kept = sample_indices(len(shown) - 1, PANEL_POINTS) if len(shown) else np.arange(0)
        what = "λmax(P·H)" if run.preconditioned else "λmax(H)"
        traces.append({"type": "scatter", "x": typed(kept, np.int32), "y": typed(shown[kept]), "mode": "lines",
                       "line": {"color": run.color, "width": 2, "dash": run.dash}, "legendgroup": run.label,
                       "showlegend": False, "connectgaps": False,
                       "hovertemplate": f"{run.label} step %{{x}}: {what} = %{{y:.3g}}<extra></extra>", **SHARPNESS})
        if run.limit is not None and np.isfinite(run.limit):
            traces.append({"type": "scatter", "x": [0, steps], "y": [run.limit, run.limit], "mode": "lines",
                           "line": {"color": run.color, "width": 1.5, "dash": "dot"}, "legendgroup": run.label,
                           "showlegend": False,
                           "hovertemplate": f"{run.label}: stable below {run.formula} = {run.limit:.3g}<extra></extra>",
                           **SHARPNESS})
    return traces


def sharpness_axis(runs: Sequence[Sharpness]) -> Spec:
    """A log axis over what the runs that did not diverge reach and their limits (all runs if all diverged)."""
    kept = [run for run in runs if not run.diverged] or list(runs)
    values = [run.values[(run.values > 0) & np.isfinite(run.values)] for run in kept]
    values += [np.array([run.limit]) for run in kept if run.limit is not None and np.isfinite(run.limit)]
    every = np.concatenate(values) if values else np.array([])
    if not every.size:
        return {"type": "log"}
    low, high = np.log10(every.min()), np.log10(every.max())
    pad = max(0.15 * (high - low), 0.3)
    return {"type": "log", "range": [low - pad, high + pad], "exponentformat": "power"}


def head_values(runs: Sequence[Sharpness], replayed: np.ndarray) -> np.ndarray:
    """Each run's sharpness at every replayed step ``(frames, runs)`` (its last value past the end)."""
    columns = []
    for run in runs:
        if not len(run.values):
            columns.append(np.full(len(replayed), np.nan))
            continue
        value = run.values[np.minimum(replayed, len(run.values) - 1)]
        columns.append(np.where(value > 0, value, np.nan))
    return np.stack(columns, axis=1) if columns else np.zeros((len(replayed), 0))


def add_curvature(figure: SpecFigure, start, start_hessian: np.ndarray, span: float, positions: np.ndarray,
                  position_hessians: np.ndarray, runs: Sequence[Sharpness], steps: int,
                  replayed: np.ndarray) -> SpecFigure:
    """Add the curvature layer to the Playground's figure (``viz.playground.playground_figure``).

    ``positions`` ``(frames, runs, 2)`` and ``position_hessians`` ``(frames, runs, 2, 2)``: where each run's
    marker is at each replayed step, and the Hessian there; the replay moves the crosses with the markers.
    """
    spec = figure.spec
    data, layout, frames = spec["data"], spec["layout"], spec.get("frames", [])
    data += start_glyph(start, start_hessian, span)
    data += sharpness_traces(runs, steps)
    moving = len(data)
    last = len(replayed) - 1
    segments, negative = arm_segments(positions, position_hessians, span)  # every frame at once
    heads = head_values(runs, replayed)

    def moving_data(frame: int) -> list[Spec]:
        positive_xy = segments[frame][~negative[frame]].reshape(-1, 2)
        negative_xy = segments[frame][negative[frame]].reshape(-1, 2)
        return [{"x": rounded(positive_xy[:, 0], 4), "y": rounded(positive_xy[:, 1], 4)},
                {"x": rounded(negative_xy[:, 0], 4), "y": rounded(negative_xy[:, 1], 4)},
                {"x": [int(replayed[frame])] * len(runs), "y": rounded(heads[frame], 4)}]

    arms_now, negative_now, heads_now = moving_data(last)
    data += [{**_arm_trace(np.array([[np.nan], [np.nan]]), False, "curvature here", 1.6), **arms_now},
             {**_arm_trace(np.array([[np.nan], [np.nan]]), True, "curvature here", 1.6), **negative_now},
             {"type": "scatter", "mode": "markers", "showlegend": False, "text": [run.label for run in runs],
              "marker": {"size": 8, "color": [run.color for run in runs], "line": {"width": 1, "color": "white"}},
              "hovertemplate": "%{text} step %{x}: %{y:.3g}<extra></extra>", **heads_now, **SHARPNESS}]
    for index, frame in enumerate(frames):
        frame["traces"] = [*frame["traces"], moving, moving + 1, moving + 2]
        frame["data"] = [*frame["data"], *moving_data(index)]
    loss_x = layout.get("xaxis2", {})
    loss_y = layout.get("yaxis2", {})
    if "dtick" in loss_y:  # half the height: half as many labelled decades, or a projector's labels overlap
        loss_y = {**loss_y, "dtick": 2 * loss_y["dtick"]}
    layout["yaxis2"] = {**loss_y, "domain": [0.56, 1.0]}
    layout["xaxis2"] = {**loss_x, "title": None, "anchor": "y2"}
    layout["xaxis3"] = {"domain": loss_x.get("domain", [0.63, 1.0]), "anchor": "y3", "matches": "x2",
                        "range": loss_x.get("range", [0, steps]), "title": {"text": "step"}}
    layout["yaxis3"] = {"domain": [0.0, 0.42], "anchor": "x3", **sharpness_axis(runs)}
    layout["annotations"] = [*layout.get("annotations", []), corner_title("sharpness · limit ┈", "3")]
    return figure
