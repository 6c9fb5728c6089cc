"""Arithmetic the update rules share, with the same bits on Python floats and NumPy arrays.

A one-run step works on the two coordinates as Python floats (see ``one_run``), a batch on arrays;
both must round alike, and a float must not pay for a NumPy call.
"""

import math

import numpy as np


def power(base, t):
    """βᵗ with the same bits whether β is a float or a batched array.

    NumPy squares an array for t = 2 (β·β) where Python's float power calls C's pow, and the two
    can differ in the last bit; for every other t both call pow.
    """
    return base * base if t == 2 else base**t


def root(value):
    """√x of a float or an array, correctly rounded either way (np.sqrt on a float costs a microsecond).

    A negative float raises ValueError where NumPy gives NaN; ``one_run`` then takes the step with arrays.
    """
    return math.sqrt(value) if isinstance(value, float) else np.sqrt(value)
