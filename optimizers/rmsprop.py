"""RMSprop: divide each axis by the root of a moving average of its squared gradients.

PyTorch's form (β is PyTorch's ``alpha``; μ momentum, λ L2 weight decay):

    g ← g + λθ
    sₜ = β sₜ₋₁ + (1 − β) g²
    ḡₜ = β ḡₜ₋₁ + (1 − β) g,  s̃ = sₜ − ḡₜ²   (centered)   else s̃ = sₜ
    d = g / (√s̃ + ε)          or the article's  d = g / √(s̃ + ε)  (eps_in_sqrt)
    bₜ = μ bₜ₋₁ + d,  θ ← θ − α bₜ   (μ > 0)   else θ ← θ − α d
"""

import numpy as np

from .elementwise import root
from .sgd import add_l2, nonzero
from .spec import (
    Hyperparameter,
    OptimizerSpec,
    beta,
    epsilon,
    format_call,
    learning_rate,
    switch,
    torch_float,
    weight_decay,
)


def _init(theta, hp):
    state = {"s": np.zeros_like(theta)}
    if hp["centered"]:
        state["g_avg"] = np.zeros_like(theta)
    if nonzero(hp["momentum"]):
        state["b"] = np.zeros_like(theta)
    return state


def _step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    b = hp["beta"]
    new = {"s": b * state["s"] + (1.0 - b) * g * g}
    variance = new["s"]
    if hp["centered"]:
        new["g_avg"] = b * state["g_avg"] + (1.0 - b) * g
        variance = variance - new["g_avg"] * new["g_avg"]
    direction = g / root(variance + hp["eps"]) if hp["eps_in_sqrt"] else g / (root(variance) + hp["eps"])
    if "b" in state:
        new["b"] = hp["momentum"] * state["b"] + direction
        direction = new["b"]
    return theta - lr * direction, new


def _pytorch(s):
    if s["eps_in_sqrt"]:
        return None
    args = {"lr": torch_float(s["lr"]), "alpha": torch_float(s["beta"]), "eps": torch_float(s["eps"])}
    if s["weight_decay"]:
        args["weight_decay"] = torch_float(s["weight_decay"])
    if s["momentum"]:
        args["momentum"] = torch_float(s["momentum"])
    if s["centered"]:
        args["centered"] = "True"
    return format_call("RMSprop", args)


def _no_twin(s):
    if s["eps_in_sqrt"]:
        return "eps_in_sqrt=True is the article's α/√(s + ε); PyTorch's RMSprop adds ε outside the root."
    return None


RMSPROP = OptimizerSpec(
    id="rmsprop",
    label="RMSprop",
    summary="Gives every axis its own step size: large where gradients are small, small where they are large.",
    update_rule=(r"s_t = \beta s_{t-1} + (1 - \beta) \left[\nabla_\theta J(\theta)\right]^2 \\"
                 r"\theta \leftarrow \theta - \frac{\alpha}{\sqrt{s_t} + \varepsilon} \nabla_\theta J(\theta)"),
    hyperparameters=(
        learning_rate(1e-2),
        beta("beta", r"\beta", 0.99, "smoothing of the squared-gradient average (PyTorch's alpha)"),
        epsilon(1e-8),
        weight_decay(),
        Hyperparameter("momentum", r"\mu", 0.0, "momentum on the scaled step (0 turns it off)",
                       low=0.0, high=1.0, high_inclusive=False, slider=(0.0, 0.999)),
        switch("centered", False, "divide by the gradient's variance instead of its second moment"),
        switch("eps_in_sqrt", False, "the article's form: ε inside the square root"),
    ),
    init=_init,
    step=_step,
    pytorch=_pytorch,
    no_twin_reason=_no_twin,
)
