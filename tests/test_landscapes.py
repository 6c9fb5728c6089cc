"""One shared walk over every registered landscape: gradients, minima, views, broadcasting, errors."""

import math

import numpy as np
import pytest

import landscapes

from .conftest import assert_equal_up_to_rounding

REQUIRED = {
    "rosenbrock", "saddle", "monkey_saddle", "quadratic", "beale", "himmelblau",
    "rastrigin", "ackley", "styblinski_tang", "six_hump_camel", "booth",
}  # fmt: skip
QUADRATIC_SETTINGS = ({"condition": 100.0, "angle": 30.0}, {"condition": 1000.0, "angle": -60.0})
CASES = [(name, {}) for name in landscapes.names()] + [("quadratic", s) for s in QUADRATIC_SETTINGS]
GRID_SIDE = 801
# Runs are declared diverged beyond this many view-widths, so f and grad must be quiet out to there.
RUNNER_REACH = 1e3


def _case_id(case):
    name, params = case
    return name + "".join(f"-{k}={v:g}" for k, v in params.items())


def _build(case):
    name, params = case
    return landscapes.get(name, **params)


@pytest.fixture(params=CASES, ids=[_case_id(c) for c in CASES])
def land(request):
    return _build(request.param)


WITH_MINIMA = [c for c in CASES if _build(c).minima]
UNBOUNDED = [c for c in CASES if not _build(c).minima]


def _low_high(land):
    return np.array([land.bounds[0][0], land.bounds[1][0]]), np.array([land.bounds[0][1], land.bounds[1][1]])


def _grid(land, side=GRID_SIDE, zoom=1.0):
    low, high = _low_high(land)
    center, half = (low + high) / 2, zoom * (high - low) / 2
    axes = [np.linspace(c - h, c + h, side) for c, h in zip(center, half, strict=True)]
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)


def _central_differences(function, points, step):
    """∂f/∂x and ∂f/∂y by (f(p + h e) − f(p − h e)) / 2h; function maps (..., 2) to (..., k) or (...)."""
    columns = []
    for axis in range(2):
        shift = np.zeros(2)
        shift[axis] = step
        columns.append((function(points + shift) - function(points - shift)) / (2 * step))
    return np.stack(columns, axis=-1)


def test_every_required_landscape_is_registered():
    assert set(landscapes.names()) >= REQUIRED


def test_declaration_is_well_formed(land):
    (x_low, x_high), (y_low, y_high) = land.bounds
    assert all(math.isfinite(v) for v in (x_low, x_high, y_low, y_high))
    assert x_low < x_high and y_low < y_high
    assert x_low < land.start[0] < x_high and y_low < land.start[1] < y_high
    for x, y in land.minima:
        assert x_low <= x <= x_high and y_low <= y <= y_high
    assert land.id in landscapes.names()
    assert land.name.strip() and land.formula.strip() and land.gradient_formula.strip()
    assert land.description.strip().endswith(".")
    assert isinstance(land.log_contours, bool)


def test_analytic_gradient_matches_central_differences(land):
    low, high = _low_high(land)
    points = np.random.default_rng(20240601).uniform(low, high, size=(400, 2))
    if land.id == "ackley":
        points = points[np.linalg.norm(points, axis=-1) > 1e-2]  # away from the kink at the origin
    step = 1e-6 * land.span
    numeric = _central_differences(land.f, points, step)
    analytic = land.grad(points)
    # Rounding in the differences grows like eps·|f|/step, so |f|/span sets the floor of the scale.
    scale = np.linalg.norm(analytic, axis=-1) + (1.0 + np.abs(land.f(points))) / land.span
    relative_error = np.max(np.abs(numeric - analytic), axis=-1) / scale
    assert relative_error.max() < 1e-6


def test_analytic_hessian_matches_central_differences_of_the_gradient(land):
    low, high = _low_high(land)
    points = np.random.default_rng(20261203).uniform(low, high, size=(400, 2))
    if land.id == "ackley":
        points = points[np.linalg.norm(points, axis=-1) > 1e-2]  # the cone's tip has no curvature
    step = 1e-5 * land.span
    # Column j of the differences is ∂∇f/∂θⱼ; the Hessian is symmetric, so rows and columns agree.
    numeric = np.swapaxes(_central_differences(land.grad, points, step), -1, -2)
    analytic = land.hessian(points)
    assert analytic.shape == (len(points), 2, 2)
    np.testing.assert_array_equal(analytic, np.swapaxes(analytic, -1, -2))
    # Differences of the gradient err by eps·|∇f|/step in rounding and step²·|∇³f| in truncation.
    scale = np.linalg.norm(analytic, axis=(-2, -1)) + np.linalg.norm(land.grad(points), axis=-1) / land.span
    relative_error = np.max(np.abs(numeric - analytic), axis=(-2, -1)) / scale
    assert relative_error.max() < 1e-4


