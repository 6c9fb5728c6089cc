"""Every landscape evaluates alike however it is asked: fused or separate (the same bits), one point or many."""

from dataclasses import replace

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.base import join
from optimizers import runner

from .conftest import assert_equal_up_to_rounding

BUILT_IN = [landscapes.get(name) for name in landscapes.names()] + [
    landscapes.get("quadratic", condition=condition, angle=angle)
    for condition, angle in ((1.0, 0.0), (100.0, 30.0), (1000.0, -60.0))
]
DERIVED = [
    landscapes.with_l2(landscapes.get("rosenbrock"), 0.1),
    landscapes.shifted_quadratic(),
    landscapes.from_expression("sin(x) * y**2 + exp(-x)"),
]
SHAPES = ((2,), (7, 2), (3, 4, 2))
# Near the minima, at ordinary scales, and far out where terms overflow: all must agree exactly.
SCALES = (1e-3, 1.0, 10.0, 1e3, 1e200)


def _label(land):
    return land.id + "".join(f"-{k}={v:g}" for k, v in land.parameters.items())


@pytest.mark.parametrize("land", BUILT_IN + DERIVED, ids=_label)
def test_value_and_grad_is_f_and_grad_exactly(land):
    rng = np.random.default_rng(0)
    points = [rng.uniform(-scale, scale, shape) for shape in SHAPES for scale in SCALES]
    points += [np.array(land.start), np.array([0.0, 0.0]), np.array([[np.nan, 1.0], [np.inf, -2.0]])]
    for xy in points:
        with np.errstate(all="ignore"):
            value, gradient = land.value_and_grad(xy)
            np.testing.assert_array_equal(value, land.f(xy))
            np.testing.assert_array_equal(gradient, land.grad(xy))
        assert np.shape(value) == xy.shape[:-1] and gradient.shape == xy.shape


@pytest.mark.parametrize("land", BUILT_IN, ids=_label)
def test_one_point_evaluates_as_its_row_in_a_batch(land):
    # NumPy computes a lone point with scalars (C's pow, sin, exp) and a batch with SIMD kernels, which
    # may round differently in the last bit; the formulas' sums carry that as an absolute error.
    points = np.random.default_rng(1).uniform(-5.0, 5.0, (2000, 2))
    values, gradients = land.value_and_grad(points)
    singles = [land.value_and_grad(xy) for xy in points]
    assert_equal_up_to_rounding([value for value, _ in singles], values, rtol=1e-12)
    assert_equal_up_to_rounding([gradient for _, gradient in singles], gradients, rtol=1e-12)


@pytest.mark.parametrize("land", BUILT_IN, ids=_label)
def test_every_built_in_landscape_has_a_fused_form(land):
    assert land.fused is not None


def test_a_landscape_derived_by_replacing_f_and_grad_drops_the_fused_form():
    assert landscapes.with_l2(landscapes.get("rosenbrock"), 0.1).fused is None


def test_join_broadcasts_its_components_onto_the_last_axis():
    joined = join(np.array([1.0, 2.0, 3.0]), 5.0)
    np.testing.assert_array_equal(joined, [[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    assert join(np.float64(1.0), np.float64(2.0)).shape == (2,)
    assert join(np.zeros((4, 1)), np.zeros(3)).shape == (4, 3, 2)


@pytest.mark.parametrize("keep_path", [True, False])
def test_the_runners_fused_losses_give_the_trajectory_of_the_windowed_f(monkeypatch, keep_path):
    monkeypatch.setattr(runner, "WINDOW_POINTS", 5000)  # several windows per run
    land = landscapes.get("rosenbrock")
    starts = np.random.default_rng(2).uniform(-2.0, 2.0, (runner.FUSED_MIN_RUNS, 2))
    lr = np.where(np.arange(len(starts)) % 3 == 0, 1e3, 1e-2)  # every third run escapes
    options = {"steps": 30, "lr": lr, "noise": 0.1, "seed": 4, "tolerance": 1.0, "keep_path": keep_path}
    fused = optimizers.run("adam", land, starts, **options)
    windowed = optimizers.run("adam", replace(land, fused=None), starts, **options)
    assert np.any(fused.diverged_at >= 0) and np.any(fused.steps_to_tolerance >= 0)
    for name in ("diverged_at", "final_point", "final_loss", "best_loss", "steps_to_tolerance", "path", "loss"):
        np.testing.assert_array_equal(getattr(fused, name), getattr(windowed, name))
