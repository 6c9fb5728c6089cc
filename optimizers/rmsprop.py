"""RMSprop: divide each axis by the root of a moving average of its squared gradients.

PyTorch's form (β is PyTorch's ``alpha``; μ momentum, λ L2 weight decay):

    g ← g + λθ
    sₜ = β sₜ₋₁ + (1 − β) g²
    ḡₜ = β ḡₜ₋₁ + (1 − β) g,  s̃ = sₜ − ḡₜ²   (centered)   else s̃ = sₜ
    d = g / (√s̃ + ε)          or the article's  d = g / √(s̃ + ε)  (eps_in_sqrt)
    bₜ = μ bₜ₋₁ + d,  θ ← θ − α bₜ   (μ > 0)   else θ ← θ − α d
"""

from typing import Any, NamedTuple

import numpy as np

from .elementwise import add_l2, nonzero, root
from .spec import Hyperparameter, OptimizerSpec, beta, epsilon, learning_rate, switch, weight_decay


class RMSpropState(NamedTuple):
    s: Any  # the moving average of g²
    g_avg: Any  # the moving average of g (centered only)
    b: Any  # the momentum buffer (μ > 0 only)


def _init(theta, hp):
    return RMSpropState(*(np.zeros_like(theta) for _ in RMSpropState._fields))


def _step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    rho = hp["beta"]
    s = rho * state.s + (1.0 - rho) * g * g
    g_avg, b = state.g_avg, state.b
    s_tilde = s
    if hp["centered"]:
        g_avg = rho * g_avg + (1.0 - rho) * g
        s_tilde = s - g_avg * g_avg
    d = g / root(s_tilde + hp["eps"]) if hp["eps_in_sqrt"] else g / (root(s_tilde) + hp["eps"])
    if nonzero(hp["momentum"]):
        b = hp["momentum"] * b + d
        d = b
    return theta - lr * d, RMSpropState(s, g_avg, b)


RMSPROP = OptimizerSpec(
    id="rmsprop",
    label="RMSprop",
    summary="Gives every axis its own step size: large where gradients are small, small where they are large.",
    update_rule=(r"s_t = \beta s_{t-1} + (1 - \beta) \left[\nabla_\theta J(\theta)\right]^2 \\"
                 r"\theta \leftarrow \theta - \frac{\alpha}{\sqrt{s_t} + \varepsilon} \nabla_\theta J(\theta)"),
    hyperparameters=(
        learning_rate(1e-2),
        beta("beta", r"\beta", 0.99, "smoothing of the squared-gradient average (PyTorch's alpha)",
             torch="alpha={beta}"),
        epsilon(1e-8),
        weight_decay(),
        Hyperparameter("momentum", r"\mu", 0.0, "momentum on the scaled step (0 turns it off)",
                       low=0.0, high=1.0, high_inclusive=False, slider=(0.0, 0.999)),
        switch("centered", False, "divide by the gradient's variance instead of its second moment"),
        switch("eps_in_sqrt", False, "the article's form: ε inside the square root",
               no_twin="eps_in_sqrt=True is the article's α/√(s + ε); PyTorch's RMSprop adds ε outside the root."),
    ),
    init=_init,
    step=_step,
    twin="RMSprop",
)
