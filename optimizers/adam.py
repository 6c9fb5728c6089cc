"""Adam, and AdamW with decoupled weight decay, in the article's notation.

    g ← g + λθ                                   (Adam: L2 enters the gradient)
    θ ← θ − αλθ                                  (AdamW: decay acts on θ directly, first)
    mₜ = β₁ mₜ₋₁ + (1 − β₁) g,   vₜ = β₂ vₜ₋₁ + (1 − β₂) g²
    m̂ₜ = mₜ / (1 − β₁ᵗ),         v̂ₜ = vₜ / (1 − β₂ᵗ)        (v̂ uses max(v) with amsgrad)
    θ ← θ − α m̂ₜ / (√v̂ₜ + ε)

``bias_correction=False`` drops the two divisions, a teaching switch with no PyTorch twin.
"""

from typing import Any, NamedTuple

import numpy as np

from .elementwise import add_l2, larger, nonzero, root
from .spec import OptimizerSpec, adam_betas, epsilon, learning_rate, switch, weight_decay


class AdamState(NamedTuple):
    m: Any  # the moving average of g (momentum)
    v: Any  # the moving average of g² (RMSprop)
    v_max: Any  # the largest v so far (amsgrad only)


def moments(g, m, v, hp):
    """mₜ = β₁ mₜ₋₁ + (1 − β₁) g and vₜ = β₂ vₜ₋₁ + (1 − β₂) g², shared by the Adam family."""
    beta1, beta2 = hp["beta1"], hp["beta2"]
    return beta1 * m + (1.0 - beta1) * g, beta2 * v + (1.0 - beta2) * g * g


def _init(theta, hp):
    return AdamState(*(np.zeros_like(theta) for _ in AdamState._fields))


def corrections(state: AdamState, t: int, hp) -> dict[str, Any]:
    """m̂ₜ and v̂ₜ: the moments divided by 1 − βᵗ (left alone without bias correction)."""
    v = state.v_max if hp["amsgrad"] else state.v
    if not hp["bias_correction"]:
        return {"m_hat": state.m, "v_hat": v}
    return {"m_hat": state.m / (1.0 - hp["beta1"] ** t), "v_hat": v / (1.0 - hp["beta2"] ** t)}


def _adam_update(theta, g, state, t, lr, hp):
    m, v = moments(g, state.m, state.v, hp)
    # PyTorch keeps the max of the raw v and bias-corrects that.
    state = AdamState(m, v, larger(state.v_max, v) if hp["amsgrad"] else state.v_max)
    corrected = corrections(state, t, hp)
    return theta - lr * corrected["m_hat"] / (root(corrected["v_hat"]) + hp["eps"]), state


def _adam_step(theta, g, state, t, lr, hp):
    return _adam_update(theta, add_l2(g, theta, hp["weight_decay"]), state, t, lr, hp)


def _adamw_step(theta, g, state, t, lr, hp):
    # Decay first, then the Adam step with the undecayed gradient, as torch.optim.AdamW does.
    decayed = theta * (1.0 - lr * hp["weight_decay"]) if nonzero(hp["weight_decay"]) else theta
    return _adam_update(decayed, g, state, t, lr, hp)


_BIAS_CORRECTION_NO_TWIN = "bias_correction=False is a teaching switch; every PyTorch Adam corrects the bias."


def _hyperparameters(decay_default, decay_help):
    return (
        learning_rate(1e-3),
        *adam_betas("smoothing of the gradient average m (momentum)",
                    "smoothing of the squared-gradient average v (RMSprop)"),
        epsilon(1e-8),
        weight_decay(decay_default, decay_help),
        switch("amsgrad", False, "divide by the largest v seen so far"),
        switch("bias_correction", True, "divide m and v by 1 − βᵗ (off: see the early steps go wrong)",
               no_twin=_BIAS_CORRECTION_NO_TWIN),
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
    corrections=corrections,
    twin="Adam",
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
    corrections=corrections,
    twin="AdamW",
)
