"""Functions with a few separated minima: which basin an optimizer lands in is the lesson."""

from .base import Landscape, from_parts, join, split, symmetric, unpack

# Roots of ∇f = 0, solved to 30 digits with mpmath.findroot and rounded to float64.
_HIMMELBLAU_MINIMA = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286169),
    (3.584428340330492, -1.848126526964404),
)
_STYBLINSKI_TANG_ARGMIN = -2.903534027771177  # the lower root of 4x³ − 32x + 5 = 0
_SIX_HUMP_CAMEL_ARGMIN = (0.08984201310031806, -0.7126564030207396)


def _himmelblau_residuals(xy):
    x, y = unpack(xy)
    return x, y, x * x + y - 11.0, x + y * y - 7.0


def _himmelblau_value(x, y, r1, r2):
    return r1 * r1 + r2 * r2  # not r**2: see classic.py


def _himmelblau_slope(x, y, r1, r2):
    return join(4.0 * x * r1 + 2.0 * r2, 2.0 * r1 + 4.0 * y * r2)


def _himmelblau_hessian(xy):
    x, y = split(xy)
    return symmetric(4.0 * (x * x + y - 11.0) + 8.0 * x * x + 2.0, 4.0 * (x + y),
                     4.0 * (x + y * y - 7.0) + 8.0 * y * y + 2.0)


def himmelblau() -> Landscape:
    return Landscape(
        id="himmelblau",
        name="Himmelblau",
        formula=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        gradient_formula=(
            r"\nabla f = \big(4x\,r_1 + 2r_2,\; 2r_1 + 4y\,r_2\big),"
            r"\quad r_1 = x^2 + y - 11,\ r_2 = x + y^2 - 7"
        ),
        **from_parts(_himmelblau_residuals, _himmelblau_value, _himmelblau_slope),
        hessian=_himmelblau_hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=_HIMMELBLAU_MINIMA,
        start=(-0.3, -0.9),
        log_contours=True,
        description=(
            "Four equally deep minima around a central hill: the start and the optimizer decide which one wins."
        ),
    )


def _styblinski_tang_value(x, y):
    return 0.5 * (x**4 - 16.0 * x * x + 5.0 * x + y**4 - 16.0 * y * y + 5.0 * y)


def _styblinski_tang_slope(x, y):
    return join(2.0 * x**3 - 16.0 * x + 2.5, 2.0 * y**3 - 16.0 * y + 2.5)


def _styblinski_tang_hessian(xy):
    x, y = split(xy)
    return symmetric(6.0 * x * x - 16.0, 0.0, 6.0 * y * y - 16.0)


def styblinski_tang() -> Landscape:
    return Landscape(
        id="styblinski_tang",
        name="Styblinski–Tang",
        formula=r"f(x, y) = \tfrac{1}{2}\sum_{u \in \{x, y\}} \left(u^4 - 16u^2 + 5u\right)",
        gradient_formula=r"\nabla f = \big(2x^3 - 16x + 2.5,\; 2y^3 - 16y + 2.5\big)",
        **from_parts(unpack, _styblinski_tang_value, _styblinski_tang_slope),
        hessian=_styblinski_tang_hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=((_STYBLINSKI_TANG_ARGMIN, _STYBLINSKI_TANG_ARGMIN),),
        start=(-1.0, 4.5),
        description=(
            "Four basins of unequal depth, the deepest at about (−2.90, −2.90): "
            "momentum can carry a run over a ridge into a better basin, or out of it."
        ),
    )


def _six_hump_camel_value(x, y):
    return (4.0 - 2.1 * x * x + x**4 / 3.0) * x * x + x * y + (4.0 * y * y - 4.0) * y * y


def _six_hump_camel_slope(x, y):
    return join(8.0 * x - 8.4 * x**3 + 2.0 * x**5 + y, x - 8.0 * y + 16.0 * y**3)


def _six_hump_camel_hessian(xy):
    x, y = split(xy)
    return symmetric(8.0 - 25.2 * x * x + 10.0 * x**4, 1.0, 48.0 * y * y - 8.0)


def six_hump_camel() -> Landscape:
    x_min, y_min = _SIX_HUMP_CAMEL_ARGMIN
    return Landscape(
        id="six_hump_camel",
        name="Six-hump camel",
        formula=r"f(x, y) = \left(4 - 2.1x^2 + \tfrac{x^4}{3}\right)x^2 + xy + (4y^2 - 4)\,y^2",
        gradient_formula=r"\nabla f = \big(8x - 8.4x^3 + 2x^5 + y,\; x - 8y + 16y^3\big)",
        **from_parts(unpack, _six_hump_camel_value, _six_hump_camel_slope),
        hessian=_six_hump_camel_hessian,
        bounds=((-2.0, 2.0), (-1.2, 1.2)),
        minima=((x_min, y_min), (-x_min, -y_min)),
        start=(-1.2, 0.0),
        description="Six humps, two mirror-image global minima and four shallower traps on a saddle-shaped floor.",
    )
