"""The L2-vs-weight-decay page's controls and its cached runs (one batched engine call per sweep)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import landscapes
import optimizers
from viz.contour import Grid, grid
from viz.paths import RunPath
from viz.weight_decay import ADAM_L2, ADAMW, SGD_L2, DecayRun, pull_sentence

from . import links, presentation
from .controls import fmt, log_grid
from .share import BIND, url_number
from .view import CUSTOM, RunSpec, View

PREFIX = "weight_decay"
EPS = 1e-8
SWEEP = np.geomspace(1e-2, 10.0, 16)
STEP_CHOICES = (200, 500, 1000, 2000, 3000, 5000)
# Landscapes whose minimum is away from the origin, so the decay has something to pull against;
# each with the Playground view that shows the same f.
LANDSCAPES = {
    "Shifted quadratic (steep in y)": ("shifted_quadratic", {"landscape": CUSTOM,
                                                             "expression": "0.5*(x - 1.5)^2 + 12.5*(y - 1)^2"}),
    "Booth (tilted bowl)": ("booth", {"landscape": "booth"}),
}
DEFAULTS = {"landscape": "Shifted quadratic (steep in y)", "decay": 0.5, "lr": 0.01, "steps": 2000, "sgd_lr": 0.03}
UPDATE_RULES = (r"\small\begin{aligned}\text{Adam + L2:}\quad & g_t = \nabla J(\theta) + \lambda\theta\\"
                r"& \theta \leftarrow \theta - \frac{\alpha\,\hat m_t}{\sqrt{\hat v_t}+\varepsilon}\\[4pt]"
                r"\text{AdamW:}\quad & \theta \leftarrow \theta - \left(\frac{\alpha\,\hat m_t}"
                r"{\sqrt{\hat v_t}+\varepsilon} + \alpha\lambda\theta\right)\end{aligned}")
# The stationary point of SGD + L2 counts as the minimum of f + λ/2‖θ‖² where its gradient is this small.
CONVERGED = 1e-6


def _key(name: str) -> str:
    return f"{PREFIX}_{name}"


def build(name: str, decay: float = 0.0) -> landscapes.Landscape:
    """The landscape ``name`` (plus λ/2‖θ‖² when ``decay`` > 0)."""
    base = landscapes.shifted_quadratic() if name == "shifted_quadratic" else landscapes.get(name)
    return landscapes.with_l2(base, decay) if decay else base


@dataclass(frozen=True)
class Settings:
    landscape: str
    decay: float
    lr: float
    steps: int
    sgd_lr: float


def sidebar_controls(lesson=None) -> Settings:
    """The page's settings from the sidebar; λ and Adam's α go to ``lesson`` (a main-area place) when presenting."""
    for name, value in DEFAULTS.items():
        st.session_state.setdefault(_key(name), value)
    st.selectbox("Landscape", list(LANDSCAPES), key=_key("landscape"), bind=BIND,
                 index=list(LANDSCAPES).index(DEFAULTS["landscape"]))
    decay_slot, lr_slot, _ = presentation.lesson_slots(lesson, [1, 1, 1])
    linked = [v for v in [url_number(_key("decay"))] if v is not None and 0 <= v <= 100]
    choices = sorted({*log_grid(1e-2, 10.0), st.session_state[_key("decay")], *linked})
    decay = decay_slot.select_slider("weight decay λ", choices, key=_key("decay"), format_func=fmt, bind=BIND,
                                     value=DEFAULTS["decay"], help="the same λ for Adam + L2, AdamW and SGD")
    lr = lr_slot.select_slider("Adam's α", log_grid(1e-3, 0.1, (1.0, 2.0, 3.0, 5.0)), key=_key("lr"),
                               format_func=fmt, bind=BIND, value=DEFAULTS["lr"])
    steps = st.select_slider("Steps", STEP_CHOICES, key=_key("steps"), bind=BIND, value=DEFAULTS["steps"])
    sgd_lr = st.select_slider("SGD's α", log_grid(1e-3, 0.05, (1.0, 2.0, 3.0, 5.0)), key=_key("sgd_lr"), bind=BIND,
                              value=DEFAULTS["sgd_lr"], format_func=fmt,
                              help="SGD needs α < 2/(largest curvature + λ) to stay stable")
    return Settings(LANDSCAPES[st.session_state[_key("landscape")]][0], float(decay), float(lr), int(steps),
                    float(sgd_lr))


@st.cache_data(max_entries=32, show_spinner=False)
def contour_grid(name: str, decay: float) -> Grid:
    return grid(build(name, decay))


@st.cache_data(max_entries=64, show_spinner=False)
def _adam_runs(name: str, decay: float, lr: float, steps: int) -> tuple[DecayRun, DecayRun, np.ndarray, np.ndarray]:
    land = build(name)
    runs, losses = [], []
    for optimizer, label in (("adam", ADAM_L2), ("adamw", ADAMW)):
        trajectory = optimizers.run(optimizer, land, steps=steps, record_state=True, lr=lr, eps=EPS,
                                    weight_decay=decay)
        runs.append(DecayRun(label, trajectory.path, trajectory.state, lr, decay, EPS))
        losses.append(trajectory.loss)
    return runs[0], runs[1], losses[0], losses[1]


def adam_runs(s: Settings) -> tuple[DecayRun, DecayRun, list[RunPath]]:
    """Adam + L2 and AdamW with the same α and λ, and both as paths to draw."""
    adam, adamw, adam_loss, adamw_loss = _adam_runs(s.landscape, s.decay, s.lr, s.steps)
    return adam, adamw, [adam.as_path(adam_loss), adamw.as_path(adamw_loss)]


@st.cache_data(max_entries=64, show_spinner=False)
def sgd_pair(name: str, decay: float, lr: float, steps: int) -> tuple[RunPath, RunPath]:
    """SGD with weight_decay = λ on f, and plain SGD on f + λ/2‖θ‖², from the same start."""
    decayed = optimizers.run("sgd", build(name), steps=steps, lr=lr, weight_decay=decay)
    penalized = optimizers.run("sgd", build(name, decay), start=build(name).start, steps=steps, lr=lr)
    return (RunPath(SGD_L2, "#222222", decayed.path, decayed.loss, int(decayed.diverged_at)),
            RunPath("SGD on f + λ/2‖θ‖²", "#009E73", penalized.path, penalized.loss, int(penalized.diverged_at)))


@st.cache_data(max_entries=32, show_spinner=False)
def sweep(name: str, lr: float, steps: int, sgd_lr: float) -> dict[str, np.ndarray]:
    """Where each optimizer ends for every λ in SWEEP: one batched engine call per optimizer."""
    land = build(name)
    return {label: optimizers.run(optimizer, land, steps=steps, keep_path=False, lr=rate, weight_decay=SWEEP,
                                  **extra).final_point
            for label, optimizer, rate, extra in ((ADAM_L2, "adam", lr, {"eps": EPS}),
                                                  (ADAMW, "adamw", lr, {"eps": EPS}), (SGD_L2, "sgd", sgd_lr, {}))}


def l2_reference(s: Settings, sgd_end: np.ndarray) -> tuple[tuple[float, float], str]:
    """SGD + L2's end point, named the minimum of f + λ/2‖θ‖² if the penalized gradient vanishes there."""
    converged = np.linalg.norm(build(s.landscape, s.decay).grad(sgd_end)) < CONVERGED
    name = "minimum of f + λ/2‖θ‖² (SGD + L2 ends here)" if converged else f"SGD + L2 after {s.steps} steps"
    return (float(sgd_end[0]), float(sgd_end[1])), name


def playground_view(s: Settings) -> View:
    """The closest Playground view: the three runs on f (the Playground cannot add the penalty to f)."""
    where = next(view for name, view in LANDSCAPES.values() if name == s.landscape)
    start = tuple(float(v) for v in build(s.landscape).start)
    return View(**where, start=start, steps=s.steps, runs=(RunSpec.of("adam", lr=s.lr, weight_decay=s.decay),
                                              RunSpec.of("adamw", lr=s.lr, weight_decay=s.decay),
                                              RunSpec.of("sgd", lr=s.sgd_lr, weight_decay=s.decay)))


def pull_summary(adam: DecayRun, adamw: DecayRun) -> None:
    st.caption(pull_sentence(adam, adamw))


def playground_link(s: Settings) -> None:
    links.playground_link(playground_view(s), "Open these runs in the Playground (on f; it cannot add the penalty)")
