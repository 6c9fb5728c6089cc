"""The moving-average page's controls, and the Playground view that shows the same β at work."""

from __future__ import annotations

import streamlit as st

import optimizers

from . import stepping
from .controls import hyperparameter_input
from .ema_stream import STEPS
from .share import BIND, bound_default
from .view import RunSpec, View

BETA_KEY = "ema_beta"
STEP_KEY = "ema_step"


def beta_and_step() -> tuple[float, int]:
    """A β select-slider (0 … 0.9999) and a step slider t side by side, with Play for t."""
    bound_default(STEP_KEY, 10)  # β's default is the knob's own (0.9)
    left, right, play_column, speed_column = st.columns([3, 3, 1.3, 1.3], vertical_alignment="bottom")
    with left:
        beta = hyperparameter_input(optimizers.get("momentum").hyperparameter("beta"), BETA_KEY, bind=BIND)
    stepping.play("ema", STEP_KEY, STEPS, play_column, speed_column)
    with right:
        step = st.slider("step $t$", 1, STEPS, key=STEP_KEY, help="the step whose numbers the equation shows",
                         value=10, bind=BIND)
    return float(beta), int(step)


def playground_view(beta: float) -> View:
    """Noisy gradients on a valley: SGD, Momentum with this β, and Adam (β₁ = β) with and without bias correction."""
    return View(
        landscape="quadratic", landscape_params=(("condition", 10.0), ("angle", 0.0)), steps=300, noise=1.0,
        runs=(RunSpec.of("sgd", lr=0.02), RunSpec.of("momentum", lr=0.02, beta=beta),
              RunSpec.of("adam", lr=0.02, beta1=beta),
              RunSpec.of("adam", lr=0.02, beta1=beta, bias_correction=False)),
    )
