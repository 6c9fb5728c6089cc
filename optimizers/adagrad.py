"""Adagrad: divide each axis by the root of the *sum* of its squared gradients.

    g ← g + λθ
    sₜ = sₜ₋₁ + g²
    θ ← θ − α / (1 + (t − 1)·η) · g / (√sₜ + ε)      (η is ``lr_decay``)
"""

from typing import Any, NamedTuple

import numpy as np

from .elementwise import add_l2, root
from .spec import Hyperparameter, OptimizerSpec, epsilon, learning_rate, weight_decay


class AdagradState(NamedTuple):
    s: Any  # the sum of squared gradients


def _init(theta, hp):
    return AdagradState(s=np.zeros_like(theta))


def _step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    s = state.s + g * g
    decayed_lr = lr / (1.0 + (t - 1) * hp["lr_decay"])
    return theta - decayed_lr * g / (root(s) + hp["eps"]), AdagradState(s)


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
    twin="Adagrad",
)
