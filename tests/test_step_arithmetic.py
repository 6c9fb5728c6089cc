"""The steps' arithmetic: recording the state never changes a path, and batched βs round like floats."""

import numpy as np
import pytest

import landscapes
import optimizers

pytestmark = pytest.mark.filterwarnings("error")

ROSENBROCK = landscapes.get("rosenbrock")
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.8, 2.5]])
# β·β and Python's β**2 (C's pow) differ in the last bit for these βs.
ODD_BETAS = (0.8329, 0.6352, 0.5102)


@pytest.mark.parametrize("name", optimizers.names())
def test_recording_the_state_leaves_the_path_alone(name):
    options = {"amsgrad": True} if name in ("adam", "adamw") else {}
    for extra in ({}, options):
        plain = optimizers.run(name, ROSENBROCK, STARTS, steps=40, lr=1e-2, **extra)
        recorded = optimizers.run(name, ROSENBROCK, STARTS, steps=40, lr=1e-2, record_state=True, **extra)
        np.testing.assert_array_equal(recorded.path, plain.path)
        np.testing.assert_array_equal(recorded.loss, plain.loss)


@pytest.mark.parametrize("name", ["adam", "adamw", "nadam", "radam", "adamax"])
@pytest.mark.parametrize("swept", ["beta1", "beta2"])
def test_a_batched_beta_steps_as_the_same_beta_alone(name, swept):
    assert any(b * b != b**2 for b in ODD_BETAS)
    batched = optimizers.run(name, ROSENBROCK, STARTS[0], steps=5, lr=1e-2, **{swept: np.array(ODD_BETAS)})
    for i, value in enumerate(ODD_BETAS):
        alone = optimizers.run(name, ROSENBROCK, STARTS[0], steps=5, lr=1e-2, **{swept: value})
        np.testing.assert_array_equal(batched.path[:, i], alone.path)

