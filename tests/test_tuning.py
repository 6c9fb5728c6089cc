"""The fair fight: equal tuning budgets, one batched call per optimizer, and what it reports."""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.tuning import Tuning, draw_settings, fair_fight, full_settings, tune, tuned_hyperparameters

ROSENBROCK = landscapes.get("rosenbrock")


@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop", "adam", "lion"])
def test_the_best_setting_is_the_best_of_a_loop_over_the_same_settings(name):
    tuning = tune(name, ROSENBROCK, steps=200, budget=24, seed=3)
    floor = ROSENBROCK.minimum_value
    looped = []
    for index in range(tuning.budget):
        single = optimizers.run(name, ROSENBROCK, steps=200, **tuning.setting(index))
        looped.append(np.inf if single.diverged_at >= 0 else float(single.final_loss) - floor)
    # A lone run steps as Python floats and its βᵗ comes from C's pow, the batch's from NumPy's.
    np.testing.assert_allclose(tuning.gap, looped, rtol=1e-9, atol=1e-15)
    assert tuning.best_gap == pytest.approx(min(looped), rel=1e-9, abs=1e-15)


def test_the_defaults_come_first_so_tuning_is_never_worse():
    tuning = tune("adam", ROSENBROCK, steps=300, budget=16)
    assert tuning.setting(0) == {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999}
    default = optimizers.run("adam", ROSENBROCK, steps=300)
    assert tuning.default_gap == pytest.approx(float(default.final_loss) - ROSENBROCK.minimum_value, rel=1e-12)
    assert tuning.best_gap <= tuning.default_gap


def test_draws_are_seeded_and_inside_the_sliders():
    first, again, other = (draw_settings("adam", 200, seed) for seed in (5, 5, 6))
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])
        assert not np.array_equal(first[name], other[name])
    spec = optimizers.get("adam")
    for name, values in first.items():
        low, high = spec.hyperparameter(name).slider
        assert np.all((low <= values) & (values <= high)), name
    # 1 − β is log-uniform: about as many draws of β₂ in [0.9, 0.99) as in [0.99, 0.999).
    beta2 = first["beta2"][1:]
    assert abs(np.sum((beta2 >= 0.9) & (beta2 < 0.99)) - np.sum((beta2 >= 0.99) & (beta2 < 0.999))) < 25


def test_each_optimizer_tunes_its_learning_rate_and_the_averages_it_uses():
    for name in optimizers.names():
        spec = optimizers.get(name)
        tuned = tuned_hyperparameters(name)
        assert tuned[0] == "lr"
        for other in tuned[1:]:
            assert 0.0 < spec.hyperparameter(other).default < 1.0, (name, other)
    assert tuned_hyperparameters("sgd") == ("lr",), "SGD's momentum is off by default: that is Momentum's job"
    assert tuned_hyperparameters("adam") == ("lr", "beta1", "beta2")


def test_tunability_is_the_share_within_ten_times_the_best():
    gaps = np.array([1.0, 0.01, 0.05, 0.1, 0.11, np.inf])
    tuning = Tuning("sgd", {"lr": np.arange(6.0)}, gaps, np.array([-1, -1, -1, -1, -1, 7]))
    assert tuning.best_index == 1 and tuning.best_settings == {"lr": 1.0}
    assert tuning.tunability == pytest.approx(3 / 6)
    every_run_diverged = Tuning("sgd", {"lr": np.arange(2.0)}, np.full(2, np.inf), np.array([3, 4]))
    assert every_run_diverged.tunability == 0.0 and every_run_diverged.best_index == 0


def test_a_fair_fight_ranks_defaults_and_tuned_and_reports_progress():
    reported = []
    fight = fair_fight(["sgd", "adam", "rmsprop"], ROSENBROCK, steps=300, budget=16, progress=reported.append)
    assert [t.optimizer for t in fight.tunings] == ["sgd", "adam", "rmsprop"]
    for tuned in (False, True):
        gaps = {t.optimizer: t.best_gap if tuned else t.default_gap for t in fight.tunings}
        ranking = fight.ranking(tuned)
        assert sorted(ranking) == sorted(gaps)
        assert [gaps[n] for n in ranking] == sorted(gaps.values())
    assert reported == sorted(reported) and reported[-1] == 1.0 and len(reported) > 3
    assert full_settings(fight.tunings[1], 0) == optimizers.get("adam").settings()


@pytest.mark.parametrize("budget", [0, -3, 2.5, True, "64"])
def test_a_bad_budget_is_a_clear_error(budget):
    with pytest.raises(ValueError, match="budget must be an integer ≥ 1"):
        tune("adam", ROSENBROCK, budget=budget)


def test_unknown_optimizers_and_empty_fights_are_clear_errors():
    with pytest.raises(ValueError, match="unknown optimizer 'adom'"):
        fair_fight(["adom"], ROSENBROCK)
    with pytest.raises(ValueError, match="at least one optimizer"):
        fair_fight([], ROSENBROCK)
