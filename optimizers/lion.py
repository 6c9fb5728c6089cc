"""Lion (Chen et al. 2023): a sign step on an interpolated momentum.

    c = β₁ m + (1 − β₁) g
    θ ← θ − α (sign(c) + λθ)
    m ← β₂ m + (1 − β₂) g
"""

from typing import Any, NamedTuple

import numpy as np

from .elementwise import nonzero
from .spec import OptimizerSpec, beta, learning_rate, weight_decay


class LionState(NamedTuple):
    m: Any  # the moving average of the gradients


def _init(theta, hp):
    return LionState(m=np.zeros_like(theta))


def _step(theta, g, state, t, lr, hp):
    c = hp["beta1"] * state.m + (1.0 - hp["beta1"]) * g
    d = np.sign(c)
    if nonzero(hp["weight_decay"]):
        d = d + hp["weight_decay"] * theta
    m = hp["beta2"] * state.m + (1.0 - hp["beta2"]) * g
    return theta - lr * d, LionState(m)


LION = OptimizerSpec(
    id="lion",
    label="Lion",
    summary="Moves every axis by exactly ±α: only the sign of an interpolated momentum counts.",
    update_rule=(r"c_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\"
                 r"\theta \leftarrow \theta - \alpha\left(\operatorname{sign}(c_t) + \lambda\theta\right) \\"
                 r"m_t = \beta_2 m_{t-1} + (1 - \beta_2)\, g_t"),
    hyperparameters=(
        learning_rate(1e-4),
        beta("beta1", r"\beta_1", 0.9, "mix of momentum and gradient that is signed"),
        beta("beta2", r"\beta_2", 0.99, "smoothing of the momentum m"),
        weight_decay(0.0, "decoupled weight decay λ"),
    ),
    init=_init,
    step=_step,
    no_twin="Lion (Chen et al. 2023) is not in torch.optim.",
)
