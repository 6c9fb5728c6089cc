"""2D test functions with analytic gradients, on points of shape ``(..., 2)``."""

from .base import Bounds, Landscape, Parameter
from .expression import from_expression
from .penalized import shifted_quadratic, with_l2
from .registry import get, names, parameters

__all__ = ["Bounds", "Landscape", "Parameter", "from_expression", "get", "names", "parameters", "shifted_quadratic",
           "with_l2"]
