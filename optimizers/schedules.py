"""Learning-rate schedules: the factor αₜ/α for the t-th step (t = 1, 2, …).

PyTorch steps a scheduler after each optimizer step, so step t runs at scheduler epoch
e = t − 1. Each schedule matches its ``torch.optim.lr_scheduler`` twin:

    constant          1
    step              γ^⌊e / k⌋                                      (StepLR)
    cosine            η + (1 − η)(1 + cos(πe / T)) / 2                (CosineAnnealingLR)
    warmup_cosine     s + (1 − s)e / w for e < w, then cosine over T − w  (SequentialLR)
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Constant:
    def factor(self, t: int) -> float:
        return 1.0

    def pytorch(self) -> str | None:
        return None


@dataclass(frozen=True)
class StepDecay:
    step_size: int
    gamma: float = 0.5

    def __post_init__(self):
        if int(self.step_size) != self.step_size or self.step_size < 1:
            raise ValueError(f"step_size must be an integer ≥ 1, got {self.step_size!r}")
        if not 0.0 < self.gamma <= 1.0:
            raise ValueError(f"gamma must be in (0, 1], got {self.gamma!r}")

    def factor(self, t: int) -> float:
        return self.gamma ** ((t - 1) // self.step_size)

    def pytorch(self) -> str:
        return f"torch.optim.lr_scheduler.StepLR(optimizer, step_size={self.step_size}, gamma={self.gamma!r})"


def _cosine(epoch: int, period: int, min_factor: float) -> float:
    return min_factor + (1.0 - min_factor) * (1.0 + math.cos(math.pi * epoch / period)) / 2.0


@dataclass(frozen=True)
class Cosine:
    t_max: int
    min_factor: float = 0.0

    def __post_init__(self):
        if int(self.t_max) != self.t_max or self.t_max < 1:
            raise ValueError(f"t_max must be an integer ≥ 1, got {self.t_max!r}")
        if not 0.0 <= self.min_factor <= 1.0:
            raise ValueError(f"min_factor must be in [0, 1], got {self.min_factor!r}")

    def factor(self, t: int) -> float:
        return _cosine(t - 1, self.t_max, self.min_factor)

    def pytorch(self) -> str:
        eta_min = f", eta_min={self.min_factor!r} * lr" if self.min_factor else ""
        return f"torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={self.t_max}{eta_min})"


@dataclass(frozen=True)
class WarmupCosine:
    warmup: int
    t_max: int
    start_factor: float = 0.1

    def __post_init__(self):
        if int(self.warmup) != self.warmup or not 1 <= self.warmup < self.t_max:
            raise ValueError(f"warmup must be an integer in [1, t_max), got {self.warmup!r}")
        if not 0.0 < self.start_factor <= 1.0:
            raise ValueError(f"start_factor must be in (0, 1], got {self.start_factor!r}")

    def factor(self, t: int) -> float:
        epoch = t - 1
        if epoch < self.warmup:
            return self.start_factor + (1.0 - self.start_factor) * epoch / self.warmup
        return _cosine(epoch - self.warmup, self.t_max - self.warmup, 0.0)

    def pytorch(self) -> str:
        return ("torch.optim.lr_scheduler.SequentialLR(optimizer, [\n"
                f"    torch.optim.lr_scheduler.LinearLR(optimizer, start_factor={self.start_factor!r}, "
                f"total_iters={self.warmup}),\n"
                f"    torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={self.t_max - self.warmup}),\n"
                f"], milestones=[{self.warmup}])")


Schedule = Constant | StepDecay | Cosine | WarmupCosine

KINDS = ("constant", "step", "cosine", "warmup_cosine")


def make(kind: str, steps: int) -> Schedule:
    """A schedule with sensible settings for a run of ``steps`` steps."""
    if kind == "constant":
        return Constant()
    if kind == "step":
        return StepDecay(step_size=max(1, steps // 4), gamma=0.5)
    if kind == "cosine":
        return Cosine(t_max=max(1, steps))
    if kind == "warmup_cosine":
        return WarmupCosine(warmup=max(1, steps // 10), t_max=max(2, steps))
    raise ValueError(f"unknown schedule {kind!r}; valid: {', '.join(KINDS)}")
