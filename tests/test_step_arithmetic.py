"""Recording the state never changes a path: the runner reads the state, the steps stay as they are."""

import numpy as np
import pytest

import landscapes
import optimizers

ROSENBROCK = landscapes.get("rosenbrock")
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.8, 2.5]])


@pytest.mark.parametrize("name", optimizers.names())
def test_recording_the_state_leaves_the_path_alone(name):
    options = {"amsgrad": True} if name in ("adam", "adamw") else {}
    for extra in ({}, options):
        plain = optimizers.run(name, ROSENBROCK, STARTS, steps=40, lr=1e-2, **extra)
        recorded = optimizers.run(name, ROSENBROCK, STARTS, steps=40, lr=1e-2, record_state=True, **extra)
        np.testing.assert_array_equal(recorded.path, plain.path)
        np.testing.assert_array_equal(recorded.loss, plain.loss)
