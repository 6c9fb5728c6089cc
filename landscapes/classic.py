"""Classic valleys: Rosenbrock's banana, Beale's flat plateau and arms, Booth's tilted bowl."""

import numpy as np

from .base import Landscape, from_parts, join, split, symmetric, unpack

# Squares are written u * u: on a single point NumPy evaluates u**2 with C's pow, which can round
# differently from the u * u that arrays use, and one run must match its row in a batch exactly.


def _rosenbrock_parts(xy):
    """x, 1 − x and the valley term y − x²."""
    x, y = unpack(xy)
    return x, 1.0 - x, y - x * x


def _rosenbrock_value(x, rest, valley):
    return rest * rest + 100.0 * (valley * valley)


def _rosenbrock_slope(x, rest, valley):
    return join(-2.0 * rest - 400.0 * x * valley, 200.0 * valley)


def _rosenbrock_hessian(xy):
    x, y = split(xy)
    return symmetric(2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x, 200.0)


def rosenbrock() -> Landscape:
    return Landscape(
        id="rosenbrock",
        name="Rosenbrock",
        formula=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        gradient_formula=r"\nabla f = \big(-2(1 - x) - 400\,x\,(y - x^2),\; 200\,(y - x^2)\big)",
        **from_parts(_rosenbrock_parts, _rosenbrock_value, _rosenbrock_slope),
        hessian=_rosenbrock_hessian,
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        minima=((1.0, 1.0),),
        start=(-1.5, 2.0),
        log_contours=True,
        description="A curved, flat-bottomed valley: finding it is easy, following it to (1, 1) is not.",
    )


def _beale_parts(xy):
    """x, y and the three residuals rᵢ = cᵢ − x + x·yⁱ (c = 1.5, 2.25, 2.625)."""
    x, y = unpack(xy)
    return x, y, 1.5 - x + x * y, 2.25 - x + x * (y * y), 2.625 - x + x * y**3


def _beale_value(x, y, r1, r2, r3):
    return r1 * r1 + r2 * r2 + r3 * r3


def _beale_slope(x, y, r1, r2, r3):
    dx = 2.0 * (r1 * (y - 1.0) + r2 * (y * y - 1.0) + r3 * (y**3 - 1.0))
    dy = 2.0 * x * (r1 + 2.0 * y * r2 + 3.0 * (y * y) * r3)
    return join(dx, dy)


def _beale_hessian(xy):
    """2 Σᵢ (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ), ∇rᵢ = (yⁱ − 1, i·x·yⁱ⁻¹), ∇²rᵢ = [[0, i·yⁱ⁻¹], [i·yⁱ⁻¹, i(i − 1)·x·yⁱ⁻²]]."""
    x, y = split(xy)
    xx = across = yy = 0.0
    for i, c in enumerate((1.5, 2.25, 2.625), start=1):
        residual = c - x + x * y**i
        along_x, along_y = y**i - 1.0, i * x * y ** (i - 1)
        xx = xx + along_x * along_x
        across = across + along_x * along_y + residual * i * y ** (i - 1)
        yy = yy + along_y * along_y + residual * i * (i - 1) * x * y ** max(i - 2, 0)
    return symmetric(2.0 * xx, 2.0 * across, 2.0 * yy)


def beale() -> Landscape:
    return Landscape(
        id="beale",
        name="Beale",
        formula=r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        gradient_formula=(
            r"\nabla f = 2\big(\textstyle\sum_i r_i\,(y^i - 1),\; x \sum_i i\,y^{i-1} r_i\big),"
            r"\quad r_i = c_i - x + x y^i"
        ),
        **from_parts(_beale_parts, _beale_value, _beale_slope),
        hessian=_beale_hessian,
        bounds=((-4.5, 4.5), (-4.5, 4.5)),
        minima=((3.0, 0.5),),
        start=(1.0, 1.5),
        log_contours=True,
        description=(
            "A nearly flat basin fenced by steep arms that shoot off to large values: "
            "step sizes that suit the basin blow up on the arms."
        ),
    )


def _booth_residuals(xy):
    x, y = unpack(xy)
    return x + 2.0 * y - 7.0, 2.0 * x + y - 5.0


def _booth_value(r1, r2):
    return r1 * r1 + r2 * r2


def _booth_slope(r1, r2):
    return join(2.0 * r1 + 4.0 * r2, 4.0 * r1 + 2.0 * r2)


def booth() -> Landscape:
    return Landscape(
        id="booth",
        name="Booth",
        formula=r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        gradient_formula=r"\nabla f = \big(10x + 8y - 34,\; 8x + 10y - 38\big)",
        **from_parts(_booth_residuals, _booth_value, _booth_slope),
        hessian=lambda xy: symmetric(np.full(np.shape(xy)[:-1], 10.0), 8.0, 10.0),
        bounds=((-10.0, 10.0), (-10.0, 10.0)),
        minima=((1.0, 3.0),),
        start=(-8.0, 8.0),
        log_contours=True,
        description=(
            "A plain quadratic bowl whose axes are tilted 45° (curvatures 18 and 2): "
            "gentle for everyone, yet the diagonal trips up per-axis step sizes."
        ),
    )
