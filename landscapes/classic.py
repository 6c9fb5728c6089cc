"""Rosenbrock and the saddles."""

import numpy as np

from .base import Landscape, join, split


def _rosenbrock_f(xy):
    x, y = split(xy)
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(xy):
    x, y = split(xy)
    valley = y - x * x
    return join(-2.0 * (1.0 - x) - 400.0 * x * valley, 200.0 * valley)


def rosenbrock() -> Landscape:
    return Landscape(
        id="rosenbrock",
        name="Rosenbrock",
        formula=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        f=_rosenbrock_f,
        grad=_rosenbrock_grad,
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        minima=((1.0, 1.0),),
        start=(-1.5, 2.0),
        log_contours=True,
        description="A curved, flat-bottomed valley: finding it is easy, following it to (1, 1) is not.",
    )
