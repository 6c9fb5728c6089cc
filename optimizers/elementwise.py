"""Arithmetic the update rules share, on Python floats (one run, see ``one_run``) and NumPy arrays alike.

A float must not pay for a NumPy call (about a microsecond each, most of a one-run step).
"""

import math

import numpy as np


def root(value):
    """√x of a float or an array, correctly rounded either way.

    A negative float raises ValueError where NumPy gives NaN; ``one_run`` then takes the step with arrays.
    """
    return math.sqrt(value) if isinstance(value, float) else np.sqrt(value)


def larger(a, b):
    """The elementwise maximum; NaN wins, as in np.maximum."""
    if isinstance(a, float) and isinstance(b, float):
        return a if a >= b or a != a else b
    return np.maximum(a, b)


def nonzero(value) -> bool:
    """Whether a hyperparameter is non-zero anywhere in the batch."""
    # A float unless it was batched; np.any on a float costs as much as a one-run step.
    return value != 0.0 if isinstance(value, float) else bool(np.any(value))


def add_l2(grad, theta, decay):
    """g + λθ: L2 regularization folded into the gradient (a no-op when λ is 0)."""
    return grad + decay * theta if nonzero(decay) else grad
