"""How much curvature a step size survives: the largest Hessian eigenvalue λmax against 2/α and its kin.

On a quadratic with curvature λ along an eigen-direction, each method is a linear recurrence that
stays bounded exactly when

    SGD (PyTorch's momentum μ, dampening τ; v ← μv + (1 − τ)g, θ ← θ − αv):  λ < 2(1 + μ) / (α(1 − τ))
    SGD with Nesterov momentum (θ ← θ − α(g + μv)):                           λ < 2(1 + μ) / (α(1 + 2μ))
    Momentum as the article writes it (m ← βm + (1 − β)g, θ ← θ − αm):       λ < 2(1 + β) / ((1 − β)α)
    RMSprop (momentum μ), Adagrad: the same as SGD, for the preconditioned curvature
    Adam, AdamW (and AMSGrad):  (2 + 2β₁) / ((1 − β₁)α)  for the preconditioned curvature

where the preconditioned curvature is λmax of P^½ H P^½, P = diag(1 / (√v̂ + ε)) (the eigenvalues of
P·H), with v̂ frozen (Cohen et al. 2022 find Adam's settles near that threshold). Beyond the limit the
iterates oscillate along the steepest direction with growing amplitude. NAdam, RAdam and Adamax
change their step from step to step in other ways and Lion's sign update has no such limit: for
them ``stability_limit`` is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np


class StabilityLimit(NamedTuple):
    """The largest stable λmax for these settings, which curvature it bounds, and the formula used."""

    limit: float
    preconditioned: bool
    formula: str


def largest_eigenvalue(hessians: np.ndarray) -> np.ndarray:
    """λmax of symmetric 2 × 2 matrices ``(..., 2, 2)``: (a + c)/2 + √(((a − c)/2)² + b²)."""
    a, b, c = hessians[..., 0, 0], hessians[..., 0, 1], hessians[..., 1, 1]
    return 0.5 * (a + c) + np.hypot(0.5 * (a - c), b)


def preconditioned(hessians: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """P^½ H P^½ for P = diag(``scale``) (``(..., 2)``, e.g. 1/(√v̂ + ε)): symmetric, with P·H's eigenvalues."""
    root = np.sqrt(scale)
    # The outer product first: r₀r₁ = r₁r₀ exactly, so the result is exactly symmetric.
    return hessians * (root[..., :, np.newaxis] * root[..., np.newaxis, :])


def preconditioner(optimizer: str, settings: Mapping[str, Any], state: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """The diagonal P each recorded step applied to the gradient, ``(steps + 1, ..., 2)`` like the recorded state
    (row 0, before the first step, is zeros), or None where the step is not g scaled by a P:

        RMSprop  P = 1/(√s̃ + ε)  (1/√(s̃ + ε) with eps_in_sqrt; s̃ = s − ḡ² when centered)
        Adagrad  P = 1/(√s + ε)
        Adam, AdamW  P = 1/(√v̂ + ε)
    """
    eps = float(settings["eps"]) if "eps" in settings else 0.0
    if optimizer in ("adam", "adamw"):
        return 1.0 / (np.sqrt(state["v_hat"]) + eps)
    if optimizer == "adagrad":
        return 1.0 / (np.sqrt(state["s"]) + eps)
    if optimizer == "rmsprop":
        s = state["s"] - state["g_avg"] ** 2 if settings["centered"] else state["s"]
        s = np.maximum(s, 0.0)
        return 1.0 / np.sqrt(s + eps) if settings["eps_in_sqrt"] else 1.0 / (np.sqrt(s) + eps)
    return None


def sharpness(optimizer: str, settings: Mapping[str, Any], hessians: np.ndarray,
              state: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """The curvature each step's limit bounds: λmax(H(θₜ)) for t = 0 … T − 1, preconditioned by the P of
    step t + 1 (the one applied at θₜ) where ``stability_limit`` says so. ``hessians`` ``(T + 1, ..., 2, 2)``
    along the path; ``state`` the run's recorded state (``record_state=True``), needed when preconditioned.
    """
    limit = stability_limit(optimizer, settings)
    at_steps = hessians[:-1]
    if limit is None or not limit.preconditioned:
        return largest_eigenvalue(at_steps)
    if state is None:
        raise ValueError(f"{optimizer}'s limit bounds preconditioned curvature: pass the recorded state")
    scale = preconditioner(optimizer, settings, state)[1:]
    with np.errstate(invalid="ignore", over="ignore"):
        return largest_eigenvalue(preconditioned(at_steps, scale))


def stability_limit(optimizer: str, settings: Mapping[str, Any]) -> StabilityLimit | None:
    """The curvature limit for ``optimizer`` at ``settings`` (a full settings dict), or None if it has none."""
    lr = float(settings["lr"])
    if optimizer == "sgd":
        mu, tau = float(settings["momentum"]), float(settings["dampening"])
        if settings["nesterov"]:
            return StabilityLimit(2 * (1 + mu) / (lr * (1 + 2 * mu)), False, "2(1 + μ) / (α(1 + 2μ))")
        if mu == 0.0:
            return StabilityLimit(2 / lr, False, "2/α")
        return StabilityLimit(2 * (1 + mu) / (lr * (1 - tau)), False, "2(1 + μ) / (α(1 − τ))")
    if optimizer == "momentum":
        beta = float(settings["beta"])
        return StabilityLimit(2 * (1 + beta) / ((1 - beta) * lr), False, "2(1 + β) / ((1 − β)α)")
    if optimizer == "rmsprop":
        mu = float(settings["momentum"])
        if mu == 0.0:
            return StabilityLimit(2 / lr, True, "2/α")
        return StabilityLimit(2 * (1 + mu) / lr, True, "2(1 + μ)/α")
    if optimizer == "adagrad":
        return StabilityLimit(2 / lr, True, "2/α")
    if optimizer in ("adam", "adamw"):
        beta1 = float(settings["beta1"])
        return StabilityLimit((2 + 2 * beta1) / ((1 - beta1) * lr), True, "(2 + 2β₁) / ((1 − β₁)α)")
    return None


def critical_lr(optimizer: str, settings: Mapping[str, Any], curvature: float) -> float | None:
    """The α at which the limit meets ``curvature`` (the limit scales as 1/α); None without a limit or curvature."""
    limit = stability_limit(optimizer, settings)
    if limit is None or not np.isfinite(curvature) or curvature <= 0.0:
        return None
    return float(settings["lr"]) * limit.limit / curvature
