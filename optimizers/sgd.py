"""Plain SGD with optional heavy-ball or Nesterov momentum, and the article's Momentum.

SGD, as PyTorch writes it (λ is L2 weight decay, μ momentum, τ dampening):

    g ← g + λθ
    b₁ = g,  bₜ = μ bₜ₋₁ + (1 − τ) g          (the first buffer has no dampening)
    d = g + μ bₜ  (Nesterov)  or  d = bₜ     (or d = g when μ = 0)
    θ ← θ − α d

Momentum, as the article writes it: vₜ = β vₜ₋₁ + (1 − β) g,  θ ← θ − α vₜ.
It is exactly ``torch.optim.SGD(lr=α(1 − β), momentum=β)``.
"""

import numpy as np

from .spec import Hyperparameter, OptimizerSpec, beta, format_call, learning_rate, switch, torch_float, weight_decay


def nonzero(value) -> bool:
    """Whether a hyperparameter is non-zero anywhere in the batch."""
    # A float unless it was batched; np.any on a float costs as much as a one-run step.
    return value != 0.0 if isinstance(value, float) else bool(np.any(value))


def add_l2(grad: np.ndarray, theta: np.ndarray, decay) -> np.ndarray:
    """g + λθ: L2 regularization folded into the gradient (a no-op when λ is 0)."""
    return grad + decay * theta if nonzero(decay) else grad


def _sgd_init(theta, hp):
    return {"b": np.zeros_like(theta)}


def _sgd_step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    mu = hp["momentum"]
    if not nonzero(mu):
        return theta - lr * g, state
    b = g if t == 1 else mu * state["b"] + (1.0 - hp["dampening"]) * g
    direction = g + mu * b if hp["nesterov"] else b
    # PyTorch keeps no buffer where μ = 0, so dampening must not touch those runs' steps.
    direction = np.where(mu == 0, g, direction) if np.ndim(mu) else direction
    return theta - lr * direction, {"b": b}


def _sgd_check(settings):
    if settings["nesterov"] and (np.any(np.asarray(settings["momentum"]) <= 0) or np.any(settings["dampening"])):
        raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")


def _sgd_pytorch(s):
    args = {"lr": torch_float(s["lr"])}
    if s["momentum"]:
        args["momentum"] = torch_float(s["momentum"])
    if s["dampening"]:
        args["dampening"] = torch_float(s["dampening"])
    if s["weight_decay"]:
        args["weight_decay"] = torch_float(s["weight_decay"])
    if s["nesterov"]:
        args["nesterov"] = "True"
    return format_call("SGD", args)


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
    pytorch=_sgd_pytorch,
    check=_sgd_check,
)


def _momentum_init(theta, hp):
    return {"v": np.zeros_like(theta)}


def _momentum_step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    v = hp["beta"] * state["v"] + (1.0 - hp["beta"]) * g
    return theta - lr * v, {"v": v}


def _momentum_pytorch(s):
    # Written as α * (1 - β) so the relation shows; Python evaluates it to exactly our α(1−β).
    args = {"lr": f"{torch_float(s['lr'])} * (1 - {torch_float(s['beta'])})", "momentum": torch_float(s["beta"])}
    if s["weight_decay"]:
        args["weight_decay"] = torch_float(s["weight_decay"])
    return format_call("SGD", args)


MOMENTUM = OptimizerSpec(
    id="momentum",
    label="Momentum",
    summary="Follows an exponential moving average of the gradients, so steady directions build up speed.",
    update_rule=(r"v_t = \beta v_{t-1} + (1 - \beta)\, \nabla_\theta J(\theta) \\"
                 r"\theta \leftarrow \theta - \alpha v_t"),
    hyperparameters=(
        learning_rate(1e-3),
        beta("beta", r"\beta", 0.9, "smoothing of the gradient average"),
        weight_decay(),
    ),
    init=_momentum_init,
    step=_momentum_step,
    pytorch=_momentum_pytorch,
)
