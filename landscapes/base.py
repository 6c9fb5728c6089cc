"""A 2D test function as data: its formula, analytic gradient, view and known minima."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Bounds = tuple[tuple[float, float], tuple[float, float]]
Point = tuple[float, float]
ArrayFunction = Callable[[np.ndarray], np.ndarray]
ValueAndGradient = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Parameter:
    """A knob of a parameterized landscape family (e.g. the quadratic's condition number)."""

    name: str
    label: str
    default: float
    low: float
    high: float
    log: bool = False
    help: str = ""


@dataclass(frozen=True)
class Landscape:
    """``f`` maps ``(..., 2) -> (...)`` and ``grad`` maps ``(..., 2) -> (..., 2)``, both exact.

    ``hessian`` maps ``(..., 2) -> (..., 2, 2)``, exact too (NaN where f has no second derivative).
    ``bounds`` is the default view; ``minima`` the global minimizers (empty where there is
    none); ``start`` a start that makes a good demo; ``log_contours`` says whether contour
    levels read better log-spaced.
    """

    id: str
    name: str
    formula: str
    f: ArrayFunction
    grad: ArrayFunction
    bounds: Bounds
    minima: tuple[Point, ...]
    start: Point
    log_contours: bool = False
    gradient_formula: str = ""
    parameters: dict[str, float] = field(default_factory=dict)
    description: str = ""
    fused: ValueAndGradient | None = None
    hessian: ArrayFunction | None = None

    def value_and_grad(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(f(xy), grad(xy))``, in one pass where the landscape has a fused form."""
        if self.fused is not None:
            return self.fused(xy)
        return self.f(xy), self.grad(xy)

    @property
    def minimum_value(self) -> float | None:
        """f at the global minimum, or None where there is none."""
        return float(self.f(np.asarray(self.minima[0], dtype=np.float64))) if self.minima else None

    @property
    def center(self) -> np.ndarray:
        return np.array([sum(self.bounds[0]) / 2.0, sum(self.bounds[1]) / 2.0])

    @property
    def span(self) -> float:
        """The larger side of the default view."""
        return float(max(self.bounds[0][1] - self.bounds[0][0], self.bounds[1][1] - self.bounds[1][0]))


def from_parts(parts: Callable[..., tuple], value: Callable[..., np.ndarray],
               slope: Callable[..., np.ndarray]) -> dict[str, Callable]:
    """``f``, ``grad`` and ``fused`` for a landscape whose value and gradient share terms.

    ``parts(xy)`` computes the shared terms once; ``value(*terms)`` finishes f and ``slope(*terms)``
    ∇f. The three run the very same operations, so ``fused`` equals ``(f, grad)`` bit for bit.
    """

    def f(xy):
        return value(*parts(xy))

    def grad(xy):
        return slope(*parts(xy))

    def fused(xy):
        terms = parts(xy)
        return value(*terms), slope(*terms)

    return {"f": f, "grad": grad, "fused": fused}


def split(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y of points on the last axis."""
    xy = np.asarray(xy, dtype=np.float64)
    return xy[..., 0], xy[..., 1]


def unpack(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y like ``split``, but a lone point gives NumPy scalars instead of 0-d arrays.

    Scalar arithmetic is several times faster for a one-run step and rounds as arrays do for
    + − × ÷, integer powers other than 2 (write u * u), and ufuncs. Not for formulas that may square
    with ``**`` (typed expressions): there a scalar calls C's pow where arrays multiply.
    """
    xy = np.asarray(xy, dtype=np.float64)
    if xy.shape == (2,):
        return xy[0], xy[1]
    return xy[..., 0], xy[..., 1]


def symmetric(xx, xy, yy) -> np.ndarray:
    """The 2 × 2 symmetric matrices [[xx, xy], [xy, yy]] of broadcastable entries, shaped ``(..., 2, 2)``."""
    xx, xy, yy = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (xx, xy, yy)))
    matrices = np.empty((*xx.shape, 2, 2))
    matrices[..., 0, 0], matrices[..., 1, 1] = xx, yy
    matrices[..., 0, 1] = matrices[..., 1, 0] = xy
    return matrices


def join(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Two broadcastable components as the last axis of one new array."""
    if isinstance(dx, float) and isinstance(dy, float):  # one point (NumPy scalars are floats too)
        return np.array((dx, dy), dtype=np.float64)
    # Written into one preallocated array: broadcast_arrays + stack cost more than a one-run gradient.
    shape = np.shape(dx)
    if shape != np.shape(dy):
        shape = np.broadcast_shapes(shape, np.shape(dy))
    elif shape == ():
        return np.array((dx, dy), dtype=np.float64)
    joined = np.empty((*shape, 2))
    joined[..., 0] = dx
    joined[..., 1] = dy
    return joined
