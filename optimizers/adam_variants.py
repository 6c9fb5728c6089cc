"""NAdam, RAdam and Adamax: Adam with Nesterov look-ahead, a rectified start, or the ∞-norm.

NAdam (ψ is ``momentum_decay``), with μₜ = β₁(1 − ½·0.96^(tψ)) and Πₜ = μ₁⋯μₜ:
    θ ← θ − α(1 − μₜ)/(1 − Πₜ) · g/(√v̂ₜ + ε) − α μₜ₊₁/(1 − Πₜμₜ₊₁) · mₜ/(√v̂ₜ + ε)

RAdam, with ρ∞ = 2/(1 − β₂) − 1 and ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ):
    θ ← θ − α m̂ₜ rₜ √(1 − β₂ᵗ)/(√vₜ + ε)  if ρₜ > 5,   else θ ← θ − α m̂ₜ
    rₜ = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ))

Adamax:  uₜ = max(β₂ uₜ₋₁, |g| + ε),   θ ← θ − α/(1 − β₁ᵗ) · mₜ/uₜ

All three add L2 weight decay to the gradient: g ← g + λθ.
"""

import numpy as np

from .adam import moments
from .elementwise import power, root
from .sgd import add_l2
from .spec import Hyperparameter, OptimizerSpec, beta, epsilon, format_call, learning_rate, torch_float, weight_decay


def _moments_init(theta, hp):
    return {"m": np.zeros_like(theta), "v": np.zeros_like(theta)}


def _common(lr_default, eps_help_default=1e-8):
    return (
        learning_rate(lr_default),
        beta("beta1", r"\beta_1", 0.9, "smoothing of the gradient average m"),
        beta("beta2", r"\beta_2", 0.999, "smoothing of the squared-gradient average v"),
        epsilon(eps_help_default),
        weight_decay(),
    )


def _pytorch_for(name, extra=()):
    def call(s):
        args = {"lr": torch_float(s["lr"]), "betas": f"({torch_float(s['beta1'])}, {torch_float(s['beta2'])})",
                "eps": torch_float(s["eps"]), "weight_decay": torch_float(s["weight_decay"])}
        args.update({key: torch_float(s[key]) for key in extra})
        return format_call(name, args)
    return call


def _nadam_init(theta, hp):
    return {**_moments_init(theta, hp), "mu_product": np.ones((*np.shape(theta)[:-1], 1))}


def _nadam_mu(beta1, psi, t):
    return beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))


def _nadam_step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    mu = _nadam_mu(hp["beta1"], hp["momentum_decay"], t)
    mu_next = _nadam_mu(hp["beta1"], hp["momentum_decay"], t + 1)
    mu_product = state["mu_product"] * mu
    m, v = moments(g, state, hp)
    denominator = root(v / (1.0 - power(hp["beta2"], t))) + hp["eps"]
    # Two separate updates, each rounded into θ, as PyTorch does: near a minimum the steps are
    # below θ's last bit, and summing them first would round differently.
    theta = theta - lr * (1.0 - mu) / (1.0 - mu_product) * g / denominator
    theta = theta - lr * mu_next / (1.0 - mu_product * mu_next) * m / denominator
    return theta, {"m": m, "v": v, "mu_product": mu_product}


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
    pytorch=_pytorch_for("NAdam", ("momentum_decay",)),
)


def _radam_step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    m, v = moments(g, state, hp)
    m_hat = m / (1.0 - power(hp["beta1"], t))
    beta2 = hp["beta2"]
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    bias2 = 1.0 - power(beta2, t)
    rho = rho_inf - 2.0 * t * power(beta2, t) / bias2
    rectified = rho > 5.0
    if not np.any(rectified):
        # As torch.optim.RAdam, the rectification is not even formed: with ρ∞ = 4 (β₂ = 0.6) it divides by zero.
        return theta - lr * m_hat, {"m": m, "v": v}
    rectification = np.sqrt((rho - 4.0) * (rho - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho))
    # RAdam adds ε to √v before the bias correction, unlike Adam.
    adaptive = lr * m_hat * rectification * root(bias2) / (root(v) + hp["eps"])
    step = np.where(rectified, adaptive, lr * m_hat)
    return theta - step, {"m": m, "v": v}


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
    pytorch=_pytorch_for("RAdam"),
)


def _adamax_init(theta, hp):
    return {"m": np.zeros_like(theta), "u": np.zeros_like(theta)}


def _adamax_step(theta, grad, state, t, lr, hp):
    g = add_l2(grad, theta, hp["weight_decay"])
    m = hp["beta1"] * state["m"] + (1.0 - hp["beta1"]) * g
    u = np.maximum(hp["beta2"] * state["u"], np.abs(g) + hp["eps"])
    return theta - lr / (1.0 - power(hp["beta1"], t)) * m / u, {"m": m, "u": u}


ADAMAX = OptimizerSpec(
    id="adamax",
    label="Adamax",
    summary="Adam with the largest recent gradient in place of the root-mean-square one.",
    update_rule=(r"u_t = \max\left(\beta_2 u_{t-1}, |g_t| + \varepsilon\right) \\"
                 r"\theta \leftarrow \theta - \frac{\alpha}{1 - \beta_1^t} \frac{m_t}{u_t}"),
    hyperparameters=_common(2e-3),
    init=_adamax_init,
    step=_adamax_step,
    pytorch=_pytorch_for("Adamax"),
)
