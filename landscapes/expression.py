"""Landscapes from typed formulas: ``from_expression("abs(x) + y^2")``.

The text is parsed safely (see :mod:`.expression_parser`), differentiated exactly by sympy and
compiled to NumPy with ``sympy.lambdify``. The view, the marked minimum, the default start and
the contour scale are estimated from a grid over the bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import sympy as sp

from .base import Bounds, Landscape, Point, join, split, symmetric
from .expression_parser import X, Y, parse

DEFAULT_BOUNDS: Bounds = ((-3.0, 3.0), (-3.0, 3.0))
GRID_POINTS = 161
CANDIDATES = 8
# More tied minimizers than this are a flat valley, marked by its point nearest the centre.
MAX_MINIMA = 4
ZOOM_POINTS = 11
ZOOM_ROUNDS = 40
ZOOM_SHRINK = 0.25
# Where to look for a default start, from the centre, corners first: (-1, 1) is the upper left.
START_DIRECTIONS = ((-1, 1), (1, 1), (-1, -1), (1, -1), (-1, 0), (0, 1), (1, 0), (0, -1))
START_REACH = 0.75
# Printing a huge gradient costs more than all the rest and nobody can read it.
MAX_SHOWN_GRADIENT_NODES = 1000


def from_expression(text: str, bounds: Sequence[Sequence[float]] | None = None) -> Landscape:
    """The landscape f(x, y) = ``text`` on ``bounds`` (default ((-3, 3), (-3, 3))).

    ``f`` and ``grad`` broadcast over ``(..., 2)``; outside the function's domain (log of a
    negative number) they give NaN without warnings. Raises ``ValueError`` saying what is wrong
    and at which column, for the text, or for bounds that are not finite with lo < hi.
    """
    if not isinstance(text, str):
        raise ValueError(f"the expression must be text, got {type(text).__name__}")
    # Not stripped here: error columns count in the text as typed.
    return _landscape(text, _checked_bounds(bounds))


def _checked_bounds(bounds: Sequence[Sequence[float]] | None) -> Bounds:
    if bounds is None:
        return DEFAULT_BOUNDS
    try:
        (x_low, x_high), (y_low, y_high) = ((float(lo), float(hi)) for lo, hi in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}") from None
    for axis, low, high in (("x", x_low, x_high), ("y", y_low, y_high)):
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"{axis} bounds must be finite with {axis}min < {axis}max, got ({low!r}, {high!r})")
    return (x_low, x_high), (y_low, y_high)


@lru_cache(maxsize=64)
def _landscape(text: str, bounds: Bounds) -> Landscape:
    expr = parse(text)
    try:
        gradient = [sp.diff(expr, X), sp.diff(expr, Y)]
        formula, gradient_formula = f"f(x, y) = {sp.latex(expr)}", _gradient_latex(gradient)
    except Exception as error:  # report, never trace back out of sympy
        raise ValueError(f"could not differentiate the expression: {type(error).__name__}: {error}") from None
    f, grad = _compile(expr, gradient)
    with np.errstate(all="ignore"):  # very wide bounds may overflow the grid arithmetic: that is data too
        points, values = _grid(f, bounds, GRID_POINTS)
        minima = _minima(f, bounds, points, values)
        start = _start(f, grad, bounds)
    return Landscape(
        id="custom",
        name=text.strip(),
        formula=formula,
        gradient_formula=gradient_formula,
        f=f,
        grad=grad,
        hessian=_hessian(expr, gradient),
        bounds=bounds,
        minima=minima,
        start=start,
        log_contours=_reads_better_in_log(values),
        description=f"Your function f(x, y) = {text.strip()}.",
    )


def _gradient_latex(gradient: list[sp.Expr]) -> str:
    """∇f in LaTeX; a gradient too long to read (a product of many factors) is named, not printed."""
    if any(sum(1 for _ in sp.preorder_traversal(part)) > MAX_SHOWN_GRADIENT_NODES for part in gradient):
        return r"\nabla f = \left(\partial f / \partial x,\; \partial f / \partial y\right) \text{ (too long to show)}"
    return rf"\nabla f = \left({sp.latex(gradient[0])},\; {sp.latex(gradient[1])}\right)"


def _compile(expr: sp.Expr, gradient: list[sp.Expr]) -> tuple[Callable, Callable]:
    try:
        value_function = sp.lambdify((X, Y), expr, modules="numpy", cse=True)
        # f comes along so the gradient can be NaN wherever f is: d/dx log(x) = 1/x exists at x < 0.
        gradient_function = sp.lambdify((X, Y), [expr, *gradient], modules="numpy", cse=True)
    except Exception as error:  # report, never trace back out of sympy
        raise ValueError(f"could not compile the expression: {type(error).__name__}: {error}") from None

    # A term free of x and y compiles to a Python scalar; adding zeros gives it the batch shape.
    def f(xy: np.ndarray) -> np.ndarray:
        x, y = split(xy)
        with np.errstate(all="ignore"):
            return value_function(x, y) + np.zeros(x.shape)

    def grad(xy: np.ndarray) -> np.ndarray:
        x, y = split(xy)
        zeros = np.zeros(x.shape)
        with np.errstate(all="ignore"):
            value, dx, dy = gradient_function(x, y)
            return np.where(np.isnan(value + zeros)[..., None], np.nan, join(dx + zeros, dy + zeros))

    return f, grad


def _hessian(expr: sp.Expr, gradient: list[sp.Expr]) -> Callable:
    """∇²f by sympy, differentiated and compiled on first use: most typed functions never need it."""
    compiled: list[Callable] = []

    def hessian(xy: np.ndarray) -> np.ndarray:
        if not compiled:
            try:
                second = [sp.diff(gradient[0], X), sp.diff(gradient[0], Y), sp.diff(gradient[1], Y)]
                # abs′ = sign, whose derivative is 2δ: zero wherever f is twice differentiable.
                second = [part.replace(sp.DiracDelta, lambda *_: sp.Integer(0)) for part in second]
                compiled.append(sp.lambdify((X, Y), [expr, *second], modules="numpy", cse=True))
            except Exception as error:  # report, never trace back out of sympy
                raise ValueError(f"could not differentiate twice: {type(error).__name__}: {error}") from None
        x, y = split(xy)
        zeros = np.zeros(x.shape)
        with np.errstate(all="ignore"):
            value, xx, across, yy = (part + zeros for part in compiled[0](x, y))
            return np.where(np.isnan(value)[..., None, None], np.nan, symmetric(xx, across, yy))

    return hessian


def _grid(f: Callable, bounds: Bounds, n: int) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.linspace(*bounds[0], n), np.linspace(*bounds[1], n)
    points = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1)
    return points, f(points)


def _minima(f: Callable, bounds: Bounds, points: np.ndarray, values: np.ndarray) -> tuple[Point, ...]:
    """Global minimizers on the bounds, from the grid's best local minima refined by zooming.

    Empty when f is unbounded below there: a value of -inf on the grid, a refinement that keeps
    falling (log(x) towards 0), or a best point on the edge of the view with f lower just beyond.
    """
    if np.any(values == -np.inf):
        return ()
    candidates = _grid_candidates(points, values, _center(bounds))
    if len(candidates) == 0:
        return ()
    cell = np.array([(high - low) / (GRID_POINTS - 1) for low, high in bounds])
    refined, refined_values, falling = _zoom(f, candidates, cell, bounds)
    best = int(np.argmin(refined_values))
    if falling[best] or _lower_beyond_edge(f, refined[best], refined_values[best], bounds):
        return ()
    tolerance = 1e-6 * (1.0 + abs(refined_values[best]))
    tied = [p for p, v in zip(refined, refined_values, strict=True) if v <= refined_values[best] + tolerance]
    # Candidates from one basin end far closer than half a cell; ties along a flat valley stay a cell apart.
    distinct: list[np.ndarray] = []
    for point in tied:
        if all(np.any(np.abs(point - other) > cell / 2) for other in distinct):
            distinct.append(point)
    if len(distinct) > MAX_MINIMA:
        distinct = [min(distinct, key=lambda p: float(np.hypot(*(p - _center(bounds)))))]
    return tuple((float(p[0]), float(p[1])) for p in distinct)


def _center(bounds: Bounds) -> np.ndarray:
    return np.array([sum(bounds[0]) / 2.0, sum(bounds[1]) / 2.0])


def _grid_candidates(points: np.ndarray, values: np.ndarray, center: np.ndarray) -> np.ndarray:
    """The grid points no higher than their 8 neighbours, lowest first (nearest the centre on ties)."""
    finite = np.where(np.isfinite(values), values, np.inf)
    padded = np.pad(finite, 1, constant_values=np.inf)
    n, m = finite.shape
    neighbours = np.min([padded[1 + di:1 + di + n, 1 + dj:1 + dj + m]
                         for di in (-1, 0, 1) for dj in (-1, 0, 1) if (di, dj) != (0, 0)], axis=0)
    local = np.isfinite(finite) & (finite <= neighbours)
    flat_points, flat_values = points[local], finite[local]
    distance = np.hypot(*(flat_points - center).T)
    order = np.lexsort((distance, flat_values))[:CANDIDATES]
    return flat_points[order]


def _zoom(f: Callable, candidates: np.ndarray, cell: np.ndarray,
          bounds: Bounds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Refine each candidate on ever finer local grids; also say which ones kept falling.

    A window whose best point is inside it shrinks; one whose best point is on its edge moves
    there unchanged, so a refinement can follow a curved valley. A candidate still falling by a
    visible amount in the second half of the rounds is a sign f is unbounded below there.
    """
    low, high = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    offsets = np.linspace(-1.0, 1.0, ZOOM_POINTS)
    steps = np.stack(np.meshgrid(offsets, offsets, indexing="ij"), axis=-1).reshape(-1, 2)
    centers = candidates.copy()
    half_widths = np.broadcast_to(cell, centers.shape).copy()
    best_values = f(centers)
    halfway_values = best_values
    for round_ in range(ZOOM_ROUNDS):
        windows = np.clip(centers[:, None, :] + steps[None] * half_widths[:, None, :], low, high)
        window_values = f(windows)
        window_values = np.where(np.isfinite(window_values), window_values, np.inf)
        choice = np.argmin(window_values, axis=1)
        improved = window_values[np.arange(len(centers)), choice] < best_values
        centers = np.where(improved[:, None], windows[np.arange(len(centers)), choice], centers)
        best_values = np.where(improved, window_values[np.arange(len(centers)), choice], best_values)
        inside = np.all(np.abs(steps[choice]) < 1.0, axis=1) | ~improved
        half_widths = np.where(inside[:, None], half_widths * ZOOM_SHRINK, half_widths)
        if round_ == ZOOM_ROUNDS // 2:
            halfway_values = best_values
    falling = halfway_values - best_values > 1e-3 * (1.0 + np.abs(halfway_values))
    return centers, best_values, falling


