"""NAdam, RAdam and Adamax: Adam with Nesterov look-ahead, a rectified start, or the ∞-norm.

NAdam (ψ is ``momentum_decay``), with μₜ = β₁(1 − ½·0.96^(tψ)) and Πₜ = μ₁⋯μₜ:
    θ ← θ − α(1 − μₜ)/(1 − Πₜ) · g/(√v̂ₜ + ε) − α μₜ₊₁/(1 − Πₜμₜ₊₁) · mₜ/(√v̂ₜ + ε)

RAdam, with ρ∞ = 2/(1 − β₂) − 1 and ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ):
    θ ← θ − α m̂ₜ rₜ √(1 − β₂ᵗ)/(√vₜ + ε)  if ρₜ > 5,   else θ ← θ − α m̂ₜ
    rₜ = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ))

Adamax:  uₜ = max(β₂ uₜ₋₁, |g| + ε),   θ ← θ − α/(1 − β₁ᵗ) · mₜ/uₜ

All three add L2 weight decay to the gradient: g ← g + λθ.
"""

from typing import Any, NamedTuple

import numpy as np

from .adam import moments
from .elementwise import add_l2, larger, root
from .spec import Hyperparameter, OptimizerSpec, adam_betas, epsilon, learning_rate, weight_decay


class MomentsState(NamedTuple):
    m: Any  # the moving average of g
    v: Any  # the moving average of g²


def _moments_init(theta, hp):
    return MomentsState(np.zeros_like(theta), np.zeros_like(theta))


def _common(lr_default):
    return (
        learning_rate(lr_default),
        *adam_betas("smoothing of the gradient average m", "smoothing of the squared-gradient average v"),
        epsilon(1e-8),
        weight_decay(),
    )


class NAdamState(NamedTuple):
    m: Any
    v: Any
    mu_product: Any  # Πₜ = μ₁⋯μₜ, one per run: shape (*batch, 1)


def _nadam_init(theta, hp):
    return NAdamState(np.zeros_like(theta), np.zeros_like(theta), np.ones((*np.shape(theta)[:-1], 1)))


def _nadam_mu(beta1, psi, t):
    return beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))


def _nadam_step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    mu = _nadam_mu(hp["beta1"], hp["momentum_decay"], t)
    mu_next = _nadam_mu(hp["beta1"], hp["momentum_decay"], t + 1)
    mu_product = state.mu_product * mu
    m, v = moments(g, state.m, state.v, hp)
    v_hat = v / (1.0 - hp["beta2"] ** t)
    denominator = root(v_hat) + hp["eps"]
    # Two separate updates, each rounded into θ, as PyTorch does: near a minimum the steps are
    # below θ's last bit, and summing them first would round differently.
    theta = theta - lr * (1.0 - mu) / (1.0 - mu_product) * g / denominator
    theta = theta - lr * mu_next / (1.0 - mu_product * mu_next) * m / denominator
    return theta, NAdamState(m, v, mu_product)


NADAM = OptimizerSpec(
    id="nadam",
    label="NAdam",
    summary="Adam with Nesterov's look-ahead: the momentum step is taken from where it is about to go.",
    update_rule=(r"\mu_t = \beta_1\left(1 - \tfrac12\, 0.96^{t\psi}\right) \\"
                 r"\theta \leftarrow \theta - \frac{\alpha}{\sqrt{\hat{v}_t} + \varepsilon}"
                 r"\left(\frac{(1 - \mu_t)\, g_t}{1 - \prod_{i \le t}\mu_i}"
                 r" + \frac{\mu_{t+1} m_t}{1 - \prod_{i \le t+1}\mu_i}\right)"),
    hyperparameters=(*_common(2e-3), Hyperparameter(
        "momentum_decay", r"\psi", 4e-3, "how fast μₜ warms up towards β₁", low=0.0, log=True, slider=(1e-4, 1.0))),
    init=_nadam_init,
    step=_nadam_step,
    twin="NAdam",
)


def _radam_step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    m, v = moments(g, state.m, state.v, hp)
    m_hat = m / (1.0 - hp["beta1"] ** t)
    beta2 = hp["beta2"]
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    beta2_t = beta2**t
    rho = rho_inf - 2.0 * t * beta2_t / (1.0 - beta2_t)
    rectified = rho > 5.0
    if not np.any(rectified):
        # As torch.optim.RAdam, the rectification is not even formed: with ρ∞ = 4 (β₂ = 0.6) it divides by zero.
        return theta - lr * m_hat, MomentsState(m, v)
    r = np.sqrt((rho - 4.0) * (rho - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho))
    # RAdam adds ε to √v before the bias correction, unlike Adam.
    adaptive = lr * m_hat * r * root(1.0 - beta2_t) / (root(v) + hp["eps"])
    return theta - np.where(rectified, adaptive, lr * m_hat), MomentsState(m, v)


RADAM = OptimizerSpec(
    id="radam",
    label="RAdam",
    summary="Adam that takes plain momentum steps until its variance estimate can be trusted.",
    update_rule=(r"\rho_t = \rho_\infty - \frac{2t\beta_2^t}{1 - \beta_2^t} \\"
                 r"\theta \leftarrow \theta - \alpha \hat{m}_t\, r_t"
                 r" \frac{\sqrt{1 - \beta_2^t}}{\sqrt{v_t} + \varepsilon}"
                 r"\ \ (\rho_t > 5), \qquad \theta \leftarrow \theta - \alpha \hat{m}_t\ \ \text{otherwise}"),
    hyperparameters=_common(1e-3),
    init=_moments_init,
    step=_radam_step,
    twin="RAdam",
)


class AdamaxState(NamedTuple):
    m: Any  # the moving average of g
    u: Any  # the decaying maximum of |g|


def _adamax_init(theta, hp):
    return AdamaxState(np.zeros_like(theta), np.zeros_like(theta))


def _adamax_step(theta, g, state, t, lr, hp):
    g = add_l2(g, theta, hp["weight_decay"])
    m = hp["beta1"] * state.m + (1.0 - hp["beta1"]) * g
    u = larger(hp["beta2"] * state.u, abs(g) + hp["eps"])
    return theta - lr / (1.0 - hp["beta1"] ** t) * m / u, AdamaxState(m, u)


ADAMAX = OptimizerSpec(
    id="adamax",
    label="Adamax",
    summary="Adam with the largest recent gradient in place of the root-mean-square one.",
    update_rule=(r"u_t = \max\left(\beta_2 u_{t-1}, |g_t| + \varepsilon\right) \\"
                 r"\theta \leftarrow \theta - \frac{\alpha}{1 - \beta_1^t} \frac{m_t}{u_t}"),
    hyperparameters=_common(2e-3),
    init=_adamax_init,
    step=_adamax_step,
    twin="Adamax",
)
