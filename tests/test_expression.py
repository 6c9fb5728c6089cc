"""Typed landscapes: the grammar parses, gradients are exact, built-ins round-trip, runs work."""

import ast

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from landscapes.expression_parser import MAX_DEPTH, MAX_LENGTH, MAX_NODES

# The built-ins' formulas as a user would type them.
TYPED = {
    "rosenbrock": "(1 - x)**2 + 100*(y - x**2)**2",
    "beale": "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    "himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "booth": "(x + 2*y - 7)**2 + (2*x + y - 5)**2",
    "rastrigin": "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
    "ackley": "-20*exp(-0.2*sqrt(0.5*(x**2 + y**2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
    "six_hump_camel": "(4 - 2.1*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2",
    "styblinski_tang": "0.5*(x**4 - 16*x**2 + 5*x + y**4 - 16*y**2 + 5*y)",
    "saddle": "x**2 - y**2",
    "monkey_saddle": "x**3 - 3*x*y**2",
}

# ---- a recursive strategy for the grammar --------------------------------------------------
# Functions are wrapped so their argument stays in the domain and bounded (log(1 + a²),
# exp(tanh(a)), …): every generated text is then a valid formula, not merely a parsable one.
COEFFICIENTS = st.sampled_from(["2", "0.5", "1e-3", "3.25", "pi", "e"])
UNARY = [
    "sin({})", "cos({})", "tanh({})", "arctan({})", "atan({})", "abs({})", "tan(sin({}))",
    "exp(tanh({}))", "sinh(cos({}))", "cosh(sin({}))", "log(1 + ({})**2)", "sqrt(1 + ({})^2)",
    "-({})", "+({})", "(1 + ({}))**2", "(2 + ({}))^3",
]
BINARY = ["({}) + ({})", "({}) - ({})", "({}) * ({})", "({}) / (1 + ({})**2)"]


def _extend(children):
    unary = st.builds(lambda template, a: template.format(a), st.sampled_from(UNARY), children)
    scaled = st.builds(lambda c, a, op: f"{c} {op} ({a})", COEFFICIENTS, children, st.sampled_from("*+"))
    binary = st.builds(lambda template, a, b: template.format(a, b), st.sampled_from(BINARY), children, children)
    return unary | scaled | binary


EXPRESSIONS = st.recursive(st.sampled_from(["x", "y"]), _extend, max_leaves=8)


def _depth(node):
    return 1 + max((_depth(child) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)), default=0)


def _within_limits(text):
    """The size limits are part of the grammar; the strategy can outgrow them."""
    if len(text) > MAX_LENGTH:
        return False
    tree = ast.parse(text.replace("^", "**"), mode="eval")
    return sum(isinstance(n, ast.expr) for n in ast.walk(tree)) <= MAX_NODES and _depth(tree.body) <= MAX_DEPTH


def _central_differences(f, points, step):
    return np.stack([(f(points + step * e) - f(points - step * e)) / (2 * step) for e in np.eye(2)], axis=-1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=EXPRESSIONS, seed=st.integers(0, 2**32 - 1))
def test_generated_expressions_parse_and_their_gradients_match_central_differences(text, seed):
    assume(_within_limits(text))
    land = landscapes.from_expression(text)
    points = np.random.default_rng(seed).uniform(-2.0, 2.0, size=(16, 2))
    values, gradients = land.f(points), land.grad(points)
    coarse, fine = _central_differences(land.f, points, 1e-4), _central_differences(land.f, points, 1e-5)
    scale = 1.0 + np.abs(gradients)
    # Smooth and moderate here: finite, not huge, and two step sizes agree (no kink in between).
    moderate = np.isfinite(values) & (np.abs(values) < 1e4)
    smooth = (moderate[:, None] & np.isfinite(gradients) & np.isfinite(fine) & (np.abs(gradients) < 1e4)
              & (np.abs(coarse - fine) < 1e-5 * scale))
    assume(np.any(smooth))
    np.testing.assert_allclose(gradients[smooth], fine[smooth], rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=EXPRESSIONS, seed=st.integers(0, 2**32 - 1))
def test_typed_hessians_match_central_differences_of_the_gradient(text, seed):
    assume(_within_limits(text))
    land = landscapes.from_expression(text)
    points = np.random.default_rng(seed).uniform(-2.0, 2.0, size=(16, 2))
    hessians = land.hessian(points)
    assert hessians.shape == (16, 2, 2)
    columns = [_central_differences(lambda p, axis=axis: land.grad(p)[..., axis], points, step) for step in (1e-4, 1e-5)
               for axis in range(2)]
    coarse, fine = np.stack(columns[:2], axis=-2), np.stack(columns[2:], axis=-2)
    scale = 1.0 + np.abs(hessians)
    moderate = np.all(np.isfinite(hessians) & (np.abs(hessians) < 1e4), axis=(-2, -1))
    smooth = moderate[:, None, None] & np.isfinite(fine) & (np.abs(coarse - fine) < 1e-5 * scale)
    assume(np.any(smooth))
    np.testing.assert_allclose(hessians[smooth], fine[smooth], rtol=1e-5, atol=1e-5)


