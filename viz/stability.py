"""The stability limit in plain words: is this α past what the steepest curvature allows?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from optimizers.stability import critical_lr, stability_limit


def stability_sentence(label: str, optimizer: str, settings: Mapping[str, Any], curvature: float) -> str:
    """One sentence on α against the limit at ``curvature`` (λmax, preconditioned where the limit says so).

    e.g. "α = 0.03 > 2/λmax = 0.02: SGD must oscillate and grow along the steepest direction."
    """
    limit = stability_limit(optimizer, settings)
    if limit is None:
        return f"{label}: no simple step-size limit (its step is not a fixed linear map of the gradient)."
    if not np.isfinite(curvature):
        return f"{label}: the curvature is not defined here."
    lr = float(settings["lr"])
    if curvature <= 0.0:
        return (f"{label}: no positive curvature here (λmax = {curvature:.3g}), so no α is too large for it; "
                "the steepest direction goes downhill.")
    critical = critical_lr(optimizer, settings, curvature)
    bound = limit.formula.replace("α", "λmax")
    kind = "preconditioned λmax" if limit.preconditioned else "λmax"
    if lr > critical:
        return (f"α = {lr:.3g} > {bound} = {critical:.3g} ({kind} = {curvature:.3g}): {label} must oscillate and "
                "grow along the steepest direction.")
    return (f"α = {lr:.3g} ≤ {bound} = {critical:.3g} ({kind} = {curvature:.3g}): {label} is stable along the "
            "steepest direction here.")
