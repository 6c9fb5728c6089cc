"""Inside one Adam run at step t: arrows on the contour, the per-axis state, the equations with numbers.

Every builder reads a recorded run (``optimizers.run(..., record_state=True)``): row t of the state
is the value after step t, so step t takes θₜ₋₁ = path[t − 1] to θₜ = path[t] with gradient g = grad[t].
The effective step size α/(√v̂ₜ + ε) is read off that state; nothing here takes an optimizer step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .contour import Grid, contour_axes, contour_trace, markers
from .figure import Spec, SpecFigure, legend_below, typed
from .palette import RUN_COLORS

AXES = ("x", "y")
AXIS_COLORS = {"x": RUN_COLORS[0], "y": RUN_COLORS[1]}
GRADIENT_COLOR, MOMENTUM_COLOR, UPDATE_COLOR = "#D55E00", "#0072B2", "#009E73"
BETA_COLORS = (RUN_COLORS[2], RUN_COLORS[3])
PATH_COLOR = RUN_COLORS[3]
# Arrows are drawn this fraction of the view's shorter side long, whatever their true size.
ARROW_FRACTION = 0.18
# ε counts as dominating √v̂ on an axis once it is this many times larger.
EPS_DOMINATES = 10.0


@dataclass(frozen=True)
class AdamRun:
    """One recorded Adam run and the hyperparameters it ran with."""

    path: np.ndarray
    state: dict[str, np.ndarray]
    lr: float
    beta1: float
    beta2: float
    eps: float
    bias_correction: bool

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def effective_step(self) -> np.ndarray:
        """α/(√v̂ₜ + ε) per step and axis (row 0 is the empty start)."""
        return self.lr / (np.sqrt(self.state["v_hat"]) + self.eps)

    def row(self, name: str, t: int) -> np.ndarray:
        return self.state[name][t]


def state_table(run: AdamRun, t: int) -> pd.DataFrame:
    """The quantities of step t, one row per axis."""
    columns = {"g": run.row("grad", t), "m": run.row("m", t), "v": run.row("v", t), "m̂": run.row("m_hat", t),
               "v̂": run.row("v_hat", t), "α/(√v̂+ε)": run.effective_step[t], "Δθ": run.row("update", t)}
    return pd.DataFrame(columns, index=list(AXES))


def _number(value: float) -> str:
    """A number for LaTeX: 4 significant digits, powers of ten written out."""
    if not np.isfinite(value):
        return r"\text{NaN}"
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def _vector(values) -> str:
    return r"\begin{pmatrix}" + r"\\".join(_number(float(v)) for v in values) + r"\end{pmatrix}"


def update_equations(run: AdamRun, t: int) -> str:
    """The article's Adam update with the numbers of step t filled in (vectors are (x, y))."""
    b1, b2 = run.beta1, run.beta2
    g, m0, v0 = run.row("grad", t), run.row("m", t - 1), run.row("v", t - 1)
    m, v, m_hat, v_hat = run.row("m", t), run.row("v", t), run.row("m_hat", t), run.row("v_hat", t)
    theta0, theta = run.path[t - 1], run.path[t]
    lines = [
        rf"m_{{{t}}} &= \beta_1 m_{{{t - 1}}} + (1-\beta_1)\,g_{{{t}}} = {_number(b1)}{_vector(m0)}"
        rf" + {_number(1 - b1)}{_vector(g)} = {_vector(m)}",
        rf"v_{{{t}}} &= \beta_2 v_{{{t - 1}}} + (1-\beta_2)\,g_{{{t}}}^2 = {_number(b2)}{_vector(v0)}"
        rf" + {_number(1 - b2)}{_vector(g * g)} = {_vector(v)}",
    ]
    if run.bias_correction:
        lines += [
            rf"\hat m_{{{t}}} &= \frac{{m_{{{t}}}}}{{1-\beta_1^{{{t}}}}} = \frac{{{_vector(m)}}}"
            rf"{{{_number(1 - b1**t)}}} = {_vector(m_hat)}",
            rf"\hat v_{{{t}}} &= \frac{{v_{{{t}}}}}{{1-\beta_2^{{{t}}}}} = \frac{{{_vector(v)}}}"
            rf"{{{_number(1 - b2**t)}}} = {_vector(v_hat)}",
        ]
    else:
        lines.append(rf"\hat m_{{{t}}} &= m_{{{t}}},\quad \hat v_{{{t}}} = v_{{{t}}}"
                     r"\qquad\text{(bias correction off)}")
    lines.append(
        rf"\theta_{{{t}}} &= \theta_{{{t - 1}}} - \frac{{\alpha\,\hat m_{{{t}}}}}"
        rf"{{\sqrt{{\hat v_{{{t}}}}}+\varepsilon}}\\"
        rf"&= {_vector(theta0)} - {_number(run.lr)}\,\frac{{{_vector(m_hat)}}}"
        rf"{{{_vector(np.sqrt(v_hat))} + {_number(run.eps)}}} = {_vector(theta)}")
    return r"\small\begin{aligned}" + r"\\[2pt]".join(lines) + r"\end{aligned}"