def test_hessians_broadcast_like_gradients(land):
    low, high = _low_high(land)
    batch = np.random.default_rng(8).uniform(low, high, size=(3, 4, 2))
    matrices = land.hessian(batch)
    assert matrices.shape == (3, 4, 2, 2) and matrices.dtype == np.float64
    assert land.hessian(batch[1, 2]).shape == (2, 2)
    assert_equal_up_to_rounding(land.hessian(batch[1, 2]), matrices[1, 2], rtol=1e-12)


def test_ackley_has_no_curvature_at_its_tip():
    assert np.all(np.isnan(landscapes.get("ackley").hessian(np.zeros(2))))


def test_an_l2_penalty_adds_lambda_to_the_curvature():
    rosenbrock = landscapes.get("rosenbrock")
    points = np.random.default_rng(5).uniform(-1.0, 1.0, size=(20, 2))
    penalized = landscapes.with_l2(rosenbrock, 0.25).hessian(points)
    np.testing.assert_array_equal(penalized - rosenbrock.hessian(points), np.broadcast_to(0.25 * np.eye(2), (20, 2, 2)))


def _newton_polish(land, points, iterations=40):
    """Newton steps with the Hessian from differences of the analytic gradient (test-only helper)."""
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            curvature = _central_differences(land.grad, points, 1e-6)
            step = np.linalg.pinv(curvature) @ land.grad(points)[..., None]
            points = points - step[..., 0]
    return points[np.all(np.isfinite(points), axis=-1)]


def _grid_local_minima(values, points):
    """Interior grid points no higher than any of their eight neighbours."""
    core = values[1:-1, 1:-1]
    lowest = np.ones_like(core, dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            lowest &= core <= values[1 + dx : values.shape[0] - 1 + dx, 1 + dy : values.shape[1] - 1 + dy]
    return points[1:-1, 1:-1][lowest]


@pytest.mark.parametrize("case", WITH_MINIMA, ids=[_case_id(c) for c in WITH_MINIMA])
def test_declared_minima_are_the_global_minimizers(case):
    land = _build(case)
    minima = np.array(land.minima)
    best = land.f(minima)
    tolerance = 1e-9 * (1.0 + abs(best[0]))
    np.testing.assert_allclose(best, best[0], rtol=0, atol=tolerance)
    np.testing.assert_allclose(land.grad(minima), 0.0, atol=1e-9)

    points = _grid(land)
    values = land.f(points)
    assert values.min() >= best[0] - tolerance
    # The grid's lowest point lies next to a declared minimum (within a few cells).
    cell = np.hypot(*((np.diff(_low_high(land), axis=0)[0]) / (GRID_SIDE - 1)))
    lowest = points.reshape(-1, 2)[np.argmin(values)]
    assert np.linalg.norm(minima - lowest, axis=-1).min() < 3 * cell

    # Completeness: grid dimples polished by Newton reach the optimal value only at declared
    # minima, and reach every one of them.
    polished = _newton_polish(land, _grid_local_minima(values, points))
    low, high = _low_high(land)
    inside = np.all((polished >= low) & (polished <= high), axis=-1)
    optimal = polished[inside & (land.f(polished) <= best[0] + tolerance)]
    distances = np.linalg.norm(optimal[:, None, :] - minima[None, :, :], axis=-1)
    assert distances.min(axis=1).max() < 1e-6, "an undeclared global minimizer"
    assert distances.min(axis=0).max() < 1e-6, "a declared minimum no descent reaches"


@pytest.mark.parametrize("case", UNBOUNDED, ids=[_case_id(c) for c in UNBOUNDED])
def test_landscapes_without_minima_are_unbounded_below(case):
    land = _build(case)
    lowest = [land.f(_grid(land, side=101, zoom=zoom)).min() for zoom in (1.0, 10.0, 100.0)]
    assert lowest[0] > lowest[1] > lowest[2]
    assert lowest[2] < -1e3 * abs(lowest[0])


def test_f_and_grad_broadcast_over_leading_axes(land):
    low, high = _low_high(land)
    batch = np.random.default_rng(7).uniform(low, high, size=(3, 4, 2))
    values, gradients = land.f(batch), land.grad(batch)
    assert values.shape == (3, 4) and gradients.shape == (3, 4, 2)
    assert values.dtype == np.float64 and gradients.dtype == np.float64
    for index in np.ndindex(3, 4):
        point = batch[index]
        assert land.f(point).shape == () and land.grad(point).shape == (2,)
        # A lone point's x**3, sin, exp… may come from libm where the batch's came from a SIMD kernel.
        assert_equal_up_to_rounding(land.f(point), values[index], rtol=1e-12)
        assert_equal_up_to_rounding(land.grad(point), gradients[index], rtol=1e-12)


def test_finite_and_quiet_everywhere_the_runner_can_go(land):
    center = land.center
    reach = RUNNER_REACH * land.span
    points = np.concatenate(
        [
            np.random.default_rng(3).uniform(center - reach, center + reach, size=(200, 2)),
            center + reach * np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]]),
            np.array([[0.0, 0.0], [1e-300, 0.0], [5e-324, -5e-324], *land.minima, land.start]),
        ]
    )
    assert np.all(np.isfinite(land.f(points)))
    assert np.all(np.isfinite(land.grad(points)))


