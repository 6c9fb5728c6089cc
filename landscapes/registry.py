"""Landscapes by id; parameterized families take keyword arguments."""

from collections.abc import Callable

from . import classic
from .base import Landscape, Parameter

_FACTORIES: dict[str, Callable[..., Landscape]] = {
    "rosenbrock": classic.rosenbrock,
}

_PARAMETERS: dict[str, tuple[Parameter, ...]] = {}


def names() -> tuple[str, ...]:
    """Every registered landscape id."""
    return tuple(_FACTORIES)


def parameters(name: str) -> tuple[Parameter, ...]:
    """The knobs of a parameterized family (empty for a fixed function)."""
    _check(name)
    return _PARAMETERS.get(name, ())


def _check(name: str) -> None:
    if name not in _FACTORIES:
        raise ValueError(f"unknown landscape {name!r}; valid: {', '.join(names())}")


def get(name: str, **params: float) -> Landscape:
    """The landscape ``name``, e.g. ``get("quadratic", condition=100.0, angle=30.0)``."""
    _check(name)
    allowed = {p.name: p for p in parameters(name)}
    for key, value in params.items():
        if key not in allowed:
            valid = ", ".join(allowed) or "none"
            raise ValueError(f"landscape {name!r} has no parameter {key!r}; valid: {valid}")
        p = allowed[key]
        if not p.low <= float(value) <= p.high:
            raise ValueError(f"{key} must be in [{p.low:g}, {p.high:g}], got {value!r}")
    return _FACTORIES[name](**params)
