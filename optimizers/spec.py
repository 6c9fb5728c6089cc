"""What an optimizer is: its hyperparameters, its update rule, and its PyTorch twin."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# An optimizer's state is a NamedTuple of arrays shaped like θ (or (*batch, 1) for a per-run scalar).
State = tuple


@dataclass(frozen=True)
class Hyperparameter:
    """One knob of an optimizer.

    ``low``/``high`` bound the *valid* values (checked on every run); ``slider`` is the
    range a user interface offers, which is narrower and always inside the valid one.
    Boolean switches have ``kind="bool"`` and are never batched.

    ``torch`` is how the value is written in the PyTorch twin's call, ``keyword={template}`` over
    the settings' names ("" for ``name={name}``; None where another argument's template carries
    it, as ``betas`` carries β₂). ``no_twin`` is the reason torch has no counterpart for a value
    other than the default (a teaching switch); such a knob is never written.
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
    torch: str | None = ""
    no_twin: str = ""

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


def learning_rate(default: float, help: str = "step size α", torch: str = "") -> Hyperparameter:
    return Hyperparameter("lr", r"\alpha", default, help, low=0.0, log=True, slider=(1e-5, 10.0), torch=torch)


def beta(name: str, symbol: str, default: float, help: str, torch: str | None = "") -> Hyperparameter:
    return Hyperparameter(name, symbol, default, help, low=0.0, high=1.0, high_inclusive=False,
                          slider=(0.0, 0.9999), torch=torch)


def adam_betas(first_help: str, second_help: str, second_default: float = 0.999) -> tuple[Hyperparameter, ...]:
    """β₁ and β₂, written as PyTorch's ``betas=(β₁, β₂)``."""
    return (beta("beta1", r"\beta_1", 0.9, first_help, torch="betas=({beta1}, {beta2})"),
            beta("beta2", r"\beta_2", second_default, second_help, torch=None))


def epsilon(default: float) -> Hyperparameter:
    return Hyperparameter("eps", r"\varepsilon", default, "keeps the denominator away from zero",
                          low=0.0, low_inclusive=False, log=True, slider=(1e-12, 1.0))


def weight_decay(default: float = 0.0, help: str = "L2 penalty λ added to the gradient") -> Hyperparameter:
    return Hyperparameter("weight_decay", r"\lambda", default, help, low=0.0, log=True, slider=(1e-5, 10.0))


def switch(name: str, default: bool, help: str, no_twin: str = "") -> Hyperparameter:
    return Hyperparameter(name, name, default, help, kind="bool", torch=None if no_twin else "", no_twin=no_twin)


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as data plus two pure functions.

    ``init(theta, hp) -> state`` and ``step(theta, grad, state, t, lr, hp) -> (theta, state)``
    where ``theta`` and ``grad`` are ``(*batch, 2)`` arrays or, for one run, Python floats (one
    coordinate at a time, see ``one_run``); ``state`` is the optimizer's NamedTuple, ``hp`` maps
    hyperparameter names to floats or ``(*batch, 1)`` arrays, ``t`` is the 1-based step and ``lr``
    the scheduled rate. ``corrections(state, t, hp)``, where given, names the derived quantities
    the step-by-step pages show (m̂, v̂); the runner records them beside the state.
    ``twin`` is the ``torch.optim`` class with the same update (None: ``no_twin`` says why).
    """

    id: str
    label: str
    summary: str
    update_rule: str
    hyperparameters: tuple[Hyperparameter, ...]
    init: Callable[[Any, Mapping[str, Any]], State]
    step: Callable[..., tuple[Any, State]]
    corrections: Callable[[State, int, Mapping[str, Any]], dict[str, Any]] | None = None
    twin: str | None = None
    no_twin: str = ""
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

    def no_twin_reason(self, settings: Mapping[str, Any]) -> str | None:
        """Why ``settings`` have no ``torch.optim`` twin, or None when they have one."""
        if self.twin is None:
            return self.no_twin
        for h in self.hyperparameters:
            if h.no_twin and settings[h.name] != h.default:
                return h.no_twin
        return None

    def pytorch(self, settings: Mapping[str, Any], every_argument: bool = False) -> str | None:
        """The ``torch.optim`` call with the same update, or None (see ``no_twin_reason``).

        The learning rate and every argument torch names differently (``betas``, RMSprop's ``alpha``,
        Momentum's ``momentum``) are always written, so the correspondence shows; any other only where
        it differs from the default, which is torch's default too, unless ``every_argument``.
        """
        if self.no_twin_reason(settings) is not None:
            return None
        written = {name: repr(value) if isinstance(value, bool) else torch_float(value)
                   for name, value in settings.items()}
        arguments = []
        for h in self.hyperparameters:
            if h.torch is None:
                continue
            keyword, template = h.torch.split("=", 1) if h.torch else (h.name, f"{{{h.name}}}")
            if every_argument or h.name == "lr" or keyword != h.name or settings[h.name] != h.default:
                arguments.append(f"{keyword}={template.format(**written)}")
        return f"torch.optim.{self.twin}({', '.join(['model.parameters()', *arguments])})"


def torch_float(value: float) -> str:
    """A float as Python source that round-trips exactly and reads well (1e-08, 0.9)."""
    return repr(float(value))
