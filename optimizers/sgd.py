"""Plain SGD with optional heavy-ball or Nesterov momentum, and the article's Momentum.

SGD, as PyTorch writes it (λ is L2 weight decay, μ momentum, τ dampening):

    g ← g + λθ
    b₁ = g,  bₜ = μ bₜ₋₁ + (1 − τ) g          (the first buffer has no dampening)
    d = g + μ bₜ  (Nesterov)  or  d = bₜ     (or d = g when μ = 0)
    θ ← θ − α d

Momentum, as the article writes it: vₜ = β vₜ₋₁ + (1 − β) g,  θ ← θ − α vₜ.
It is exactly ``torch.optim.SGD(lr=α(1 − β), momentum=β)``.
"""

from typing import Any, NamedTuple

import numpy as np

from .elementwise import add_l2, nonzero
from .spec import Hyperparameter, OptimizerSpec, beta, learning_rate, switch, weight_decay


class SGDState(NamedTuple):
    b: Any  # the momentum buffer


def _sgd_init(theta, hp):
    return SGDState(b=np.zeros_like(theta))


def _sgd_step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    mu = hp["momentum"]
    if not nonzero(mu):
        return theta - lr * g, state
    b = g if t == 1 else mu * state.b + (1.0 - hp["dampening"]) * g
    d = g + mu * b if hp["nesterov"] else b
    # PyTorch keeps no buffer where μ = 0, so dampening must not touch those runs' steps.
    d = np.where(mu == 0, g, d) if np.ndim(mu) else d
    return theta - lr * d, SGDState(b)


def _sgd_check(settings):
    if settings["nesterov"] and (np.any(np.asarray(settings["momentum"]) <= 0) or np.any(settings["dampening"])):
        raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")


SGD = OptimizerSpec(
    id="sgd",
    label="SGD",
    summary="Steps straight down the gradient; momentum adds a running sum of past steps.",
    update_rule=r"\theta \leftarrow \theta - \alpha \left(\nabla_\theta J(\theta) + \lambda\theta\right)",
    hyperparameters=(
        learning_rate(1e-3),
        Hyperparameter("momentum", r"\mu", 0.0, "heavy-ball momentum μ (0 turns it off)",
                       low=0.0, high=1.0, high_inclusive=False, slider=(0.0, 0.999)),
        Hyperparameter("dampening", r"\tau", 0.0, "scales down the new gradient in the buffer",
                       low=0.0, high=1.0, slider=(0.0, 1.0)),
        switch("nesterov", False, "look-ahead (Nesterov) momentum"),
        weight_decay(),
    ),
    init=_sgd_init,
    step=_sgd_step,
    twin="SGD",
    check=_sgd_check,
)


class MomentumState(NamedTuple):
    v: Any  # the moving average of the gradients


def _momentum_init(theta, hp):
    return MomentumState(v=np.zeros_like(theta))


def _momentum_step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    v = hp["beta"] * state.v + (1.0 - hp["beta"]) * g
    return theta - lr * v, MomentumState(v)


MOMENTUM = OptimizerSpec(
    id="momentum",
    label="Momentum",
    summary="Follows an exponential moving average of the gradients, so steady directions build up speed.",
    update_rule=(r"v_t = \beta v_{t-1} + (1 - \beta)\, \nabla_\theta J(\theta) \\"
                 r"\theta \leftarrow \theta - \alpha v_t"),
    hyperparameters=(
        # Written as α * (1 - β) so the relation shows; Python evaluates it to exactly our α(1−β).
        learning_rate(1e-3, torch="lr={lr} * (1 - {beta})"),
        beta("beta", r"\beta", 0.9, "smoothing of the gradient average", torch="momentum={beta}"),
        weight_decay(),
    ),
    init=_momentum_init,
    step=_momentum_step,
    twin="SGD",
)
