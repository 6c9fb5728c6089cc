"""How fast is a sensitivity map? A 100×100 lr × β1 map of Adam on Rosenbrock, 1,000 steps, three ways.

    python benchmarks/sweeps.py [--repeats N] [--sample N] [--torch-sample N]

(a) ``optimizers.sweeps.sweep_map``: the grid as one broadcast engine call (and in chunks of
    2,500 cells, as a page could run it); (b) the same cells one by one with ``optimizers.run``,
    timed on a random sample of cells and scaled to 10,000; (c) a ``torch.optim.Adam`` loop over
    the cells (autograd, float64), timed on a smaller sample and scaled. The map is computed in a
    worker thread, as a Streamlit session computes it. Wall time is the median of the repeats;
    CPU time is printed too, since this machine is shared.

torch runs in ``$TORCH_PYTHON`` (default /work/torchvenv/bin/python) when this interpreter cannot
import it; without either, its row says so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
from torch_side import measure_torch

SIDE, STEPS = 100, 1000
LR_RANGE, BETA1_RANGE = (1e-4, 1.0), (0.0, 0.99)
START = (-1.5, 2.0)


def grid_values() -> tuple[np.ndarray, np.ndarray]:
    """The map's axes, as optimizers.sweeps builds them (for the torch side, which cannot import it)."""
    return np.geomspace(*LR_RANGE, SIDE), np.linspace(*BETA1_RANGE, SIDE)


def sample_cells(count: int) -> np.ndarray:
    """(row, column) of ``count`` distinct cells drawn at random, the same every time."""
    flat = np.random.default_rng(0).choice(SIDE * SIDE, size=min(count, SIDE * SIDE), replace=False)
    return np.stack(np.unravel_index(flat, (SIDE, SIDE)), axis=-1)


def cpu_seconds() -> float:
    """CPU time of this process (children included: the engine must have none, and any would show here)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def in_a_thread(function):
    """``function`` run in a worker thread, as Streamlit runs a session's script."""

    def threaded():
        results = []
        thread = threading.Thread(target=lambda: results.append(function()))
        thread.start()
        thread.join()
        return results[0]

    return threaded


def timed(function, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds over ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), cpu_seconds()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def torch_cells(count: int) -> dict:
    """Seconds per cell for a torch.optim.Adam loop, on ``count`` sampled cells (runs wherever torch imports)."""
    import torch

    torch.set_default_dtype(torch.float64)
    lrs, betas = grid_values()

    def adam_cell(lr: float, beta1: float) -> float:
        theta = torch.tensor(START, requires_grad=True)
        optimizer = torch.optim.Adam([theta], lr=lr, betas=(beta1, 0.999), eps=1e-8, foreach=False)
        for _ in range(STEPS):
            optimizer.zero_grad()
            x, y = theta[0], theta[1]
            loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2
            loss.backward()
            optimizer.step()
        x, y = theta.detach()
        return float((1 - x) ** 2 + 100 * (y - x * x) ** 2)

    cells = sample_cells(count)
    adam_cell(1e-3, 0.9)  # warm up autograd and the optimizer
    wall, cpu = time.perf_counter(), time.process_time()
    losses = [adam_cell(lrs[column], betas[row]) for row, column in cells]
    return {"wall": (time.perf_counter() - wall) / len(cells), "cpu": (time.process_time() - cpu) / len(cells),
            "losses": losses, "cells": cells.tolist(), "version": torch.__version__,
            "threads": torch.get_num_threads()}


def torch_elsewhere(count: int) -> dict | str:
    return measure_torch(lambda: torch_cells(count), __file__, ["--torch-sample", str(count)])


def main(repeats: int, sample: int, torch_sample: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import landscapes
    import optimizers
    from optimizers.sweeps import Axis, sweep_map

    land = landscapes.get("rosenbrock")
    lr, beta1 = Axis("lr", *LR_RANGE, SIDE, True), Axis("beta1", *BETA1_RANGE, SIDE, False)
    assert np.array_equal(lr.values(), grid_values()[0]) and np.array_equal(beta1.values(), grid_values()[1])

    def the_map(chunk_cells: int = SIDE * SIDE):
        return sweep_map("adam", land, lr, beta1, start=START, steps=STEPS, chunk_cells=chunk_cells)

    reference = the_map()
    whole = timed(in_a_thread(the_map), repeats)
    chunked = timed(in_a_thread(lambda: the_map(2500)), repeats)

    cells = sample_cells(sample)

    def one_by_one() -> list[float]:
        return [float(optimizers.run("adam", land, start=START, steps=STEPS, keep_path=False, tolerance=1e-3,
                                     **reference.cell_settings(row, column)).final_loss) for row, column in cells]

    # The map's β₁ᵗ is NumPy's pow on an array, a cell's alone C's pow: an ulp apart, which chaotic cells
    # (large α) amplify over 1,000 steps; the others agree to rounding.
    in_map = [reference.final_loss[row, column] for row, column in cells]
    agreeing = np.mean(np.isclose(one_by_one(), in_map, rtol=1e-9, atol=0.0, equal_nan=True))
    assert agreeing >= 0.9, f"the map is the loop over its cells: only {agreeing:.0%} agree"
    loop = tuple(seconds * SIDE * SIDE / len(cells) for seconds in timed(one_by_one, max(1, repeats // 2)))
    torch = torch_elsewhere(torch_sample)

    load = os.getloadavg()[0]
    print(f"Adam on Rosenbrock, {SIDE}×{SIDE} lr × β1 map, {STEPS:,} steps, float64; numpy {np.__version__}; "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    rows = {"one broadcast call (sweep_map)": whole, "sweep_map in chunks of 2,500 cells": chunked,
            f"optimizers.run per cell (from {len(cells)} cells)": loop}
    if isinstance(torch, dict):
        rows[f"torch.optim.Adam loop per cell (from {len(torch['cells'])} cells)"] = (
            torch["wall"] * SIDE * SIDE, torch["cpu"] * SIDE * SIDE)
        ours = [reference.final_loss[row, column] for row, column in torch["cells"]]
        agree = np.mean(np.isclose(torch["losses"], ours, rtol=1e-6, atol=1e-9))
        print(f"torch {torch['version']} ({torch['threads']} threads); its final losses agree with the map's "
              f"(rtol 1e-6) in {agree:.0%} of the sampled cells")
    print(f"\n  {'':<52} {'wall s':>9} {'CPU s':>9}   map is … as fast (wall, CPU)")
    for label, (wall, cpu) in rows.items():
        ratio = "" if label.startswith("one broadcast") else f"   {wall / whole[0]:7.1f}x, {cpu / whole[1]:7.1f}x"
        print(f"  {label:<52} {wall:9.2f} {cpu:9.2f}{ratio}")
    if not isinstance(torch, dict):
        print(f"  torch: {torch}")
    print(f"\nthe map's cells agree with the single runs to 1e-9 in {agreeing:.0%} of the sample")
    verdict = "met" if whole[0] <= 0.6 else "not met"
    print(f"target: the map in ≤ 0.6 s, one process, from a worker thread — {verdict} "
          f"({whole[0]:.2f} s wall, {whole[1]:.2f} s CPU)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=at_least_one, default=3)
    parser.add_argument("--sample", type=at_least_one, default=200, help="cells timed one by one with the engine")
    parser.add_argument("--torch-sample", type=at_least_one, default=20, help="cells timed with the torch loop")
    parser.add_argument("--torch-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.torch_only:
        print(json.dumps(torch_cells(arguments.torch_sample)))
    else:
        main(arguments.repeats, arguments.sample, arguments.torch_sample)