def test_a_typed_hessian_is_nan_outside_the_domain():
    land = landscapes.from_expression("log(x) + x*y^2")
    hessians = land.hessian(np.array([[2.0, 3.0], [-1.0, 0.5]]))
    np.testing.assert_allclose(hessians[0], [[-0.25, 6.0], [6.0, 4.0]], rtol=1e-15)
    assert np.all(np.isnan(hessians[1]))


@pytest.mark.parametrize("name", sorted(TYPED))
def test_typed_built_in_matches_the_built_in(name):
    if name not in landscapes.names():
        pytest.skip(f"{name} is not registered yet")
    built_in = landscapes.get(name)
    typed = landscapes.from_expression(TYPED[name], bounds=built_in.bounds)
    (x_low, x_high), (y_low, y_high) = built_in.bounds
    rng = np.random.default_rng(3)
    points = np.stack([rng.uniform(x_low, x_high, 200), rng.uniform(y_low, y_high, 200)], axis=-1)
    np.testing.assert_allclose(typed.f(points), built_in.f(points), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(typed.grad(points), built_in.grad(points), rtol=1e-10, atol=1e-10)
    # Two derivations of the same curvature, sympy's and the hand-written one, summed in other orders.
    np.testing.assert_allclose(typed.hessian(points), built_in.hessian(points), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", sorted(TYPED))
def test_estimated_minima_of_a_typed_built_in_are_the_built_ins(name):
    if name not in landscapes.names():
        pytest.skip(f"{name} is not registered yet")
    built_in = landscapes.get(name)
    typed = landscapes.from_expression(TYPED[name], bounds=built_in.bounds)
    assert len(typed.minima) == len(built_in.minima)
    for known in built_in.minima:
        assert min(np.hypot(*np.subtract(known, found)) for found in typed.minima) < 1e-5


def test_a_typed_landscape_runs_like_a_built_in():
    typed = landscapes.from_expression(TYPED["rosenbrock"], bounds=landscapes.get("rosenbrock").bounds)
    ours = optimizers.run("adam", typed, start=(-1.5, 2.0), steps=300, lr=1e-2)
    theirs = optimizers.run("adam", landscapes.get("rosenbrock"), start=(-1.5, 2.0), steps=300, lr=1e-2)
    np.testing.assert_allclose(ours.path, theirs.path, rtol=0, atol=1e-12)


def test_adam_converges_on_a_typed_bowl():
    bowl = landscapes.from_expression("x**2 + 10*y**2")
    trajectory = optimizers.run("adam", bowl, steps=1000, lr=0.05)
    assert trajectory.diverged_at == -1
    assert np.hypot(*trajectory.final_point) < 1e-6


def test_a_batch_of_runs_broadcasts_on_a_typed_landscape():
    starts = np.array([[[-2.0, 1.0], [1.5, -1.0]], [[0.5, 2.5], [-1.0, -1.0]]])
    trajectory = optimizers.run("sgd", landscapes.from_expression("abs(x) + y^2"), start=starts, steps=50, lr=0.01)
    assert trajectory.path.shape == (51, 2, 2, 2)
    assert np.all(trajectory.diverged_at == -1)


def test_caret_is_power():
    caret, stars = landscapes.from_expression("x^2 + 2^-1*y^3"), landscapes.from_expression("x**2 + 2**-1*y**3")
    points = np.random.default_rng(0).normal(size=(50, 2))
    np.testing.assert_array_equal(caret.f(points), stars.f(points))
    np.testing.assert_array_equal(caret.grad(points), stars.grad(points))
    assert caret.formula == stars.formula == r"f(x, y) = x^{2} + \frac{y^{3}}{2}"
    assert caret.name == "x^2 + 2^-1*y^3"


def test_formulas_are_latex_of_f_and_its_gradient():
    land = landscapes.from_expression("  sin(x)*y + abs(y)  ")
    assert land.id == "custom"
    assert land.name == "sin(x)*y + abs(y)"
    assert land.formula == r"f(x, y) = y \sin{\left(x \right)} + \left|{y}\right|"
    assert land.gradient_formula == (r"\nabla f = \left(y \cos{\left(x \right)},\; "
                                     r"\sin{\left(x \right)} + \operatorname{sign}{\left(y \right)}\right)")


def test_a_gradient_too_long_to_read_is_named_not_printed():
    product = landscapes.from_expression("*".join(f"(x + {i}*y + {i})" for i in range(1, 16)))
    assert product.gradient_formula.endswith(r"\text{ (too long to show)}")
    point = np.array([0.1, -0.2])
    np.testing.assert_allclose(product.grad(point), _central_differences(product.f, point, 1e-6), rtol=1e-6)


def test_constant_terms_and_gradients_broadcast():
    constant, linear = landscapes.from_expression("pi"), landscapes.from_expression("2*x + 3")
    points = np.zeros((4, 3, 2))
    assert constant.f(points).shape == (4, 3)
    np.testing.assert_array_equal(constant.f(points), np.pi)
    np.testing.assert_array_equal(constant.grad(points), np.zeros((4, 3, 2)))
    np.testing.assert_array_equal(linear.grad(points), np.broadcast_to([2.0, 0.0], (4, 3, 2)))
    assert linear.f([1.0, 5.0]).shape == () and linear.f([1.0, 5.0]) == 5.0
    assert linear.grad([1.0, 5.0]).shape == (2,)
    assert linear.f(points).dtype == linear.grad(points).dtype == np.float64


def test_outside_the_domain_is_nan_without_warnings():
    land = landscapes.from_expression("log(x) + sqrt(y) + 1/x")
    points = np.array([[-1.0, 1.0], [1.0, -1.0], [0.0, 1.0], [1.0, 4.0]])
    values, gradients = land.f(points), land.grad(points)
    assert np.isnan(values[:2]).all() and np.isnan(gradients[0, 0]) and np.isnan(gradients[1, 1])
    assert np.isnan(values[2])  # log(0) + 1/0 is -inf + inf
    assert values[3] == pytest.approx(3.0)
    np.testing.assert_allclose(gradients[3], [0.0, 0.25])


@pytest.mark.parametrize(("text", "fragment"), [
    ("x + z", "unknown name 'z' at column 5 — use x and y"),
    ("x^2 + sin(x, y)", "sin() takes exactly one argument, got 2 (at column 7)"),
    ("x^2 ^ 2 + y**(x^^2)", "syntax error at column 17"),
    ("  x.real", "not allowed at column 3: attribute access"),
    ("2x + y", "syntax error at column 1: a number runs into a name — write 2*x, not 2x"),
    ("x**2 + y**50", "the exponent 50 at column 11 is too large"),
    ("x^2 + 5e7*y", "the number 5e7 at column 7 is too large"),
    ("x + y/(x - x)", "division by zero at column 8"),
    ("x + log(-2)", "the constant part 'log(-2)' at column 5 is not a real number"),
    ("x + y)", "syntax error at column 6: unmatched ')'"),
    ("sin(x", "syntax error at column 4: '(' was never closed"),
])  # fmt: skip
def test_errors_say_what_and_where(text, fragment):
    with pytest.raises(ValueError) as error:
        landscapes.from_expression(text)
    assert fragment in str(error.value)


def test_minima_of_shapes_with_and_without_a_minimum():
    def minima(text):
        return landscapes.from_expression(text).minima

    np.testing.assert_allclose(minima("(x - 1)**2 + (y + 0.5)**2"), [(1.0, -0.5)], atol=1e-7)
    np.testing.assert_allclose(minima("abs(x - 0.3) + abs(y)"), [(0.3, 0.0)], atol=1e-7)
    np.testing.assert_allclose(minima("sqrt(x) + y**2"), [(0.0, 0.0)], atol=1e-7)  # on the edge of the domain
    np.testing.assert_allclose(minima("x**2"), [(0.0, 0.0)], atol=1e-7)  # a flat valley: its middle
    assert minima("x + y") == ()  # lower just beyond the view
    assert minima("log(x - 0.01) + y**2") == ()  # falls without end towards x = 0.01
    assert minima("x**2 - y**2") == ()


def test_default_start_and_contour_scale():
    bowl = landscapes.from_expression("x**2 + 10*y**2")
    assert bowl.start == (-2.25, 2.25)
    assert bowl.log_contours
    assert not landscapes.from_expression(TYPED["rastrigin"]).log_contours
    assert not landscapes.from_expression("x**2 - y**2").log_contours
    logarithm = landscapes.from_expression("log(x) + y**2", bounds=((-1, 1), (-1, 1)))
    assert logarithm.start == (0.75, 0.75)  # the highest of the candidates where f is defined


def test_bounds_default_and_validation():
    assert landscapes.from_expression("x").bounds == ((-3.0, 3.0), (-3.0, 3.0))
    assert landscapes.from_expression("x", bounds=[[0, 1], [-2, 5]]).bounds == ((0.0, 1.0), (-2.0, 5.0))
    for bad, fragment in [
        (((1, 0), (0, 1)), "x bounds must be finite with xmin < xmax"),
        (((0, 1), (0, float("inf"))), "y bounds must be finite"),
        (((0, 1), (2, 2)), "y bounds must be finite with ymin < ymax"),
        (((0, 1),), "bounds must be ((xmin, xmax), (ymin, ymax))"),
        ("wide", "bounds must be ((xmin, xmax), (ymin, ymax))"),
    ]:
        with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
            landscapes.from_expression("x", bounds=bad)


def test_compiled_landscapes_are_cached_by_text():
    assert landscapes.from_expression("x**2 + y") is landscapes.from_expression("x**2 + y")
    assert landscapes.from_expression("x**2 + y") is not landscapes.from_expression("x**2 + y", ((-1, 1), (-1, 1)))
