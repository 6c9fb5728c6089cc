"""The ill-conditioned quadratic bowl: f = ½ θᵀAθ with A = R diag(1, κ) Rᵀ, R a rotation."""

import numpy as np

from .base import Landscape, from_parts, join, unpack


def hessian(condition: float, angle: float) -> np.ndarray:
    """A with eigenvalue 1 along the direction ``angle`` degrees from the x-axis, κ across it."""
    phi = np.deg2rad(angle)
    rotation = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    a = rotation @ np.diag([1.0, condition]) @ rotation.T
    a[1, 0] = a[0, 1]  # the two products may round apart; f's Hessian is symmetric by definition
    return a


def quadratic(*, condition: float, angle: float) -> Landscape:
    a = hessian(condition, angle)

    def parts(xy):
        """x, y, A₀₀x and A₁₁y: the diagonal terms appear in f and in ∇f."""
        x, y = unpack(xy)
        return x, y, a[0, 0] * x, a[1, 1] * y

    def value(x, y, ax, ay):
        return 0.5 * (ax * x + 2.0 * a[0, 1] * x * y + ay * y)

    def slope(x, y, ax, ay):
        return join(ax + a[0, 1] * y, a[1, 0] * x + ay)

    rotation = rf"R_{{{angle:g}^\circ}}"
    return Landscape(
        id="quadratic",
        name="Ill-conditioned quadratic",
        formula=(
            rf"f(\theta) = \tfrac{{1}}{{2}}\,\theta^\top A\,\theta,\quad "
            rf"A = {rotation}\,\operatorname{{diag}}(1, {condition:g})\,{rotation}^\top"
        ),
        gradient_formula=r"\nabla f = A\,\theta",
        **from_parts(parts, value, slope),
        hessian=lambda xy: np.broadcast_to(a, (*np.shape(xy)[:-1], 2, 2)).copy(),
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        minima=((0.0, 0.0),),
        start=(-1.8, 1.2),
        log_contours=True,
        parameters={"condition": float(condition), "angle": float(angle)},
        description=(
            "A long, narrow bowl: the steep direction caps the stable learning rate, so progress along "
            "the shallow one crawls; rotate it and per-axis methods like Adam lose their advantage."
        ),
    )
