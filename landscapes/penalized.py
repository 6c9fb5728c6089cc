"""Landscapes built from others: an L2 penalty on top of any landscape, and a shifted quadratic bowl.

    with_l2(f, λ):            f(θ) + λ/2 ‖θ‖²,   ∇ = ∇f(θ) + λθ
    shifted_quadratic(h, c):  ½ Σᵢ hᵢ (θᵢ − cᵢ)²,   ∇ = h ⊙ (θ − c)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .base import Landscape


def with_l2(landscape: Landscape, decay: float) -> Landscape:
    """``landscape`` plus the L2 penalty λ/2‖θ‖²; its minima are unknown in general, so none are listed."""
    decay = float(decay)
    if not np.isfinite(decay) or decay < 0:
        raise ValueError(f"decay must be a finite number ≥ 0, got {decay!r}")

    def f(xy):
        xy = np.asarray(xy, dtype=np.float64)
        return landscape.f(xy) + 0.5 * decay * np.sum(xy * xy, axis=-1)

    def grad(xy):
        xy = np.asarray(xy, dtype=np.float64)
        return landscape.grad(xy) + decay * xy

    def hessian(xy):
        return landscape.hessian(xy) + decay * np.eye(2)

    penalty = rf" + \tfrac{{{decay:g}}}{{2}}\,\lVert\theta\rVert^2"
    gradient = landscape.gradient_formula and landscape.gradient_formula + rf" + {decay:g}\,\theta"
    return replace(landscape, id=f"{landscape.id}+l2", name=f"{landscape.name} + L2 (λ = {decay:g})",
                   formula=landscape.formula + penalty, f=f, grad=grad, fused=None, minima=(),
                   hessian=hessian if landscape.hessian is not None else None,
                   gradient_formula=gradient,
                   description=f"{landscape.name} with the penalty λ/2‖θ‖², λ = {decay:g}.")


def shifted_quadratic(curvature: tuple[float, float] = (1.0, 25.0),
                      center: tuple[float, float] = (1.5, 1.0)) -> Landscape:
    """An axis-aligned bowl with curvatures ``curvature`` whose minimum ``center`` is away from the origin."""
    h, c = np.asarray(curvature, dtype=np.float64), np.asarray(center, dtype=np.float64)
    if h.shape != (2,) or c.shape != (2,) or not np.all(h > 0) or not np.all(np.isfinite(c)):
        raise ValueError(f"curvature must be two positive numbers and center two finite ones, got {curvature}, "
                         f"{center}")

    def f(xy):
        return 0.5 * np.sum(h * (np.asarray(xy, dtype=np.float64) - c) ** 2, axis=-1)

    def grad(xy):
        return h * (np.asarray(xy, dtype=np.float64) - c)

    (hx, hy), (cx, cy) = h, c
    return Landscape(
        id="shifted_quadratic",
        name="Shifted quadratic",
        formula=rf"f(x, y) = \tfrac{{{hx:g}}}{{2}}(x - {cx:g})^2 + \tfrac{{{hy:g}}}{{2}}(y - {cy:g})^2",
        gradient_formula=rf"\nabla f = \big({hx:g}(x - {cx:g}),\; {hy:g}(y - {cy:g})\big)",
        f=f,
        grad=grad,
        hessian=lambda xy: np.broadcast_to(np.diag(h), (*np.shape(xy)[:-1], 2, 2)).copy(),
        bounds=((cx - 2.0, cx + 2.0), (cy - 2.0, cy + 2.0)),
        minima=((cx, cy),),
        start=(cx - 1.2, cy + 1.5),
        log_contours=True,
        parameters={"hx": hx, "hy": hy, "cx": cx, "cy": cy},
        description="An axis-aligned bowl, steep in y and flat in x, whose minimum is away from the origin.",
    )
