"""Record real torch.optim trajectories for the parity tests (tests/test_parity.py).

Run with a Python that has torch; of our engine it imports only the optimizer specs, for the
``torch.optim`` call each prints (torch computes every number):

    /work/torchvenv/bin/python scripts/torch_reference.py

For every case (optimizer, settings in our hyperparameter names, landscape, start, optional
learning-rate schedule) torch runs free with autograd gradients, for 1,000 steps (a short
stretch on Himmelblau, which keeps the file small). We keep its parameters θ₀…θ_N and the
gradients g₁…g_N it used, so the tests can replay those gradients through our engine and
compare, without torch installed.

Everything is float64: ``torch.set_default_dtype(torch.float64)`` matters for NAdam, whose
μ-product state is otherwise a float32 scalar. Every optimizer runs with ``foreach=False``.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import optimizers  # the repository root, for the specs' PyTorch calls

torch.set_default_dtype(torch.float64)

STEPS = 1000
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_reference.npz"

# --- landscapes, written with torch ops so autograd supplies the gradient -------------------

TorchFunction = Callable[[torch.Tensor], torch.Tensor]


def rosenbrock(p: torch.Tensor) -> torch.Tensor:
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def beale(p: torch.Tensor) -> torch.Tensor:
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def himmelblau(p: torch.Tensor) -> torch.Tensor:
    x, y = p[0], p[1]
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def quadratic(condition: float, angle: float) -> TorchFunction:
    """½(u² + κw²) in axes (u, w) rotated by ``angle`` degrees: a valley of condition number κ."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def f(p: torch.Tensor) -> torch.Tensor:
        u = c * p[0] + s * p[1]
        w = -s * p[0] + c * p[1]
        return 0.5 * (u * u + condition * w * w)

    return f


def torch_landscape(name: str, params: dict[str, float]) -> TorchFunction:
    if name == "quadratic":
        return quadratic(**params)
    return {"rosenbrock": rosenbrock, "beale": beale, "himmelblau": himmelblau}[name]


# (landscape name, its parameters, start, steps). Every option combination runs 1,000 steps on
# the first three; the non-default extras also run there on Rosenbrock, and everything runs a
# short stretch on Himmelblau, which keeps the data file small.
LANDSCAPES = (
    ("rosenbrock", {}, (-1.5, 2.0), STEPS),
    ("beale", {}, (1.0, 1.4), STEPS),
    ("quadratic", {"condition": 50.0, "angle": 30.0}, (-1.5, 1.2), STEPS),
    ("himmelblau", {}, (-0.5, 0.5), 30),
)
EXTRA_LANDSCAPES = ("rosenbrock", "himmelblau")

# --- optimizers, in our hyperparameter names -----------------------------------------------

ADAM_LIKE = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0}
DEFAULTS: dict[str, dict[str, Any]] = {
    "sgd": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0},
    "momentum": {"lr": 1e-3, "beta": 0.9, "weight_decay": 0.0},
    "rmsprop": {"lr": 1e-2, "beta": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False},
    "adagrad": {"lr": 1e-2, "eps": 1e-10, "weight_decay": 0.0, "lr_decay": 0.0},
    "adam": {"lr": 1e-3, **ADAM_LIKE, "amsgrad": False},
    "adamw": {"lr": 1e-3, **ADAM_LIKE, "weight_decay": 1e-2, "amsgrad": False},
    "nadam": {"lr": 2e-3, **ADAM_LIKE, "momentum_decay": 4e-3},
    "radam": {"lr": 1e-3, **ADAM_LIKE},
    "adamax": {"lr": 2e-3, **ADAM_LIKE},
}


def _grid(**axes: tuple) -> list[dict[str, Any]]:
    return [dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())]


# Every option combination of each optimizer.
OPTIONS: dict[str, list[dict[str, Any]]] = {
    "sgd": [*_grid(momentum=(0.0, 0.9), dampening=(0.0, 0.5)), {"momentum": 0.9, "nesterov": True}],
    "momentum": _grid(weight_decay=(0.0, 0.1)),
    "rmsprop": _grid(centered=(False, True), momentum=(0.0, 0.9), weight_decay=(0.0, 0.1)),
    "adagrad": _grid(lr_decay=(0.0, 0.01), weight_decay=(0.0, 0.1)),
    "adam": _grid(amsgrad=(False, True), weight_decay=(0.0, 0.1)),
    "adamw": _grid(amsgrad=(False, True), weight_decay=(0.0, 0.1)),
    "nadam": _grid(momentum_decay=(4e-3, 0.1), weight_decay=(0.0, 0.1)),
    "radam": _grid(weight_decay=(0.0, 0.1)),
    "adamax": _grid(weight_decay=(0.0, 0.1)),
}