@dataclass(frozen=True)
class Arrow:
    """An arrow from ``tail`` along ``vector`` drawn ``scale`` times its true length."""

    name: str
    vector: np.ndarray
    scale: float
    color: str

    def trace(self, tail: np.ndarray) -> Spec:
        tip = tail + self.scale * self.vector
        x, y = self.vector
        return {"type": "scatter", "x": [float(tail[0]), float(tip[0])], "y": [float(tail[1]), float(tip[1])],
                "mode": "lines+markers", "name": f"{self.name} (×{self.scale:.3g})",
                "line": {"color": self.color, "width": 3},
                "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 16], "color": self.color},
                "hovertemplate": f"{self.name} = ({x:.4g}, {y:.4g})<extra></extra>"}


def step_arrows(run: AdamRun, t: int, length: float) -> list[Arrow]:
    """−gₜ and −m̂ₜ on one shared scale, the update Δθₜ on its own; the longest of each is ``length``."""
    descent = {f"−g{_subscript(t)}": -run.row("grad", t), f"−m̂{_subscript(t)}": -run.row("m_hat", t)}
    largest = max(float(np.linalg.norm(v)) for v in descent.values())
    shared = length / largest if largest > 0 else 1.0
    update = run.row("update", t)
    update_norm = float(np.linalg.norm(update))
    arrows = [Arrow(name, vector, shared, color)
              for (name, vector), color in zip(descent.items(), (GRADIENT_COLOR, MOMENTUM_COLOR), strict=True)]
    arrows.append(Arrow(f"Δθ{_subscript(t)}", update, length / update_norm if update_norm > 0 else 1.0,
                        UPDATE_COLOR))
    return arrows


def step_figure(landscape, g: Grid, run: AdamRun, t: int, height: int = 420) -> SpecFigure:
    """Contour with the path so far, θₜ₋₁ → θₜ, and the arrows of step t (directions true, lengths scaled)."""
    (x0, x1), (y0, y1) = landscape.bounds
    tail = run.path[t - 1]
    done, ahead = run.path[:t + 1], run.path[t:]
    data = [contour_trace(g),
            {"type": "scatter", "x": typed(ahead[:, 0]), "y": typed(ahead[:, 1]), "mode": "lines",
             "name": "path after step t", "line": {"color": "rgba(255,255,255,0.5)", "width": 1.5, "dash": "dot"},
             "hoverinfo": "skip", "showlegend": False},
            {"type": "scatter", "x": typed(done[:, 0]), "y": typed(done[:, 1]), "mode": "lines",
             "name": "path up to θₜ", "line": {"color": PATH_COLOR, "width": 2}, "hoverinfo": "skip",
             "showlegend": False},
            *({**trace, "showlegend": False} for trace in markers(landscape, run.path[0]))]
    data += [arrow.trace(tail) for arrow in step_arrows(run, t, ARROW_FRACTION * min(x1 - x0, y1 - y0))]
    data.append({"type": "scatter", "x": [float(tail[0])], "y": [float(tail[1])], "mode": "markers",
                 "name": f"θ{_subscript(t - 1)}", "showlegend": False,
                 "marker": {"size": 10, "color": "white", "line": {"width": 2, "color": "#222222"}},
                 "hovertemplate": f"θ_{t - 1} = (%{{x:.4g}}, %{{y:.4g}})<extra></extra>"})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "closest",
              "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 13}},
              **contour_axes(landscape.bounds)}
    return SpecFigure({"data": data, "layout": layout})


def _subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _line(x, y, name: str, color: str, axis: int, dash: str = "solid") -> Spec:
    return {"type": "scatter", "x": typed(x, np.int32), "y": typed(y), "mode": "lines", "name": name,
            "line": {"color": color, "width": 2, "dash": dash}, "xaxis": f"x{axis}", "yaxis": f"y{axis}",
            "legendgroup": name, "showlegend": axis in (1, 4),
            "hovertemplate": name + " at t=%{x}: %{y:.4g}<extra></extra>"}


def _marker(t: int, value: float, color: str, axis: int) -> Spec:
    return {"type": "scatter", "x": [t], "y": [float(value)], "mode": "markers", "showlegend": False,
            "marker": {"size": 8, "color": color, "line": {"width": 1, "color": "white"}},
            "xaxis": f"x{axis}", "yaxis": f"y{axis}", "hoverinfo": "skip"}


