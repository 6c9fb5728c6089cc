"""Adagrad: divide each axis by the root of the *sum* of its squared gradients.

    g ← g + λθ
    sₜ = sₜ₋₁ + g²
    θ ← θ − α / (1 + (t − 1)·η) · g / (√sₜ + ε)      (η is ``lr_decay``)
"""

import numpy as np

from .elementwise import root
from .sgd import add_l2
from .spec import Hyperparameter, OptimizerSpec, epsilon, format_call, learning_rate, torch_float, weight_decay


def _init(theta, hp):
    return {"s": np.zeros_like(theta)}


def _step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    s = state["s"] + g * g
    decayed_lr = lr / (1.0 + (t - 1) * hp["lr_decay"])
    return theta - decayed_lr * g / (root(s) + hp["eps"]), {"s": s}


def _pytorch(s):
    args = {"lr": torch_float(s["lr"]), "eps": torch_float(s["eps"])}
    if s["lr_decay"]:
        args["lr_decay"] = torch_float(s["lr_decay"])
    if s["weight_decay"]:
        args["weight_decay"] = torch_float(s["weight_decay"])
    return format_call("Adagrad", args)


ADAGRAD = OptimizerSpec(
    id="adagrad",
    label="Adagrad",
    summary="Like RMSprop but sums squared gradients forever, so every axis's step only shrinks.",
    update_rule=(r"s_t = s_{t-1} + \left[\nabla_\theta J(\theta)\right]^2 \\"
                 r"\theta \leftarrow \theta - \frac{\alpha}{\sqrt{s_t} + \varepsilon} \nabla_\theta J(\theta)"),
    hyperparameters=(
        learning_rate(1e-2),
        epsilon(1e-10),
        weight_decay(),
        Hyperparameter("lr_decay", r"\eta", 0.0, "shrinks α as 1/(1 + (t − 1)η)", low=0.0, log=True,
                       slider=(1e-5, 1.0)),
    ),
    init=_init,
    step=_step,
    pytorch=_pytorch,
)