# Non-default lr, betas and eps, and SGD's weight decay.
EXTRAS: dict[str, list[dict[str, Any]]] = {
    "sgd": [{"weight_decay": 0.1}, {"momentum": 0.9, "nesterov": True, "weight_decay": 0.1},
            {"momentum": 0.5, "dampening": 0.1, "lr": 3e-4}],
    "momentum": [{"beta": 0.5}],
    "rmsprop": [{"beta": 0.9, "eps": 1e-6, "lr": 3e-3}],
    "adagrad": [{"eps": 1e-6, "lr": 0.3}],
    "adam": [{"beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "lr": 0.05}],
    "adamw": [{"beta1": 0.5, "beta2": 0.9, "eps": 1e-4, "amsgrad": True}],
    "nadam": [{"beta1": 0.8, "beta2": 0.99, "eps": 1e-6}],
    "radam": [{"beta1": 0.8, "beta2": 0.99, "eps": 1e-6}],
    "adamax": [{"beta1": 0.8, "beta2": 0.99, "eps": 1e-6}],
}

# Learning rates that move every run well along its landscape without diverging. Plain
# gradient steps need α below 2/curvature, which differs a lot between landscapes.
GRADIENT_LR = {"rosenbrock": 2e-4, "beale": 2e-3, "himmelblau": 2e-3, "quadratic": 1e-2}
LR: dict[str, dict[str, float]] = {
    "sgd": GRADIENT_LR,
    "momentum": {k: 5 * v for k, v in GRADIENT_LR.items()},
    "rmsprop": dict.fromkeys(GRADIENT_LR, 3e-3),
    "adagrad": dict.fromkeys(GRADIENT_LR, 0.1),
    "adam": dict.fromkeys(GRADIENT_LR, 1e-2),
    "adamw": dict.fromkeys(GRADIENT_LR, 1e-2),
    "nadam": dict.fromkeys(GRADIENT_LR, 1e-2),
    "radam": dict.fromkeys(GRADIENT_LR, 1e-2),
    "adamax": dict.fromkeys(GRADIENT_LR, 2e-2),
}


class _Model:
    """Stands for ``model`` in the printed call: ``model.parameters()`` gives our tensor."""

    def __init__(self, params: list[torch.Tensor]):
        self.params = params

    def parameters(self) -> list[torch.Tensor]:
        return self.params


def make_optimizer(optimizer: str, s: dict[str, Any], params: list[torch.Tensor]) -> torch.optim.Optimizer:
    """The torch.optim twin of our optimizer ``optimizer`` with settings ``s`` (our names).

    Built by running the very call the app prints under "Reproduce in PyTorch" (``spec.pytorch``), so
    the parity data checks that code too. It is our own generated text, never a user's.
    """
    spec = optimizers.get(optimizer)
    call = spec.pytorch(spec.settings(**s))
    twin = eval(call, {"torch": torch}, {"model": _Model(params)})
    for group in twin.param_groups:
        group["foreach"] = False  # the single-tensor implementation, as the docstring says
    return twin


# --- learning-rate schedules, described as our schedule classes' arguments -------------------

SCHEDULES = (
    {"class": "StepDecay", "step_size": 250, "gamma": 0.5},
    {"class": "Cosine", "t_max": STEPS, "min_factor": 0.0},
    # Past T_max torch's recursive cosine drifts about 1e-13 from the closed form we use.
    {"class": "Cosine", "t_max": 300, "min_factor": 0.1},
    {"class": "WarmupCosine", "warmup": 100, "t_max": STEPS, "start_factor": 0.1},
)
# (optimizer, options, landscapes) that run under every schedule.
SCHEDULED = (
    ("adam", {}, ("rosenbrock", "quadratic", "himmelblau")),
    ("adamw", {"weight_decay": 0.1}, ("rosenbrock", "himmelblau")),
    ("sgd", {"momentum": 0.9}, ("quadratic", "himmelblau")),
)


def make_scheduler(optimizer: torch.optim.Optimizer, schedule: dict[str, Any] | None, lr: float):
    """The torch.optim.lr_scheduler twin of one of our schedules (None: constant lr)."""
    if schedule is None:
        return None
    kind = schedule["class"]
    sched = torch.optim.lr_scheduler
    if kind == "StepDecay":
        return sched.StepLR(optimizer, step_size=schedule["step_size"], gamma=schedule["gamma"])
    if kind == "Cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=schedule["t_max"], eta_min=schedule["min_factor"] * lr)
    if kind == "WarmupCosine":
        warmup = schedule["warmup"]
        return sched.SequentialLR(optimizer, [
            sched.LinearLR(optimizer, start_factor=schedule["start_factor"], end_factor=1.0, total_iters=warmup),
            sched.CosineAnnealingLR(optimizer, T_max=schedule["t_max"] - warmup),
        ], milestones=[warmup])
    raise ValueError(f"unknown schedule {kind!r}")


# --- cases and recording ---------------------------------------------------------------------

def _label(values: dict[str, Any]) -> str:
    return ",".join(k if v is True else f"{k}={v:g}" for k, v in values.items() if v is not False and v != 0)


def _case(optimizer: str, options: dict[str, Any], landscape: tuple, schedule: dict[str, Any] | None = None):
    name, params, start, steps = landscape
    label = f"{optimizer}[{_label(options) or 'defaults'}]@{name}"
    if params:
        label += f"({_label(params)})"
    if schedule is not None:
        label += f"+{schedule['class']}({_label({k: v for k, v in schedule.items() if k != 'class'})})"
    settings = {**DEFAULTS[optimizer], "lr": LR[optimizer][name], **options}
    return {"id": label, "optimizer": optimizer, "settings": settings,
            "landscape": name, "landscape_params": params, "start": list(start), "steps": steps, "schedule": schedule}


def cases() -> Iterator[dict[str, Any]]:
    """Every option combination on every landscape, the extras, then the schedules."""
    for optimizer, option_list in OPTIONS.items():
        for options in option_list:
            for landscape in LANDSCAPES:
                yield _case(optimizer, options, landscape)
    for optimizer, option_list in EXTRAS.items():
        for options in option_list:
            for landscape in LANDSCAPES:
                if landscape[0] in EXTRA_LANDSCAPES:
                    yield _case(optimizer, options, landscape)
    for optimizer, options, landscape_names in SCHEDULED:
        for schedule in SCHEDULES:
            for landscape in LANDSCAPES:
                if landscape[0] in landscape_names:
                    yield _case(optimizer, options, landscape, schedule)


def free_run(case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Torch running free with autograd: params θ₀…θ_N ``(N + 1, 2)`` and the gradients g₁…g_N it used."""
    f = torch_landscape(case["landscape"], case["landscape_params"])
    p = torch.tensor(case["start"], requires_grad=True)
    return _drive(case, p, lambda t: torch.autograd.grad(f(p), p)[0], case["steps"])


def replay(case: dict[str, Any], gradients: np.ndarray) -> np.ndarray:
    """Torch fed the given gradient sequence ``(steps, 2)``: its params ``(steps + 1, 2)``."""
    p = torch.tensor(case["start"])
    return _drive(case, p, lambda t: torch.as_tensor(gradients[t]).clone(), len(gradients))[0]


def _drive(case: dict[str, Any], p: torch.Tensor, gradient: Callable[[int], torch.Tensor], steps: int):
    optimizer = make_optimizer(case["optimizer"], case["settings"], [p])
    scheduler = make_scheduler(optimizer, case["schedule"], case["settings"]["lr"])
    params = np.empty((steps + 1, 2))
    grads = np.empty((steps, 2))
    params[0] = p.detach().numpy()
    for t in range(steps):
        g = gradient(t)
        grads[t] = g.numpy()
        p.grad = g
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        params[t + 1] = p.detach().numpy()
    return params, grads


def main() -> None:
    all_cases = list(cases())
    arrays = {}
    for i, case in enumerate(all_cases):
        arrays[f"params_{i}"], arrays[f"grads_{i}"] = free_run(case)
        if not np.all(np.isfinite(arrays[f"params_{i}"])):
            raise SystemExit(f"{case['id']} diverged; give it a smaller lr")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUTPUT, cases=json.dumps(all_cases), torch_version=torch.__version__, **arrays)
    print(f"{len(all_cases)} cases -> {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