def history_figure(run: AdamRun, t: int, height: int = 250) -> SpecFigure:
    """m̂, √v̂ and α/(√v̂ + ε) per axis over the run, and the bias-correction factors; a marker at step t."""
    steps = np.arange(1, run.steps + 1)
    panels = [("m̂ₜ", run.state["m_hat"][1:], "linear"), ("√v̂ₜ", np.sqrt(run.state["v_hat"][1:]), "log"),
              ("α / (√v̂ₜ + ε)", run.effective_step[1:], "log")]
    data: list[Spec] = []
    for axis, (_, values, _) in enumerate(panels, start=1):
        for k, name in enumerate(AXES):
            data.append(_line(steps, values[:, k], name, AXIS_COLORS[name], axis))
            data.append(_marker(t, values[t - 1, k], AXIS_COLORS[name], axis))
    factors = {"1 − β₁ᵗ": 1.0 - run.beta1 ** steps, "1 − β₂ᵗ": 1.0 - run.beta2 ** steps}
    for (name, values), color in zip(factors.items(), BETA_COLORS, strict=True):
        data.append(_line(steps, values, name, color, 4, dash="dash" if not run.bias_correction else "solid"))
        data.append(_marker(t, values[t - 1], color, 4))
    titles = [title for title, _, _ in panels]
    titles.append("bias correction 1 − βᵗ" + ("" if run.bias_correction else " (off: not applied)"))
    layout: Spec = {"height": height, "margin": {"l": 10, "r": 10, "t": 28, "b": 10}, "hovermode": "closest",
                    "legend": legend_below(font={"size": 12}), "annotations": [], "shapes": []}
    scales = [scale for _, _, scale in panels] + ["linear"]
    for axis, (title, scale) in enumerate(zip(titles, scales, strict=True), start=1):
        left = (axis - 1) * 0.26
        suffix = "" if axis == 1 else str(axis)
        layout[f"xaxis{suffix}"] = {"domain": [left, left + 0.2], "anchor": f"y{axis}", "title": {"text": "t"},
                                    "range": [0, run.steps + 1]}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{axis}", "type": scale, "exponentformat": "power"}
        layout["annotations"].append({"text": f"<b>{title}</b>", "xref": f"x{axis} domain", "yref": f"y{axis} domain",
                                      "x": 0.5, "y": 1.0, "yanchor": "bottom", "showarrow": False})
        layout["shapes"].append({"type": "line", "xref": f"x{axis}", "yref": f"y{axis} domain", "x0": t, "x1": t,
                                 "y0": 0, "y1": 1, "line": {"color": "#888888", "width": 1, "dash": "dot"}})
    return SpecFigure({"data": data, "layout": layout})


def epsilon_note(run: AdamRun, t: int) -> str | None:
    """A sentence when ε dwarfs √v̂ₜ on some axis: there Adam is SGD with momentum at rate α/ε."""
    root = np.sqrt(run.row("v_hat", t))
    dominated = [k for k in range(2) if run.eps > EPS_DOMINATES * root[k]]
    if not dominated:
        return None
    parts = [f"{AXES[k]}: √v̂ = {root[k]:.3g}" + (f", ε/√v̂ = {run.eps / root[k]:.3g}" if root[k] > 0 else "")
             for k in dominated]
    where = "both axes" if len(dominated) == 2 else f"the {AXES[dominated[0]]} axis"
    return (f"At step {t}, ε = {run.eps:g} is much larger than √v̂ₜ on {where} ({'; '.join(parts)}). "
            f"The denominator √v̂ + ε is then ≈ ε, so Δθ ≈ −(α/ε)·m̂ = −{run.lr / run.eps:.3g}·m̂: "
            "Adam is behaving like SGD with momentum, without its per-axis scaling.")


def bias_off_note(run: AdamRun, corrected_first_update: np.ndarray) -> str | None:
    """With bias correction off, how far the first step overshoots the corrected one (None when on)."""
    if run.bias_correction:
        return None
    b1, b2 = run.beta1, run.beta2
    first = run.row("update", 1)
    ratio = float(np.linalg.norm(first) / np.linalg.norm(corrected_first_update))
    steps = np.arange(1, run.steps + 1)
    boost = (1.0 - b1**steps) / np.sqrt(1.0 - b2**steps)
    worst = int(np.argmax(boost)) + 1
    return (f"Bias correction is off. m and v start at 0, so at t = 1 m₁ = {1 - b1:.3g}·g₁ and v₁ = {1 - b2:.3g}·g₁²: "
            f"the first step is Δθ₁ = ({first[0]:.3g}, {first[1]:.3g}), {ratio:.3g}× as long as with correction "
            f"(({corrected_first_update[0]:.3g}, {corrected_first_update[1]:.3g})). Without the division by 1 − βᵗ "
            f"the steps stay (1 − β₁ᵗ)/√(1 − β₂ᵗ) times too large — up to {boost[worst - 1]:.3g}× at t = {worst} — "
            "until β₂ᵗ fades.")
