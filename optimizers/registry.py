"""Optimizers by id."""

from .adagrad import ADAGRAD
from .adam import ADAM, ADAMW
from .adam_variants import ADAMAX, NADAM, RADAM
from .lion import LION
from .rmsprop import RMSPROP
from .sgd import MOMENTUM, SGD
from .spec import OptimizerSpec

_REGISTRY: dict[str, OptimizerSpec] = {
    spec.id: spec for spec in (SGD, MOMENTUM, RMSPROP, ADAGRAD, ADAM, ADAMW, NADAM, RADAM, ADAMAX, LION)
}


def names() -> tuple[str, ...]:
    """Every registered optimizer id, in the article's order then the modern family."""
    return tuple(_REGISTRY)


def get(name: str) -> OptimizerSpec:
    """The spec for ``name``; an unknown id raises ValueError listing the valid ones."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; valid: {', '.join(names())}") from None
