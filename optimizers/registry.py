"""Optimizers by id: adding one is a module with its spec and a line here."""

from . import adagrad, adam, adam_variants, lion, rmsprop, sgd
from .spec import OptimizerSpec

_REGISTRY: dict[str, OptimizerSpec] = {spec.id: spec for spec in (
    sgd.SGD,
    sgd.MOMENTUM,
    rmsprop.RMSPROP,
    adagrad.ADAGRAD,
    adam.ADAM,
    adam.ADAMW,
    adam_variants.NADAM,
    adam_variants.RADAM,
    adam_variants.ADAMAX,
    lion.LION,
)}


def names() -> tuple[str, ...]:
    """Every registered optimizer id, in the article's order then the modern family."""
    return tuple(_REGISTRY)


def get(name: str) -> OptimizerSpec:
    """The spec for ``name``; an unknown id raises ValueError listing the valid ones."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; valid: {', '.join(names())}") from None
