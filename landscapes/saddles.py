"""Saddles: stationary points that are not minima, and functions unbounded below."""

import numpy as np

from .base import Landscape, from_parts, join, split, symmetric, unpack


def _saddle_value(x, y):
    return x * x - y * y


def _saddle_slope(x, y):
    return join(2.0 * x, -2.0 * y)


def saddle() -> Landscape:
    return Landscape(
        id="saddle",
        name="Saddle",
        formula=r"f(x, y) = x^2 - y^2",
        gradient_formula=r"\nabla f = (2x,\; -2y)",
        **from_parts(unpack, _saddle_value, _saddle_slope),
        hessian=lambda xy: symmetric(np.full(np.shape(xy)[:-1], 2.0), 0.0, -2.0),
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        minima=(),
        start=(-1.8, 0.02),
        description=(
            "Downhill along x leads into the flat saddle point at the origin; the escape along y "
            "starts from almost zero gradient, so plain SGD lingers while adaptive methods break away."
        ),
    )


def _monkey_saddle_value(x, y):
    return x**3 - 3.0 * x * y * y


def _monkey_saddle_slope(x, y):
    return join(3.0 * (x * x - y * y), -6.0 * x * y)


def _monkey_saddle_hessian(xy):
    x, y = split(xy)
    return symmetric(6.0 * x, -6.0 * y, -6.0 * x)


def monkey_saddle() -> Landscape:
    return Landscape(
        id="monkey_saddle",
        name="Monkey saddle",
        formula=r"f(x, y) = x^3 - 3xy^2",
        gradient_formula=r"\nabla f = \big(3(x^2 - y^2),\; -6xy\big)",
        **from_parts(unpack, _monkey_saddle_value, _monkey_saddle_slope),
        hessian=_monkey_saddle_hessian,
        bounds=((-1.5, 1.5), (-1.5, 1.5)),
        minima=(),
        start=(1.2, 0.05),
        description=(
            "Three valleys meet at a saddle whose gradient and curvature both vanish; "
            "which valley an optimizer falls into depends on how it handles that flat spot."
        ),
    )
