"""Rugged landscapes: a global bowl covered in local minima."""

import numpy as np

from .base import Landscape, from_parts, join, split, symmetric, unpack

_TAU = 2.0 * np.pi


def _rastrigin_parts(xy):
    """x, y and the phases 2πx, 2πy of the ripples."""
    x, y = unpack(xy)
    return x, y, _TAU * x, _TAU * y


def _rastrigin_value(x, y, phase_x, phase_y):
    return 20.0 + x * x - 10.0 * np.cos(phase_x) + y * y - 10.0 * np.cos(phase_y)


def _rastrigin_slope(x, y, phase_x, phase_y):
    return join(2.0 * x + 10.0 * _TAU * np.sin(phase_x), 2.0 * y + 10.0 * _TAU * np.sin(phase_y))


def _rastrigin_hessian(xy):
    x, y = split(xy)
    return symmetric(2.0 + 10.0 * _TAU**2 * np.cos(_TAU * x), 0.0, 2.0 + 10.0 * _TAU**2 * np.cos(_TAU * y))


def rastrigin() -> Landscape:
    return Landscape(
        id="rastrigin",
        name="Rastrigin",
        formula=r"f(x, y) = 20 + \sum_{u \in \{x, y\}} \left(u^2 - 10\cos 2\pi u\right)",
        gradient_formula=r"\nabla f = \big(2x + 20\pi \sin 2\pi x,\; 2y + 20\pi \sin 2\pi y\big)",
        **from_parts(_rastrigin_parts, _rastrigin_value, _rastrigin_slope),
        hessian=_rastrigin_hessian,
        bounds=((-5.12, 5.12), (-5.12, 5.12)),
        minima=((0.0, 0.0),),
        start=(-3.2, 2.6),
        description=(
            "An egg-crate of local minima on a bowl: gradient steps stop in the nearest dimple, "
            "momentum and large steps can hop towards the global minimum at the origin."
        ),
    )


def _ackley_parts(xy):
    """x, y, the norm ‖θ‖ and the two exponential envelopes (the radius is r = ‖θ‖/√2)."""
    x, y = unpack(xy)
    norm = np.hypot(x, y)
    return x, y, norm, np.exp(-0.2 * norm / np.sqrt(2.0)), np.exp(0.5 * (np.cos(_TAU * x) + np.cos(_TAU * y)))


def _ackley_value(x, y, norm, cone, ripples):
    return -20.0 * cone - ripples + np.e + 20.0


def _ackley_slope(x, y, norm, cone, ripples):
    # The cone −20·exp(−0.2r) has a kink at the origin; 0 is in its subdifferential there, so the
    # gradient is defined as 0. Forming the unit vector θ/‖θ‖ first keeps tiny points from overflowing.
    safe_norm = np.where(norm > 0.0, norm, 1.0)
    cone_slope = 2.0 * np.sqrt(2.0) * cone
    ripple_slope = np.pi * ripples
    return join(
        cone_slope * (x / safe_norm) + ripple_slope * np.sin(_TAU * x),
        cone_slope * (y / safe_norm) + ripple_slope * np.sin(_TAU * y),
    )


def _ackley_hessian(xy):
    """The cone's a(n)·u with a = 2√2·e^(−0.2n/√2), u = θ/n, differentiated: a′ uuᵀ + (a/n)(I − uuᵀ);
    the ripples' π R (τ cos τx − π sin² τx) on the diagonal and −π² R sin τx sin τy across, R = e^(½Σ cos τu).

    The cone's tip has no second derivative: NaN at the origin.
    """
    x, y = split(xy)
    norm = np.hypot(x, y)
    cone = np.exp(-0.2 * norm / np.sqrt(2.0))
    ripples = np.exp(0.5 * (np.cos(_TAU * x) + np.cos(_TAU * y)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ux, uy = x / norm, y / norm
        radial, across = -0.4 * cone, 2.0 * np.sqrt(2.0) * cone / norm
    sin_x, sin_y = np.sin(_TAU * x), np.sin(_TAU * y)
    ripple_xx = np.pi * ripples * (_TAU * np.cos(_TAU * x) - np.pi * sin_x * sin_x)
    ripple_yy = np.pi * ripples * (_TAU * np.cos(_TAU * y) - np.pi * sin_y * sin_y)
    return symmetric(radial * ux * ux + across * (1.0 - ux * ux) + ripple_xx,
                     (radial - across) * ux * uy - np.pi**2 * ripples * sin_x * sin_y,
                     radial * uy * uy + across * (1.0 - uy * uy) + ripple_yy)


def ackley() -> Landscape:
    return Landscape(
        id="ackley",
        name="Ackley",
        formula=(r"f(x, y) = -20\,e^{-0.2\sqrt{(x^2 + y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2} + e + 20"),
        gradient_formula=(
            r"\nabla f = \frac{2\,e^{-0.2 r}}{r}\,(x, y) + \pi\,e^{(\cos 2\pi x + \cos 2\pi y)/2}\,"
            r"(\sin 2\pi x,\; \sin 2\pi y),\quad r = \sqrt{(x^2 + y^2)/2}"
        ),
        **from_parts(_ackley_parts, _ackley_value, _ackley_slope),
        hessian=_ackley_hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=((0.0, 0.0),),
        start=(-3.3, 2.4),
        description=(
            "A nearly flat, ripply plateau around a sharp funnel at the origin: local gradients mostly "
            "point to the nearest ripple, not to the funnel."
        ),
    )
