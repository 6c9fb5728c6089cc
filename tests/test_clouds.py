"""Clouds of noisy runs: the median run, the loss band, and seed-by-seed comparisons."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from optimizers.clouds import cloud, wins

ROSENBROCK = landscapes.get("rosenbrock")


def _cloud(name, seeds=7, **settings):
    t = optimizers.run(name, ROSENBROCK, steps=200, noise=2.0, seed=np.arange(seeds), **settings)
    return cloud(t.path, t.loss, t.diverged_at)


def test_the_median_run_is_the_median_of_the_single_runs():
    shown = _cloud("adam", lr=1e-2)
    singles = [optimizers.run("adam", ROSENBROCK, steps=200, noise=2.0, seed=k, lr=1e-2) for k in range(7)]
    paths = np.stack([s.path for s in singles], axis=1)
    losses = np.stack([s.loss for s in singles], axis=1)
    # An odd number of seeds: the median is one seed's value, picked, not computed.
    np.testing.assert_array_equal(shown.median_path, np.median(paths, axis=1))
    np.testing.assert_array_equal(shown.median_loss, np.median(losses, axis=1))
    np.testing.assert_array_equal(shown.final_loss, [s.final_loss for s in singles])
    np.testing.assert_array_equal(shown.best_loss, [s.best_loss for s in singles])
    assert shown.median_diverged_at == -1 and shown.diverged == 0
    assert (shown.band[0] <= shown.median_loss).all() and (shown.median_loss <= shown.band[1]).all()


def test_the_median_run_ends_when_most_seeds_have_diverged():
    path = np.zeros((6, 3, 2))
    loss = np.ones((6, 3))
    path[4:, 0], loss[4:, 0] = np.nan, np.nan  # seed 0 diverges at step 4: 2 of 3 still run
    path[5:, 1], loss[5:, 1] = np.nan, np.nan  # seed 1 at step 5: only 1 of 3
    shown = cloud(path, loss, np.array([4, 5, -1]))
    assert shown.median_diverged_at == 5
    assert np.isfinite(shown.median_path[:5]).all() and np.isnan(shown.median_path[5]).all()
    assert shown.diverged == 2
    np.testing.assert_array_equal(shown.final_loss, [np.inf, np.inf, 1.0])
    assert shown.band[1, 4] == np.inf  # the 90th percentile counts the diverged seed as +∞


def test_wins_count_seeds_where_the_first_ended_lower():
    adam = _cloud("adam", lr=1e-2)
    sgd = _cloud("sgd", lr=1e-4)
    assert wins(adam, sgd) == int(np.sum(adam.final_loss < sgd.final_loss))
    assert wins(adam, adam) == 0


def test_thinning_keeps_the_summaries_whole():
    shown = _cloud("momentum", lr=1e-3)
    thin = shown.thinned(np.array([0, 100, 200]))
    assert thin.path.shape == (3, 7, 2) and thin.loss.shape == (3, 7)
    np.testing.assert_array_equal(thin.median_path, shown.median_path)
    np.testing.assert_array_equal(thin.final_loss, shown.final_loss)


@pytest.mark.parametrize("seeds", [1, 2, 32])
def test_any_number_of_seeds(seeds):
    shown = _cloud("rmsprop", seeds=seeds, lr=1e-2)
    assert shown.seeds == seeds and shown.median_path.shape == (201, 2)


@settings(max_examples=30, deadline=None)
@given(seeds=st.integers(1, 9), x=st.floats(-2, 2), y=st.floats(-1, 3), lr=st.floats(1e-4, 0.1),
       noise=st.floats(0.01, 50.0), name=st.sampled_from(["sgd", "momentum", "adam", "rmsprop", "lion"]))
def test_the_median_run_lies_within_its_seeds(seeds, x, y, lr, noise, name):
    t = optimizers.run(name, ROSENBROCK, start=(x, y), steps=60, noise=noise, seed=np.arange(seeds), lr=lr)
    shown = cloud(t.path, t.loss, t.diverged_at)
    running = np.isfinite(shown.median_loss)
    assert (running[:shown.median_diverged_at] if shown.median_diverged_at >= 0 else running).all()
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # steps where every seed has diverged: masked below
        low, high = np.nanmin(t.path, axis=1), np.nanmax(t.path, axis=1)
        assert ((low <= shown.median_path) & (shown.median_path <= high))[running].all()
        assert (shown.band[0] <= shown.median_loss)[running].all()
        assert (shown.median_loss <= shown.band[1])[running].all()
    assert shown.diverged == int(np.count_nonzero(t.diverged_at >= 0))
