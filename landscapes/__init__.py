"""2D test functions with analytic gradients, on points of shape ``(..., 2)``."""

from collections.abc import Sequence

from .base import Bounds, Landscape, Parameter
from .penalized import shifted_quadratic, with_l2
from .registry import get, names, parameters


def from_expression(text: str, bounds: Sequence[Sequence[float]] | None = None) -> Landscape:
    """The landscape f(x, y) = ``text`` on ``bounds`` (default ((-3, 3), (-3, 3))); see :mod:`.expression`.

    Raises ``ValueError`` saying what is wrong and at which column.
    """
    # sympy is imported on the first typed function only: once loaded, its ~35k objects cost every
    # Streamlit rerun's post-script garbage collection about 10-30 ms (measured, issue 12).
    from .expression import from_expression as build

    return build(text, bounds)


__all__ = ["Bounds", "Landscape", "Parameter", "from_expression", "get", "names", "parameters", "shifted_quadratic",
           "with_l2"]