def test_ackley_gradient_is_zero_at_the_kink_and_finite_beside_it():
    ackley = landscapes.get("ackley")
    np.testing.assert_array_equal(ackley.grad(np.zeros(2)), [0.0, 0.0])
    # Next to the origin the cone dominates: slope 20·0.2/√2 = 2√2 pointing away from the origin.
    for point in ([1e-300, 0.0], [0.0, -5e-324], [3e-9, 4e-9]):
        gradient = ackley.grad(np.array(point))
        np.testing.assert_allclose(np.linalg.norm(gradient), 2 * math.sqrt(2), rtol=1e-6)
        np.testing.assert_allclose(gradient / np.linalg.norm(gradient), np.array(point) / np.hypot(*point))


@pytest.mark.parametrize(
    ("condition", "angle"), [(1.0, 0.0), (10.0, 0.0), (100.0, 30.0), (1000.0, -60.0), (50.0, 90.0), (4.0, -90.0)]
)
def test_quadratic_has_the_requested_conditioning_and_rotation(condition, angle):
    quadratic = landscapes.get("quadratic", condition=condition, angle=angle)
    # The gradient Aθ is linear, so its values at the unit vectors are the Hessian's columns.
    curvature = quadratic.grad(np.eye(2)).T
    points = np.random.default_rng(11).normal(size=(50, 2))
    np.testing.assert_allclose(quadratic.grad(points), points @ curvature.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(quadratic.f(points), 0.5 * np.einsum("ni,ij,nj->n", points, curvature, points))
    np.testing.assert_allclose(curvature, curvature.T, atol=1e-12)

    eigenvalues, eigenvectors = np.linalg.eigh(curvature)
    np.testing.assert_allclose(eigenvalues, [1.0, condition], rtol=1e-12)
    np.testing.assert_array_equal(quadratic.hessian(points), np.broadcast_to(curvature, (50, 2, 2)))
    largest, smallest = np.linalg.eigvalsh(quadratic.hessian(np.zeros(2)))[::-1]
    np.testing.assert_allclose(largest / smallest, condition, rtol=1e-12)
    if condition > 1.0:
        shallow = eigenvectors[:, 0]
        measured = math.degrees(math.atan2(shallow[1], shallow[0]))
        # An eigenvector's sign is arbitrary: compare directions modulo 180°.
        difference = (measured - angle + 90.0) % 180.0 - 90.0
        assert abs(difference) < 1e-9
    assert quadratic.parameters == {"condition": condition, "angle": angle}


def test_quadratic_parameters_and_defaults():
    declared = {p.name: p for p in landscapes.parameters("quadratic")}
    assert set(declared) == {"condition", "angle"}
    assert (declared["condition"].low, declared["condition"].high) == (1.0, 1000.0)
    assert (declared["angle"].low, declared["angle"].high) == (-90.0, 90.0)
    assert declared["condition"].default > 1.0 and declared["angle"].default == 0.0
    default = landscapes.get("quadratic")
    assert default.parameters == {"condition": declared["condition"].default, "angle": 0.0}
    assert landscapes.parameters("rosenbrock") == ()


def test_unknown_landscape_lists_the_valid_ids():
    with pytest.raises(ValueError, match="unknown landscape 'banana'") as caught:
        landscapes.get("banana")
    for name in landscapes.names():
        assert name in str(caught.value)


@pytest.mark.parametrize(
    ("name", "params", "named"),
    [
        ("quadratic", {"kappa": 5.0}, "kappa"),
        ("rosenbrock", {"condition": 5.0}, "condition"),
        ("quadratic", {"condition": 0.5}, "condition"),
        ("quadratic", {"condition": 1001.0}, "condition"),
        ("quadratic", {"condition": float("nan")}, "condition"),
        ("quadratic", {"angle": 90.5}, "angle"),
        ("quadratic", {"angle": "steep"}, "angle"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(name, params, named):
    with pytest.raises(ValueError, match=named):
        landscapes.get(name, **params)
