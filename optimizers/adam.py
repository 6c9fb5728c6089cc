"""Adam, and AdamW with decoupled weight decay, in the article's notation.

    g ← g + λθ                                   (Adam: L2 enters the gradient)
    θ ← θ − αλθ                                  (AdamW: decay acts on θ directly, first)
    mₜ = β₁ mₜ₋₁ + (1 − β₁) g,   vₜ = β₂ vₜ₋₁ + (1 − β₂) g²
    m̂ₜ = mₜ / (1 − β₁ᵗ),         v̂ₜ = vₜ / (1 − β₂ᵗ)        (v̂ uses max(v) with amsgrad)
    θ ← θ − α m̂ₜ / (√v̂ₜ + ε)

``bias_correction=False`` drops the two divisions, a teaching switch with no PyTorch twin.
The step is the same quantity with the corrections as scalars, the Adam paper's efficient form:
θ ← θ − α√(1 − β₂ᵗ)/(1 − β₁ᵗ) · mₜ / (√vₜ + ε√(1 − β₂ᵗ)), one pass over the arrays fewer than
torch.optim's α/(1 − β₁ᵗ) · mₜ / (√vₜ/√(1 − β₂ᵗ) + ε) and equal to it within rounding; m̂ and v̂
are formed only when the state is recorded.
"""

import numpy as np

from .elementwise import power, root
from .sgd import add_l2, nonzero
from .spec import (
    RECORD_STATE,
    OptimizerSpec,
    beta,
    epsilon,
    format_call,
    learning_rate,
    switch,
    torch_float,
    weight_decay,
)


def moments(g, state, hp):
    """mₜ = β₁ mₜ₋₁ + (1 − β₁) g and vₜ = β₂ vₜ₋₁ + (1 − β₂) g², shared by the Adam family."""
    beta1, beta2 = hp["beta1"], hp["beta2"]
    # In place on the fresh products: the same operations, two allocations fewer.
    m = beta1 * state["m"]
    m += (1.0 - beta1) * g
    v = beta2 * state["v"]
    v += (1.0 - beta2) * g * g
    return m, v


def _init(theta, hp):
    names = ["m", "v"]
    if hp.get(RECORD_STATE):
        names += ["m_hat", "v_hat"]
    if hp["amsgrad"]:
        names.append("v_max")
    return {name: np.zeros_like(theta) for name in names}


def _adam_update(theta, g, state, t, lr, hp):
    m, v = moments(g, state, hp)
    new = {"m": m, "v": v}
    if hp["amsgrad"]:
        # PyTorch keeps the max of the raw v and bias-corrects that.
        v = new["v_max"] = np.maximum(state["v_max"], v)
    if hp["bias_correction"]:
        bias1, bias2 = 1.0 - power(hp["beta1"], t), 1.0 - power(hp["beta2"], t)
        scale = root(bias2)
        eps, factor = hp["eps"] * scale, lr * scale / bias1
    else:
        eps, factor = hp["eps"], lr
    denominator = root(v)
    denominator += eps
    step = factor * m
    step /= denominator
    if hp.get(RECORD_STATE):
        new["m_hat"], new["v_hat"] = (m / bias1, v / bias2) if hp["bias_correction"] else (m, v)
    return theta - step, new


def _adam_step(theta, grad, state, t, lr, hp):
    return _adam_update(theta, add_l2(grad, theta, hp["weight_decay"]), state, t, lr, hp)


def _adamw_step(theta, grad, state, t, lr, hp):
    # Decay first, then the Adam step with the undecayed gradient, as torch.optim.AdamW does.
    decayed = theta * (1.0 - lr * hp["weight_decay"]) if nonzero(hp["weight_decay"]) else theta
    return _adam_update(decayed, grad, state, t, lr, hp)


def _pytorch_for(name):
    def call(s):
        if not s["bias_correction"]:
            return None
        args = {"lr": torch_float(s["lr"]), "betas": f"({torch_float(s['beta1'])}, {torch_float(s['beta2'])})",
                "eps": torch_float(s["eps"]), "weight_decay": torch_float(s["weight_decay"])}
        if s["amsgrad"]:
            args["amsgrad"] = "True"
        return format_call(name, args)
    return call


def _no_twin(s):
    if not s["bias_correction"]:
        return "bias_correction=False is a teaching switch; every PyTorch Adam corrects the bias."
    return None


def _hyperparameters(decay_default, decay_help):
    return (
        learning_rate(1e-3),
        beta("beta1", r"\beta_1", 0.9, "smoothing of the gradient average m (momentum)"),
        beta("beta2", r"\beta_2", 0.999, "smoothing of the squared-gradient average v (RMSprop)"),
        epsilon(1e-8),
        weight_decay(decay_default, decay_help),
        switch("amsgrad", False, "divide by the largest v seen so far"),
        switch("bias_correction", True, "divide m and v by 1 − βᵗ (off: see the early steps go wrong)"),
    )


_MOMENTS = (r"m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\"
            r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t} \qquad \hat{v}_t = \frac{v_t}{1 - \beta_2^t} \\")

ADAM = OptimizerSpec(
    id="adam",
    label="Adam",
    summary="Momentum's average direction divided by RMSprop's per-axis scale, both bias-corrected.",
    update_rule=(r"g_t = \nabla_\theta J(\theta) + \lambda\theta \\" + _MOMENTS
                 + r"\theta \leftarrow \theta - \frac{\alpha}{\sqrt{\hat{v}_t} + \varepsilon}\, \hat{m}_t"),
    hyperparameters=_hyperparameters(0.0, "L2 penalty λ added to the gradient (then scaled by Adam)"),
    init=_init,
    step=_adam_step,
    pytorch=_pytorch_for("Adam"),
    no_twin_reason=_no_twin,
)

ADAMW = OptimizerSpec(
    id="adamw",
    label="AdamW",
    summary="Adam with the weight decay taken out of the gradient and applied to θ directly.",
    update_rule=(r"g_t = \nabla_\theta J(\theta) \\" + _MOMENTS
                 + r"\theta \leftarrow \theta - \left(\frac{\alpha \hat{m}_t}{\sqrt{\hat{v}_t} + \varepsilon}"
                   r" + \alpha\lambda\theta\right)"),
    hyperparameters=_hyperparameters(1e-2, "decoupled weight decay λ: θ shrinks by αλθ each step"),
    init=_init,
    step=_adamw_step,
    pytorch=_pytorch_for("AdamW"),
    no_twin_reason=_no_twin,
)
