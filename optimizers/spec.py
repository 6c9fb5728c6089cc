"""What an optimizer is: its hyperparameters, its update rule, and its PyTorch twin."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

State = dict[str, np.ndarray]

# Set in ``hp`` when the runner records the state: steps then also return derived views (m̂, v̂).
RECORD_STATE = "record_state"


@dataclass(frozen=True)
class Hyperparameter:
    """One knob of an optimizer.

    ``low``/``high`` bound the *valid* values (checked on every run); ``slider`` is the
    range a user interface offers, which is narrower and always inside the valid one.
    Boolean switches have ``kind="bool"`` and are never batched.
    """

    name: str
    symbol: str
    default: float | bool
    help: str
    kind: str = "float"
    low: float = -np.inf
    high: float = np.inf
    low_inclusive: bool = True
    high_inclusive: bool = True
    log: bool = False
    slider: tuple[float, float] | None = None

    def describe_range(self) -> str:
        if self.kind == "bool":
            return "True or False"
        if np.isinf(self.high):
            return f"{'≥' if self.low_inclusive else '>'} {self.low:g}"
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        return f"in {left}{self.low:g}, {self.high:g}{right}"

    def validate(self, value: Any) -> Any:
        """Return ``value`` as a float array (or bool), or raise ValueError naming the range."""
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{self.name} must be True or False, got {value!r}")
            return bool(value)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name} must be a number {self.describe_range()}, got {value!r}") from None
        with np.errstate(invalid="ignore"):
            above_low = array >= self.low if self.low_inclusive else array > self.low
            below_high = array <= self.high if self.high_inclusive else array < self.high
        if not np.all(above_low & below_high):
            bad = array[~(above_low & below_high)] if array.ndim else array
            raise ValueError(f"{self.name} must be {self.describe_range()}, got {np.ravel(bad)[0]:g}")
        return array if array.ndim else float(array)


def learning_rate(default: float, help: str = "step size α") -> Hyperparameter:
    return Hyperparameter("lr", r"\alpha", default, help, low=0.0, log=True, slider=(1e-5, 10.0))


def beta(name: str, symbol: str, default: float, help: str) -> Hyperparameter:
    return Hyperparameter(name, symbol, default, help, low=0.0, high=1.0, high_inclusive=False,
                          slider=(0.0, 0.9999))


def epsilon(default: float) -> Hyperparameter:
    return Hyperparameter("eps", r"\varepsilon", default, "keeps the denominator away from zero",
                          low=0.0, low_inclusive=False, log=True, slider=(1e-12, 1.0))


def weight_decay(default: float = 0.0, help: str = "L2 penalty λ added to the gradient") -> Hyperparameter:
    return Hyperparameter("weight_decay", r"\lambda", default, help, low=0.0, log=True, slider=(1e-5, 10.0))


def switch(name: str, default: bool, help: str) -> Hyperparameter:
    return Hyperparameter(name, name, default, help, kind="bool")


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as data plus two pure functions.

    ``init(theta, hp) -> state`` and ``step(theta, grad, state, t, lr, hp) -> (theta, state)``
    where ``theta`` and ``grad`` are ``(*batch, 2)``, ``hp`` maps hyperparameter names to
    floats or ``(*batch, 1)`` arrays, ``t`` is the 1-based step and ``lr`` the scheduled rate.
    ``pytorch(settings)`` returns the equivalent ``torch.optim`` call, or ``None`` when the
    settings have no twin; ``no_twin_reason(settings)`` then says why.
    """

    id: str
    label: str
    summary: str
    update_rule: str
    hyperparameters: tuple[Hyperparameter, ...]
    init: Callable[[np.ndarray, Mapping[str, Any]], State]
    step: Callable[..., tuple[np.ndarray, State]]
    pytorch: Callable[[Mapping[str, Any]], str | None]
    no_twin_reason: Callable[[Mapping[str, Any]], str | None] = field(default=lambda settings: None)
    check: Callable[[Mapping[str, Any]], None] = field(default=lambda settings: None)

    @property
    def defaults(self) -> dict[str, float | bool]:
        return {h.name: h.default for h in self.hyperparameters}

    def hyperparameter(self, name: str) -> Hyperparameter:
        for h in self.hyperparameters:
            if h.name == name:
                return h
        valid = ", ".join(h.name for h in self.hyperparameters)
        raise ValueError(f"{self.id} has no hyperparameter {name!r}; valid: {valid}")

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """Defaults updated by ``overrides``, each validated; unknown names raise ValueError."""
        for name in overrides:
            self.hyperparameter(name)
        values = {h.name: h.validate(overrides.get(h.name, h.default)) for h in self.hyperparameters}
        self.check(values)
        return values


def torch_float(value: float) -> str:
    """A float as Python source that round-trips exactly and reads well (1e-08, 0.9)."""
    return repr(float(value))


def format_call(name: str, arguments: Mapping[str, str]) -> str:
    args = ", ".join(["model.parameters()", *(f"{k}={v}" for k, v in arguments.items())])
    return f"torch.optim.{name}({args})"
