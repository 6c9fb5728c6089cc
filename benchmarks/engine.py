"""How fast is the engine? Adam on Rosenbrock against a plain NumPy loop and torch.optim, same run.

    python benchmarks/engine.py [--repeats N]

(a) one run of 1,000 steps: wall time of ``optimizers.run`` vs a plain NumPy loop and a
    ``torch.optim.Adam`` loop with autograd; (b) 10,000 runs × 1,000 steps: million run-steps
    per second, ours with and without the path vs the plain loop (keeping path and loss) and torch
    on one batched (10000, 2) tensor. The engine runs in one process and one thread (it lives
    inside a server); torch uses its own threads. Every figure is the median of the repeats,
    which take turns; one run is cheap, so it gets five times as many.

The plain loop calls the same ``landscape.grad`` and ``landscape.f`` as the engine and keeps
the path and the loss, as the engine does, so the comparison measures the engine, not the
landscape. torch runs in ``$TORCH_PYTHON`` (default /work/torchvenv/bin/python)
when this interpreter cannot import it; without either, its rows say so.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from torch_side import measure_torch

LR, BETA1, BETA2, EPS = 1e-2, 0.9, 0.999, 1e-8
SINGLE_START = (-1.5, 2.0)
STEPS, RUNS = 1000, 10_000


def batch_starts() -> np.ndarray:
    return np.random.default_rng(0).uniform((-2.0, -1.0), (2.0, 3.0), size=(RUNS, 2))


def median_seconds(function, repeats: int) -> float:
    return median_seconds_each({"": function}, repeats)[""]


def median_seconds_each(functions: dict, repeats: int) -> dict[str, float]:
    """Median wall time of each function; the repeats take turns, so a busy moment hits all alike.

    The order rotates from repeat to repeat: what runs just before a function (a large allocation
    freed, say) changes its time, and no function should always follow the same one.
    """
    times: dict[str, list[float]] = {label: [] for label in functions}
    labels = list(functions)
    for repeat in range(repeats):
        turn = repeat % len(labels)
        for label in labels[turn:] + labels[:turn]:
            began = time.perf_counter()
            functions[label]()
            times[label].append(time.perf_counter() - began)
    return {label: statistics.median(seconds) for label, seconds in times.items()}


def plain_numpy_adam(land, start: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Adam as anyone would write it in NumPy, keeping the path and the loss as the engine does.

    The loss is taken the quicker plain way for each case: one ``f(path)`` call after a single
    run, ``f`` per step for a batch, whose path is far larger than the cache.
    """
    theta = np.array(start, dtype=np.float64)
    path = np.empty((steps + 1, *theta.shape))
    path[0] = theta
    loss_each_step = theta.ndim > 1
    loss = np.empty(path.shape[:-1])
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = land.grad(theta)
        if loss_each_step:
            loss[t - 1] = land.f(theta)
        m = BETA1 * m + (1 - BETA1) * g
        v = BETA2 * v + (1 - BETA2) * g * g
        m_hat, v_hat = m / (1 - BETA1**t), v / (1 - BETA2**t)
        theta = theta - LR * m_hat / (np.sqrt(v_hat) + EPS)
        path[t] = theta
    if loss_each_step:
        loss[steps] = land.f(theta)
    else:
        loss = land.f(path)
    return path, loss


def torch_timings(repeats: int) -> dict[str, float]:
    """Seconds for the torch loops (runs wherever torch imports)."""
    import torch

    torch.set_default_dtype(torch.float64)

    def adam_loop(start: np.ndarray) -> None:
        theta = torch.tensor(start, requires_grad=True)
        optimizer = torch.optim.Adam([theta], lr=LR, betas=(BETA1, BETA2), eps=EPS, foreach=False)
        path = torch.empty((STEPS + 1, *theta.shape))
        path[0] = theta.detach()
        for t in range(1, STEPS + 1):
            optimizer.zero_grad()
            x, y = theta[..., 0], theta[..., 1]
            ((1 - x) ** 2 + 100 * (y - x * x) ** 2).sum().backward()
            optimizer.step()
            path[t] = theta.detach()

    single, batch = np.array(SINGLE_START), batch_starts()
    adam_loop(single)  # warm up autograd and the optimizer
    return {"single": median_seconds(lambda: adam_loop(single), repeats),
            "batch": median_seconds(lambda: adam_loop(batch), max(1, repeats // 2)),
            "version": torch.__version__, "threads": torch.get_num_threads()}


def torch_elsewhere(repeats: int) -> dict[str, float] | str:
    return measure_torch(lambda: torch_timings(repeats), __file__, ["--repeats", str(repeats)])


def main(repeats: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import landscapes
    import optimizers

    land = landscapes.get("rosenbrock")
    adam = {"lr": LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS}
    starts = batch_starts()

    for start in (np.array(SINGLE_START), starts[:3]):  # the same computation on both sides
        plain_path, plain_loss = plain_numpy_adam(land, start, STEPS)
        ours = optimizers.run("adam", land, start, steps=STEPS, **adam)
        np.testing.assert_allclose(ours.path, plain_path, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.loss, plain_loss, rtol=1e-9, atol=1e-12)

    single = median_seconds_each({
        "optimizers.run": lambda: optimizers.run("adam", land, SINGLE_START, steps=STEPS, **adam),
        "plain NumPy loop": lambda: plain_numpy_adam(land, np.array(SINGLE_START), STEPS),
    }, 5 * repeats)
    batch = median_seconds_each({
        "optimizers.run, keep_path=False": lambda: optimizers.run(
            "adam", land, starts, steps=STEPS, keep_path=False, **adam),
        "optimizers.run, keep_path=True": lambda: optimizers.run("adam", land, starts, steps=STEPS, **adam),
        "plain NumPy loop, path + loss": lambda: plain_numpy_adam(land, starts, STEPS),
    }, repeats)
    torch = torch_elsewhere(repeats)

    print(f"Adam on Rosenbrock, lr={LR}, float64; numpy {np.__version__}; median of {repeats} repeats "
          f"({5 * repeats} for one run); one process")
    if isinstance(torch, dict):
        print(f"torch {torch['version']} ({torch['threads']} threads)")
        single["torch.optim.Adam loop (autograd)"] = torch["single"]
        batch["torch, one (10000, 2) tensor"] = torch["batch"]
    print(f"\n(a) one run, {STEPS:,} steps")
    ours_single = single["optimizers.run"]
    for label, seconds in single.items():
        ratio = "" if seconds is ours_single else f"   ours is {seconds / ours_single:5.2f}x as fast"
        print(f"  {label:<46} {seconds * 1e3:9.1f} ms{ratio}")
    print(f"\n(b) {RUNS:,} runs × {STEPS:,} steps, million run-steps per second")
    ours_batch = {label: RUNS * STEPS / seconds / 1e6 for label, seconds in batch.items()}
    for label, rate in ours_batch.items():
        line = f"  {label:<46} {rate:9.2f}"
        if not label.startswith("optimizers"):
            ratios = ", ".join(f"{ours_batch[o] / rate:.2f}x" for o in ours_batch if o.startswith("optimizers"))
            line += f"   ours is {ratios} as fast"
        print(line)
    if not isinstance(torch, dict):
        print(f"  {torch}")
    print("\ntargets: one run ≥ 5x the torch loop and ≥ 1x the plain loop; "
          "the summary batch (keep_path=False) ≥ 1x the plain loop and ≥ 3x torch")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--torch-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.torch_only:
        print(json.dumps(torch_timings(arguments.repeats)))
    else:
        main(arguments.repeats)
