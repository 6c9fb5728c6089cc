"""2D test functions with analytic gradients, on points of shape ``(..., 2)``."""

from .base import Bounds, Landscape, Parameter
from .registry import get, names, parameters

__all__ = ["Bounds", "Landscape", "Parameter", "get", "names", "parameters"]
