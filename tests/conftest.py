"""Shared fixtures and the one rule for comparing numbers computed along different paths.

Only + − × ÷ and √ are correctly rounded, so only sequences of those give the same bits whatever
the code path. NumPy picks SIMD kernels by CPU for ``**``, ``exp``, ``sin``… on arrays (AVX-512,
AVX2, NEON) and calls C's libm on a lone scalar; each is within an ulp or so, and the two may
differ in the last bit. Tests that compare such paths use ``assert_equal_up_to_rounding``.
"""

from __future__ import annotations

import numpy as np
import pytest

import landscapes


@pytest.fixture(scope="session")
def rosenbrock() -> landscapes.Landscape:
    return landscapes.get("rosenbrock")


def assert_equal_up_to_rounding(actual, expected, rtol: float, err_msg: str = "") -> None:
    """Equal within ``rtol`` of the largest magnitude in ``expected`` (NaN where NaN).

    Scaled by the largest value, not each element's own: a sum of terms that nearly cancel keeps
    the absolute error of its terms, so a small component carries a large relative error.
    """
    expected = np.asarray(expected, dtype=np.float64)
    finite = np.isfinite(expected)
    scale = max(1.0, float(np.max(np.abs(expected[finite]), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale, err_msg=err_msg)
