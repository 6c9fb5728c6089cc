"""Large batches on every core: the batch is cut along its longest axis, one slice per process.

Runs never interact (every update rule acts on each coordinate of each run alone), so a slice
run on its own gives, bit for bit, the runs it gives inside the whole batch. The calling process
runs the first slice; each other slice runs in a child made with ``os.fork``, which inherits the
landscape and the settings as they are, so nothing is pickled or rebuilt: the children write
their runs' summaries into memory shared with the parent (an anonymous shared mmap) and leave
through ``os._exit``. Only summary runs are shared: a path is far larger, and writing it into
fresh shared memory costs more than computing it (about 1 s per GB on a small VM).

A child that fails or falls far behind is killed and its slice is run in the calling process,
so the result never depends on how the batch was split, only the time does.
"""

from __future__ import annotations

import gc
import itertools
import mmap
import numbers
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np

# A slice should keep each NumPy call long enough to dwarf its Python overhead, and the whole job
# should dwarf a fork: 10,000 runs × 1,000 steps of Adam take ~0.3 s on one core.
MIN_SLICE_RUNS = 1024
MIN_RUN_STEPS = 2_000_000
# A child slower than this many times the parent's own equal slice (plus a second) is given up on.
PATIENCE = 4.0
# Each summary's shape per run and type, as Trajectory holds them.
SUMMARIES = {"diverged_at": ((), np.int64), "final_point": ((2,), np.float64), "final_loss": ((), np.float64),
             "best_loss": ((), np.float64), "steps_to_tolerance": ((), np.int64)}


def available_cores() -> int:
    """The cores this process may run on (the container's share, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    # Linux only: on macOS a forked child may not use system frameworks such as Accelerate,
    # which NumPy links; Windows has no fork.
    return sys.platform == "linux" and hasattr(os, "fork")


def process_count(runs: int, steps: int, requested: int | None, slices: int) -> int:
    """How many processes share a batch of ``runs`` runs of ``steps`` steps, cut into at most ``slices``.

    ``requested=None`` takes every available core for a batch large enough to gain from it;
    a number asks for at most that many.
    """
    if requested is not None:
        if isinstance(requested, bool) or not isinstance(requested, numbers.Integral) or requested < 1:
            raise ValueError(f"processes must be an integer ≥ 1, got {requested!r}")
        wanted = int(requested)
    elif runs * steps < MIN_RUN_STEPS:
        wanted = 1
    else:
        wanted = min(available_cores(), runs // MIN_SLICE_RUNS)
    return max(1, min(wanted, slices)) if can_fork() else 1


class SharedSummaries:
    """Every run's summaries, in one anonymous mmap that forked children write their slices into."""

    def __init__(self, batch: tuple[int, ...]):
        runs = int(np.prod(batch))
        counts = {name: runs * int(np.prod(shape)) for name, (shape, _) in SUMMARIES.items()}
        buffer = mmap.mmap(-1, 8 * sum(counts.values()))  # every type is 8 bytes wide
        self.arrays: dict[str, np.ndarray] = {}
        offset = 0
        for name, (shape, dtype) in SUMMARIES.items():
            self.arrays[name] = np.frombuffer(buffer, dtype, counts[name], offset).reshape(*batch, *shape)
            offset += 8 * counts[name]

    def fill(self, at: tuple, trajectory) -> None:
        for name in SUMMARIES:
            value = getattr(trajectory, name)
            if value is not None:
                self.arrays[name][at] = value

    def copy(self) -> dict[str, np.ndarray]:
        """The summaries as ordinary arrays (the shared mapping goes when the last view does)."""
        return {name: array.copy() for name, array in self.arrays.items()}


def _fork(work: Callable[[], None]) -> int:
    """Run ``work`` in a child process; returns its pid. The child never returns from here."""
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a multi-threaded process (a Streamlit server is one) may
        # deadlock the child. This child does NumPy arithmetic on its own and shared memory and leaves
        # through os._exit, so it takes no lock another thread could have held at the fork.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        # Collecting the parent's garbage here could run finalizers (closing its sockets, say).
        gc.disable()
        work()
        status = 0
    finally:
        os._exit(status)


def _finished(pid: int, deadline: float) -> bool:
    """Wait for child ``pid`` until ``deadline``; True if it exited cleanly (else it is killed)."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        if time.monotonic() > deadline:
            _kill(pid)
            return False
        time.sleep(5e-4)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def run_in_slices(solve: Callable, batch: tuple[int, ...], axis: int, processes: int,
                  progress: Callable[[float], None] | None):
    """``solve(rows, progress)`` over ``processes`` slices of the batch along ``axis``, merged.

    ``solve`` returns the Trajectory (summaries only) of the runs at ``rows`` along ``axis``; the
    calling process runs the first slice and reports its ``progress``. Returns every run's summaries.
    """
    shared = SharedSummaries(batch)
    edges = np.linspace(0, batch[axis], processes + 1).astype(int)
    slices = [slice(int(lo), int(hi)) for lo, hi in itertools.pairwise(edges)]

    def work(rows: slice, progress=None) -> Callable[[], None]:
        return lambda: shared.fill((slice(None),) * axis + (rows,), solve(rows, progress))

    children: dict[int, slice] = {}
    try:
        for rows in slices[1:]:
            children[_fork(work(rows))] = rows
        began = time.monotonic()
        work(slices[0], progress)()
        deadline = time.monotonic() + PATIENCE * (time.monotonic() - began) + 1.0
        for pid, rows in list(children.items()):
            clean = _finished(pid, deadline)
            del children[pid]
            if not clean:
                work(rows)()
    finally:
        for pid in children:
            _kill(pid)
    return shared.copy()
