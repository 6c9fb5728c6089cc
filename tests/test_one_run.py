"""One run goes coordinate by coordinate in Python floats: the same bits as arrays, whatever happens.

Exact comparisons hold here: on Rosenbrock (+ − × only) with scalar β's, both paths take the same
correctly rounded operations, and βᵗ is C's pow on a float in both.
"""

import dataclasses

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import one_run
from optimizers.adam_variants import NAdamState
from optimizers.sgd import SGDState

from .test_runner import GRIDS, STARTS

ROSENBROCK = landscapes.get("rosenbrock")


def as_arrays(name, start, **settings):
    """The same run through the array path: an lr of shape (1,) makes it a batch of one."""
    lr = np.array([settings.pop("lr")])
    trajectory = optimizers.run(name, ROSENBROCK, np.asarray(start)[np.newaxis], lr=lr, **settings)
    return trajectory.path[:, 0], trajectory.loss[:, 0], int(trajectory.diverged_at[0])


@pytest.mark.parametrize(("name", "swept", "values", "options"), GRIDS, ids=lambda v: str(v))
@pytest.mark.parametrize("lr", [1e-3, 1e-1, 1e4])
def test_floats_give_the_arrays_bits(name, swept, values, options, lr):
    for start in STARTS:
        settings = {"lr": lr, swept: values[-1], **options}
        floats = optimizers.run(name, ROSENBROCK, start, steps=120, **settings)
        path, loss, diverged_at = as_arrays(name, start, steps=120, **settings)
        np.testing.assert_array_equal(floats.path, path)
        np.testing.assert_array_equal(floats.loss, loss)
        assert int(floats.diverged_at) == diverged_at


def _reciprocal_step(theta, grad, state, t, lr, hp):
    """θ ← θ − α g/θ: a float θ = 0 raises ZeroDivisionError where arrays give ±inf."""
    return theta - lr * grad / theta, state


def test_a_step_python_floats_cannot_take_is_taken_with_arrays():
    step = one_run.by_coordinate(_reciprocal_step)
    theta, grad = np.array([0.0, 2.0]), np.array([1.0, 1.0])
    state = (SGDState(0.0), SGDState(0.0))
    with np.errstate(all="ignore"):
        new_theta, _ = step(theta, grad, state, 1, 0.5, {})
        expected, _ = _reciprocal_step(theta, grad, state, 1, 0.5, {})
    np.testing.assert_array_equal(new_theta, expected)
    assert new_theta[0] == -np.inf


def test_a_run_that_hits_a_float_exception_matches_the_array_run():
    reciprocal = dataclasses.replace(optimizers.get("sgd"), id="reciprocal", step=_reciprocal_step)
    start = np.array([0.0, 1.5])  # the first step divides by x = 0
    floats = optimizers.run(reciprocal, ROSENBROCK, start, steps=20, lr=1e-3)
    arrays = optimizers.run(reciprocal, ROSENBROCK, start[np.newaxis], steps=20, lr=np.array([1e-3]))
    np.testing.assert_array_equal(floats.path, arrays.path[:, 0])
    assert floats.diverged_at == arrays.diverged_at[0] == 1


def test_per_run_state_goes_to_both_coordinates():
    state = NAdamState(m=np.array([1.0, 2.0]), v=np.array([3.0, 4.0]), mu_product=np.array([0.5]))
    assert one_run.split(state) == (NAdamState(1.0, 3.0, 0.5), NAdamState(2.0, 4.0, 0.5))


def test_only_one_run_with_plain_hyperparameters_goes_by_coordinate():
    assert one_run.applies(np.zeros(2), {"lr": 0.1, "amsgrad": False})
    assert not one_run.applies(np.zeros((1, 2)), {"lr": 0.1})
    assert not one_run.applies(np.zeros(2), {"lr": np.array([0.1])})
