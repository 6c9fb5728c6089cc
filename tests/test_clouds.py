"""Clouds of noisy runs: the median run, the loss band, and seed-by-seed comparisons."""

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


def test_the_median_run_is_the_single_run_whose_final_loss_is_the_median():
    shown = _cloud("adam", lr=1e-2)
    singles = [optimizers.run("adam", ROSENBROCK, steps=200, noise=2.0, seed=k, lr=1e-2) for k in range(7)]
    finals = [s.final_loss for s in singles]
    median = singles[int(np.argsort(finals)[3])]
    # An odd number of seeds: the median is one seed's, and the batch's copy k is bit for bit the run alone.
    np.testing.assert_array_equal(shown.median_path, median.path)
    np.testing.assert_array_equal(shown.median_loss, median.loss)
    assert shown.final_loss[shown.median_seed] == np.median(finals)
    np.testing.assert_array_equal(shown.final_loss, finals)
    np.testing.assert_array_equal(shown.best_loss, [s.best_loss for s in singles])
    assert shown.median_diverged_at == -1 and shown.diverged == 0
    losses = np.stack([s.loss for s in singles], axis=1)
    np.testing.assert_array_equal(shown.band, np.quantile(losses, [0.1, 0.9], axis=1, method="inverted_cdf"))


def test_the_median_run_diverges_when_at_least_half_the_seeds_do():
    path = np.zeros((6, 4, 2))
    loss = np.array([[9.0] * 4] * 6)
    loss[-1] = [3.0, 1.0, 2.0, 4.0]
    path[4:, 0], loss[4:, 0] = np.nan, np.nan  # seed 0 diverges at step 4
    shown = cloud(path, loss, np.array([4, -1, -1, -1]))
    assert shown.median_seed == 2 and shown.median_diverged_at == -1  # finals 1, 2, 4, ∞: the lower middle is 2
    path[5:, 1], loss[5:, 1] = np.nan, np.nan  # and seed 1 at step 5: two of four
    shown = cloud(path, loss, np.array([4, 5, -1, -1]))
    assert shown.median_seed == 3 and shown.diverged == 2  # finals ∞, ∞, 2, 4: the lower middle is 4
    path[5:, 3], loss[5:, 3] = np.nan, np.nan
    shown = cloud(path, loss, np.array([4, 5, -1, 5]))
    assert shown.median_diverged_at >= 0  # three of four diverged: so did the median run
    np.testing.assert_array_equal(shown.final_loss, [np.inf, np.inf, 2.0, np.inf])
    assert shown.band[1, 4] == np.inf  # the 90th percentile counts a diverged seed as +∞


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
    assert shown.seeds == seeds and shown.median_path.shape == (201, 2) and 0 <= shown.median_seed < seeds


@settings(max_examples=30, deadline=None)
@given(seeds=st.integers(1, 9), x=st.floats(-2, 2), y=st.floats(-1, 3), lr=st.floats(1e-4, 0.1),
       noise=st.floats(0.01, 50.0), name=st.sampled_from(["sgd", "momentum", "adam", "rmsprop", "lion"]))
def test_the_median_run_is_one_of_its_seeds_and_the_band_holds_the_middle(seeds, x, y, lr, noise, name):
    t = optimizers.run(name, ROSENBROCK, start=(x, y), steps=60, noise=noise, seed=np.arange(seeds), lr=lr)
    shown = cloud(t.path, t.loss, t.diverged_at)
    np.testing.assert_array_equal(shown.median_path, t.path[:, shown.median_seed])
    finals = np.where(t.diverged_at < 0, t.final_loss, np.inf)
    assert (finals < shown.final_loss[shown.median_seed]).sum() <= (seeds - 1) // 2
    assert (finals > shown.final_loss[shown.median_seed]).sum() <= seeds // 2
    assert (shown.band[0] <= shown.band[1]).all()
    ranked = np.where(np.isfinite(t.loss), t.loss, np.inf)
    assert ((ranked >= shown.band[0][:, None]).sum(axis=1) >= np.ceil(0.9 * seeds) - 1e-9).all()
    assert shown.diverged == int(np.count_nonzero(t.diverged_at >= 0))
