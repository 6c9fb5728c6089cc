"""A batch shared between processes gives exactly what one process gives, however it ends."""

import dataclasses
import os
import time

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import parallel

from .test_runner import GRIDS, LRS

pytestmark = [
    pytest.mark.filterwarnings("error"),
    pytest.mark.skipif(not parallel.can_fork(), reason="batches are shared between processes on Linux only"),
]

ROSENBROCK = landscapes.get("rosenbrock")
SUMMARIES = ("diverged_at", "final_point", "final_loss", "best_loss", "steps_to_tolerance")


def assert_same_summaries(shared: optimizers.Trajectory, alone: optimizers.Trajectory) -> None:
    assert (shared.path, shared.loss) == (None, None)
    for name in SUMMARIES:
        np.testing.assert_array_equal(getattr(shared, name), getattr(alone, name), err_msg=name)
    assert shared.settings.keys() == alone.settings.keys()


def starts(count: int) -> np.ndarray:
    return np.random.default_rng(1).uniform((-2.0, -1.0), (2.0, 3.0), size=(count, 2))


def run_both(*args, processes: int = 3, **kwargs) -> tuple[optimizers.Trajectory, optimizers.Trajectory]:
    alone = optimizers.run(*args, keep_path=False, processes=1, **kwargs)
    shared = optimizers.run(*args, keep_path=False, processes=processes, **kwargs)
    return shared, alone


@pytest.mark.parametrize(("name", "swept", "values", "options"), GRIDS, ids=lambda v: str(v))
def test_a_grid_split_between_processes_is_the_grid_in_one(name, swept, values, options):
    lr, other = np.meshgrid(np.geomspace(LRS[0], LRS[-1], 7), values, indexing="ij")
    shared, alone = run_both(name, ROSENBROCK, steps=60, tolerance=1.0, lr=lr, **{swept: other}, **options)
    assert shared.final_loss.shape == (7, 3)
    assert np.any(alone.diverged_at >= 0) and np.any(alone.diverged_at < 0)
    assert_same_summaries(shared, alone)


def test_a_sweep_shaped_grid_is_cut_along_its_longest_axis():
    lr, beta1 = np.geomspace(1e-4, 10.0, 5)[:, np.newaxis], np.linspace(0.0, 0.99, 40)[np.newaxis, :]
    shared, alone = run_both("adam", ROSENBROCK, steps=80, tolerance=1e-2, lr=lr, beta1=beta1, processes=2)
    assert shared.final_loss.shape == (5, 40)
    assert_same_summaries(shared, alone)


@pytest.mark.parametrize("processes", [2, 3, 5])
def test_starts_with_noise_see_the_same_draws_in_any_slice(processes):
    shared, alone = run_both("adam", ROSENBROCK, starts(11), steps=100, noise=2.0, seed=7, lr=0.05,
                             processes=processes)
    assert_same_summaries(shared, alone)


def test_a_custom_landscape_is_shared_too():
    custom = landscapes.from_expression("abs(x) + y^2 + log(x + 3)")
    shared, alone = run_both("rmsprop", custom, starts(40), steps=200, lr=np.geomspace(1e-3, 10.0, 40))
    assert np.any(alone.diverged_at >= 0)
    assert_same_summaries(shared, alone)


def _only_in_the_parent(gradient, misbehave):
    parent = os.getpid()

    def grad(points):
        if os.getpid() != parent:
            misbehave()
        return gradient(points)

    return dataclasses.replace(ROSENBROCK, grad=grad, fused=None)


def _fail() -> None:
    raise RuntimeError("a child that fails")


def test_a_failing_child_has_its_slice_run_in_the_parent():
    failing = _only_in_the_parent(ROSENBROCK.grad, _fail)
    shared, alone = run_both("adam", failing, starts(9), steps=50, lr=0.1)
    assert_same_summaries(shared, alone)


def test_a_stalled_child_is_killed_and_its_slice_run_in_the_parent(monkeypatch):
    monkeypatch.setattr(parallel, "PATIENCE", 0.0)
    stalling = _only_in_the_parent(ROSENBROCK.grad, lambda: time.sleep(3600))
    began = time.monotonic()
    shared, alone = run_both("adam", stalling, starts(4), steps=20, lr=0.1, processes=2)
    assert_same_summaries(shared, alone)
    assert time.monotonic() - began < 30


def test_an_interrupted_run_leaves_no_child_behind(monkeypatch):
    forked = []
    fork = parallel._fork
    monkeypatch.setattr(parallel, "_fork", lambda work: forked.append(fork(work)) or forked[-1])

    class StopError(Exception):
        """What a Streamlit rerun raises in the middle of a script."""

    def stop(done: float) -> None:
        if done >= 0.5:
            raise StopError

    with pytest.raises(StopError):
        optimizers.run("adam", ROSENBROCK, starts(8), steps=400, keep_path=False, processes=4, progress=stop)
    assert len(forked) == 3
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_progress_comes_from_the_parents_slice():
    seen = []
    optimizers.run("adam", ROSENBROCK, starts(6), steps=100, keep_path=False, processes=2, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)


@pytest.mark.parametrize("options", [{"keep_path": True}, {"keep_path": False, "record_state": True}])
def test_a_kept_path_or_state_stays_in_one_process(monkeypatch, options):
    monkeypatch.setattr(parallel, "_fork", lambda work: pytest.fail("forked"))
    trajectory = optimizers.run("adam", ROSENBROCK, starts(4), steps=10, processes=2, **options)
    assert trajectory.final_loss.shape == (4,)


def test_how_many_processes():
    cores = parallel.available_cores()
    assert parallel.process_count(runs=4, steps=1000, requested=None, slices=4) == 1
    big = parallel.process_count(runs=100_000, steps=1000, requested=None, slices=100_000)
    assert big == min(cores, 100_000 // parallel.MIN_SLICE_RUNS)
    assert parallel.process_count(runs=100_000, steps=1000, requested=None, slices=1) == 1
    assert parallel.process_count(runs=3, steps=10, requested=8, slices=3) == 3
    assert parallel.process_count(runs=100, steps=10, requested=1, slices=100) == 1


def test_no_fork_means_one_process(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert parallel.process_count(runs=100_000, steps=1000, requested=4, slices=100_000) == 1


@pytest.mark.parametrize("processes", [0, -1, 2.5, 2.0, float("nan"), float("inf"), True, "2"])
def test_processes_must_be_a_whole_number_from_one(processes):
    with pytest.raises(ValueError, match="processes must be an integer ≥ 1"):
        optimizers.run("adam", ROSENBROCK, steps=5, processes=processes)
