"""One run, one coordinate at a time, in Python floats.

On a single run every array has two elements, and a NumPy call costs about 0.5 µs whatever it
computes; the same update rule on the two coordinates as Python floats takes a fraction of that
(a 1,000-step Adam run: 5.5 ms instead of 13 ms, what a Playground slider move waits for). Every
rule acts on each coordinate alone, and + − × ÷ and √ are correctly rounded either way, so a rule
made of those alone gives the same bits; βᵗ is C's pow on a float and NumPy's (possibly SIMD) pow
on an array, which may differ in the last bit. Where Python's float arithmetic raises instead of
giving inf or NaN (x / 0, overflow in **, √ of a negative number), that step is taken with arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

Coordinates = tuple[tuple, tuple]  # the optimizer's state for x and for y, each a NamedTuple of floats


def applies(theta: np.ndarray, hp: Mapping[str, Any]) -> bool:
    """Whether a run can go coordinate by coordinate: one run, no hyperparameter given as an array."""
    return theta.shape == (2,) and not any(isinstance(value, np.ndarray) for value in hp.values())


def split(state: tuple) -> Coordinates:
    """Each coordinate's state; a per-run value (last axis 1, e.g. NAdam's Πμ) goes to both."""
    return tuple(type(state)(*(value[i if value.shape[-1] == 2 else 0].item() for value in state)) for i in (0, 1))


def _join(state: Coordinates) -> tuple:
    return type(state[0])(*(np.array(pair, dtype=np.float64) for pair in zip(*state, strict=True)))


def by_coordinate(step):
    """``step`` for one run, applied to each coordinate in Python floats (state from ``split``)."""

    def one_run_step(theta, grad, state: Coordinates, t, lr, hp):
        (x, y), (gx, gy) = theta.tolist(), grad.tolist()
        try:
            x, x_state = step(x, gx, state[0], t, lr, hp)
            y, y_state = step(y, gy, state[1], t, lr, hp)
        except (ArithmeticError, ValueError):
            new_theta, new_state = step(theta, grad, _join(state), t, lr, hp)
            return new_theta, split(new_state)
        return np.array((x, y), dtype=np.float64), (x_state, y_state)

    return one_run_step