def _lower_beyond_edge(f: Callable, point: np.ndarray, value: float, bounds: Bounds) -> bool:
    """Whether ``point`` sits on the edge of the view and f is clearly lower just outside it."""
    for axis, (low, high) in enumerate(bounds):
        step = 0.01 * (high - low)
        for edge, direction in ((low, -1.0), (high, 1.0)):
            if abs(point[axis] - edge) <= 1e-9 * (high - low):
                outside = point.copy()
                outside[axis] += direction * step
                if f(outside) < value - 1e-6 * (1.0 + abs(value)):
                    return True
    return False


def _start(f: Callable, grad: Callable, bounds: Bounds) -> Point:
    """The highest of eight points three quarters of the way to the corners and edge midpoints.

    Far from the low ground, so a run has somewhere to go; points where f or its gradient is
    not finite are skipped (the centre if all are).
    """
    center = _center(bounds)
    half = np.array([(high - low) / 2.0 for low, high in bounds])
    points = center + START_REACH * half * np.array(START_DIRECTIONS, dtype=np.float64)
    values = f(points)
    usable = np.isfinite(values) & np.all(np.isfinite(grad(points)), axis=-1)
    if not np.any(usable):
        return float(center[0]), float(center[1])
    best = points[int(np.argmax(np.where(usable, values, -np.inf)))]
    return float(best[0]), float(best[1])


def _reads_better_in_log(values: np.ndarray) -> bool:
    """Log-spaced contours when f ≥ 0 and its lowest tenth of the view lies below 5% of the peak.

    That separates the bowls and valleys of the built-ins (quadratic, Booth, Himmelblau,
    Rosenbrock, Beale: 0.4% to 3.7%) from the egg crates (Rastrigin 23%, Ackley 42%).
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0 or finite.min() < 0:
        return False
    heights = finite - finite.min()
    return bool(heights.max() > 0 and np.quantile(heights, 0.1) < 0.05 * heights.max())
