"""A fair fight: every optimizer gets the same tuning budget over its own hyperparameters.

For each optimizer, ``budget`` settings are drawn by seeded random search (the defaults are the
first draw, so tuning never makes a result worse than the defaults):

    α ~ log-uniform over the learning-rate slider,   1 − β ~ log-uniform over 1 − (β's slider)

for every decay rate β the optimizer uses by default (Adam's β₁ and β₂, RMSprop's β, Momentum's
β, Lion's β₁ and β₂); add-ons that default to off (SGD's momentum, weight decay) stay off, and ε
stays at its default. With the same seed every optimizer draws the same learning rates (common
random numbers: differences come from the optimizers, not from luckier draws). All settings of one
optimizer run as one batched engine call. The score is the final gap f − f* (the final loss where
f* is unknown), +∞ where the run diverged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .registry import get
from .runner import run
from .spec import Hyperparameter

Progress = Callable[[float], None]

# "Within 10× of its best" is the tunability criterion: the share of the budget that lands there.
TUNABLE_FACTOR = 10.0


def tuned_hyperparameters(optimizer: str) -> tuple[str, ...]:
    """The learning rate and every decay rate in [0, 1) the optimizer uses by default."""
    return tuple(h.name for h in get(optimizer).hyperparameters if h.name == "lr" or _is_decay_rate(h))


def _is_decay_rate(h: Hyperparameter) -> bool:
    return h.kind == "float" and h.low == 0.0 and h.high == 1.0 and not h.high_inclusive and h.default != 0.0


def draw_settings(optimizer: str, budget: int, seed: int) -> dict[str, np.ndarray]:
    """``budget`` values of each tuned hyperparameter (``(budget,)`` arrays), the defaults first."""
    if isinstance(budget, bool) or not isinstance(budget, int | np.integer) or budget < 1:
        raise ValueError(f"budget must be an integer ≥ 1, got {budget!r}")
    rng = np.random.default_rng(seed)
    spec = get(optimizer)
    drawn = {}
    for name in tuned_hyperparameters(optimizer):
        h = spec.hyperparameter(name)
        low, high = h.slider
        if name == "lr":
            values = np.exp(rng.uniform(np.log(low), np.log(high), budget))
        else:  # 1 − β log-uniform: as many draws between 0.9 and 0.99 as between 0.99 and 0.999
            values = 1.0 - np.exp(rng.uniform(np.log(1.0 - high), np.log(1.0 - low), budget))
        values[0] = h.default
        drawn[name] = values
    return drawn


@dataclass(frozen=True)
class Tuning:
    """One optimizer's budget: the settings tried (``(budget,)`` each), their gaps, the best of them."""

    optimizer: str
    settings: dict[str, np.ndarray]
    gap: np.ndarray
    diverged_at: np.ndarray

    @property
    def budget(self) -> int:
        return len(self.gap)

    @property
    def best_index(self) -> int:
        """The setting with the lowest gap (the defaults when nothing beats them, or all diverged)."""
        return int(np.argmin(self.gap))

    @property
    def best_gap(self) -> float:
        return float(self.gap[self.best_index])

    @property
    def default_gap(self) -> float:
        return float(self.gap[0])

    def setting(self, index: int) -> dict[str, float]:
        return {name: float(values[index]) for name, values in self.settings.items()}

    @property
    def best_settings(self) -> dict[str, float]:
        return self.setting(self.best_index)

    @property
    def tunability(self) -> float:
        """The share of the budget within 10× of the best gap (0 where every run diverged)."""
        if not np.isfinite(self.best_gap):
            return 0.0
        return float(np.mean(self.gap <= TUNABLE_FACTOR * self.best_gap))


Draw = Callable[[str, int, int], dict[str, np.ndarray]]


def tune(optimizer: str, landscape, *, start: Sequence[float] | None = None, steps: int = 500, budget: int = 64,
         seed: int = 0, draw: Draw = draw_settings, progress: Progress | None = None) -> Tuning:
    """Run ``optimizer`` at ``budget`` settings from ``draw`` as one batched call and score each.

    ``draw(optimizer, budget, seed)`` is ``draw_settings`` or a variant of it (a page rounds the
    draws as its links write numbers, so a tuned setting replays exactly from a link).
    """
    settings = draw(optimizer, budget, seed)
    trajectory = run(optimizer, landscape, start=start, steps=steps, keep_path=False, progress=progress, **settings)
    floor = landscape.minimum_value if landscape.minimum_value is not None else 0.0
    gap = np.where(trajectory.diverged_at >= 0, np.inf, trajectory.final_loss - floor)
    return Tuning(optimizer, settings, gap, trajectory.diverged_at)


@dataclass(frozen=True)
class FairFight:
    """Several optimizers, each tuned with the same budget on the same problem."""

    tunings: tuple[Tuning, ...]
    start: tuple[float, float]
    steps: int

    def ranking(self, tuned: bool) -> tuple[str, ...]:
        """Optimizer ids from best to worst gap, at their defaults or tuned (ties keep the given order)."""
        gaps = [t.best_gap if tuned else t.default_gap for t in self.tunings]
        return tuple(self.tunings[i].optimizer for i in np.argsort(gaps, kind="stable"))


def fair_fight(optimizers: Sequence[str], landscape, *, start: Sequence[float] | None = None, steps: int = 500,
               budget: int = 64, seed: int = 0, draw: Draw = draw_settings,
               progress: Progress | None = None) -> FairFight:
    """``tune`` each optimizer with the same budget, start, steps and seed; progress covers them all."""
    if not optimizers:
        raise ValueError("give at least one optimizer")
    start = tuple(float(v) for v in (landscape.start if start is None else start))
    tunings = []
    for k, name in enumerate(optimizers):
        part = None if progress is None else (lambda f, k=k: progress((k + f) / len(optimizers)))
        tunings.append(tune(name, landscape, start=start, steps=steps, budget=budget, seed=seed, draw=draw,
                            progress=part))
    if progress is not None:
        progress(1.0)
    return FairFight(tuple(tunings), start, steps)


def full_settings(tuning: Tuning, index: int) -> Mapping[str, Any]:
    """Every hyperparameter of setting ``index``: the tuned ones drawn, the rest at their defaults."""
    return get(tuning.optimizer).settings(**tuning.setting(index))
