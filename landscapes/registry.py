"""Landscapes by id; parameterized families take keyword arguments."""

from collections.abc import Callable

from . import classic, multimodal, quadratic, rugged, saddles
from .base import Landscape, Parameter

_FACTORIES: dict[str, Callable[..., Landscape]] = {
    "rosenbrock": classic.rosenbrock,
    "quadratic": quadratic.quadratic,
    "saddle": saddles.saddle,
    "monkey_saddle": saddles.monkey_saddle,
    "beale": classic.beale,
    "booth": classic.booth,
    "himmelblau": multimodal.himmelblau,
    "six_hump_camel": multimodal.six_hump_camel,
    "styblinski_tang": multimodal.styblinski_tang,
    "rastrigin": rugged.rastrigin,
    "ackley": rugged.ackley,
}

_PARAMETERS: dict[str, tuple[Parameter, ...]] = {
    "quadratic": (
        Parameter(
            name="condition",
            label="condition number κ",
            default=10.0,
            low=1.0,
            high=1000.0,
            log=True,
            help="Ratio of the steepest to the shallowest curvature; 1 is a round bowl.",
        ),
        Parameter(
            name="angle",
            label="rotation (degrees)",
            default=0.0,
            low=-90.0,
            high=90.0,
            help="Angle of the shallow axis from the x-axis; 0 lines the valley up with the coordinates.",
        ),
    ),
}


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


def _checked_value(parameter: Parameter, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{parameter.name} must be a number, got {value!r}") from None
    # NaN fails every comparison, so the range check also rejects it.
    if not parameter.low <= number <= parameter.high:
        raise ValueError(f"{parameter.name} must be in [{parameter.low:g}, {parameter.high:g}], got {value!r}")
    return number


def get(name: str, **params: float) -> Landscape:
    """The landscape ``name``, e.g. ``get("quadratic", condition=100.0, angle=30.0)``.

    Parameters not given take their declared defaults.
    """
    _check(name)
    allowed = {p.name: p for p in parameters(name)}
    unknown = [key for key in params if key not in allowed]
    if unknown:
        valid = ", ".join(allowed) or "none"
        raise ValueError(f"landscape {name!r} has no parameter {unknown[0]!r}; valid: {valid}")
    values = {key: _checked_value(allowed[key], params.get(key, p.default)) for key, p in allowed.items()}
    return _FACTORIES[name](**values)
