"""Sweeps: a map's cells and a robustness curve's medians are exactly the single runs they stand for."""

import _posixsubprocess
import os
import threading
import tracemalloc
from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.sweeps import Axis, best_cell, default_axis, robustness_curves, sweep_map, sweepable
from ui.sweeps_controls import LinkAxis
from ui.sweeps_view import MapRequest, cell_view, compute_map
from ui.view import from_query, to_query
from viz.sweeps import cell_edges, map_table

from .conftest import assert_equal_up_to_rounding

ROSENBROCK = landscapes.get("rosenbrock")
LR = Axis("lr", 1e-3, 3.0, 7, True)
BETA1 = Axis("beta1", 0.0, 0.99, 5, False)
MOMENTUM = Axis("beta", 0.0, 0.99, 4, False)


@pytest.fixture(scope="module")
def adam_map():
    return sweep_map("adam", ROSENBROCK, LR, BETA1, steps=150, tolerance=1e-1, settings={"beta2": 0.99})


@pytest.fixture(scope="module")
def momentum_map():
    """Momentum with α up to 3 on Rosenbrock: the large rates diverge."""
    return sweep_map("momentum", ROSENBROCK, LR, MOMENTUM, steps=150, tolerance=1e-1)


def test_axis_values_are_log_or_even():
    np.testing.assert_allclose(Axis("lr", 1e-4, 1.0, 5, True).values(), [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
    np.testing.assert_allclose(Axis("beta1", 0.0, 0.9, 4, False).values(), [0.0, 0.3, 0.6, 0.9])
    with pytest.raises(ValueError, match="log axis"):
        Axis("lr", 0.0, 1.0, 3, True).values()


def test_the_pages_axes_carry_what_a_link_writes():
    plain, linked = Axis("lr", 1e-3, 3.0, 7, True).values(), LinkAxis("lr", 1e-3, 3.0, 7, True).values()
    assert any(float(f"{v:.6g}") != v for v in plain), "geomspace's values need more than six digits"
    assert all(float(f"{v:.6g}") == v for v in linked)
    np.testing.assert_allclose(linked, plain, rtol=5e-6)


def test_default_axes_follow_the_spec():
    assert default_axis("adam", "lr") == Axis("lr", 1e-5, 10.0, 50, True)
    assert default_axis("adam", "beta2", 20) == Axis("beta2", 0.0, 0.9999, 20, False)
    assert sweepable("adam") == ("lr", "beta1", "beta2", "eps", "weight_decay")
    with pytest.raises(ValueError, match="cannot be swept"):
        default_axis("adam", "amsgrad")


@pytest.mark.parametrize("cell", [(0, 0), (2, 3), (4, 6), (0, 6), (4, 5)])
def test_a_cell_is_the_single_run_with_its_settings(adam_map, cell):
    row, column = cell
    settings = adam_map.cell_settings(row, column)
    assert settings["lr"] == LR.values()[column] and settings["beta1"] == BETA1.values()[row]
    assert settings["beta2"] == 0.99
    single = optimizers.run("adam", ROSENBROCK, steps=150, keep_path=True, tolerance=0.1, **settings)
    # The map's β₁ᵗ is NumPy's pow on an array, the single run's C's pow on a float: they may differ in the
    # last bit, which 150 steps carry to at most 1e-12 relative for these cells (measured by moving β₁ an ulp).
    assert_equal_up_to_rounding(adam_map.final_loss[cell], single.final_loss, rtol=1e-9)
    assert_equal_up_to_rounding(adam_map.gap[cell], single.final_loss - 0.0, rtol=1e-9)
    assert_equal_up_to_rounding(adam_map.distance[cell], np.linalg.norm(single.path[-1] - (1.0, 1.0)), rtol=1e-9)
    reached = np.flatnonzero(single.loss <= 0.1)  # cells (0, 6) and (4, 5) get there
    expected_steps = reached[0] if reached.size else np.nan
    np.testing.assert_array_equal(adam_map.steps_to_tolerance[cell], expected_steps)


def test_diverged_cells_are_nan_and_marked_with_their_step(momentum_map):
    diverged = momentum_map.diverged
    assert diverged.any() and not diverged.all()
    for name in ("gap", "steps_to_tolerance", "distance"):
        assert np.all(np.isnan(getattr(momentum_map, name)[diverged]))
    row, column = np.argwhere(diverged)[0]
    single = optimizers.run("momentum", ROSENBROCK, steps=150, **momentum_map.cell_settings(row, column))
    assert momentum_map.diverged_at[row, column] == single.diverged_at >= 0


def test_chunks_give_the_same_map_as_one_call():
    whole = sweep_map("momentum", ROSENBROCK, LR, MOMENTUM, steps=150, tolerance=1e-1)
    fractions = []
    chunked = sweep_map("momentum", ROSENBROCK, LR, MOMENTUM, steps=150, tolerance=1e-1, chunk_cells=7,
                        progress=fractions.append)
    for name in ("final_loss", "gap", "steps_to_tolerance", "distance", "diverged_at"):
        np.testing.assert_array_equal(getattr(chunked, name), getattr(whole, name))
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len({round(f, 3) for f in fractions}) > 10, "the progress should move within and across chunks"


def test_the_best_cell_has_the_lowest_metric(momentum_map):
    row, column = best_cell(momentum_map, "gap")
    assert momentum_map.gap[row, column] == np.nanmin(momentum_map.gap)
    steps_row, steps_column = best_cell(momentum_map, "steps_to_tolerance")
    assert momentum_map.steps_to_tolerance[steps_row, steps_column] == np.nanmin(momentum_map.steps_to_tolerance)


def test_nearest_cell_snaps_in_each_axis_scale(adam_map):
    lrs, betas = LR.values(), BETA1.values()
    assert adam_map.nearest_cell(lrs[3] * 1.2, betas[2] + 0.05) == (2, 3)
    # Halfway in log space between two learning rates, slightly towards the upper one.
    assert adam_map.nearest_cell(np.sqrt(lrs[1] * lrs[2]) * 1.01, betas[0]) == (0, 2)


def test_the_same_hyperparameter_on_both_axes_is_refused():
    with pytest.raises(ValueError, match="different hyperparameters"):
        sweep_map("adam", ROSENBROCK, LR, LR._replace(count=3))


def test_a_cells_playground_link_replays_it_exactly():
    request = MapRequest(("quadratic", (("condition", 100.0), ("angle", 30.0)), ""), (-1.7, 0.8), 120, "adamw",
                         LinkAxis("lr", 1e-3, 1.0, 6, True), LinkAxis("weight_decay", 1e-3, 1.0, 5, True),
                         (("beta1", 0.8), ("amsgrad", True)), 1e-3)
    sweep = compute_map(request)
    landscape = landscapes.get("quadratic", condition=100.0, angle=30.0)
    for row, column in [(0, 0), (3, 4), (4, 5)]:
        url = urlencode(to_query(cell_view(request, sweep, row, column)), doseq=True)
        view, notes = from_query(parse_qs(url))
        assert notes == []
        assert (view.landscape, view.landscape_params, view.start, view.steps) == (
            "quadratic", (("condition", 100.0), ("angle", 30.0)), (-1.7, 0.8), 120)
        (run,) = view.runs
        assert run.optimizer == "adamw" and run.settings == {**sweep.cell_settings(row, column)}
        replayed = optimizers.run(run.optimizer, landscape, start=view.start, steps=view.steps, **run.settings)
        assert replayed.final_loss == sweep.final_loss[row, column]


def test_robustness_medians_are_the_medians_of_the_per_seed_runs():
    lr = Axis("lr", 1e-4, 3.0, 9, True)
    curves = robustness_curves(["sgd", "adam"], ROSENBROCK, lr, steps=80, noise=0.5, seeds=(0, 1, 2, 3), band=0.25)
    assert curves.gap.shape == (2, 4, 9)
    for k, name in enumerate(["sgd", "adam"]):
        per_seed = []
        for seed in range(4):
            run = optimizers.run(name, ROSENBROCK, steps=80, noise=0.5, seed=seed, keep_path=False, lr=lr.values())
            per_seed.append(np.where(run.diverged_at >= 0, np.inf, run.final_loss))
        per_seed = np.array(per_seed)
        np.testing.assert_array_equal(curves.gap[k], per_seed)
        ordered = np.sort(per_seed, axis=0)
        np.testing.assert_array_equal(curves.median[k], (ordered[1] + ordered[2]) / 2)
        np.testing.assert_array_equal(curves.low[k], ordered[0])
        np.testing.assert_array_equal(curves.high[k], ordered[3])
    assert np.isinf(curves.median[0, -1]), "SGD with α = 3 diverges on Rosenbrock"
    assert curves.best_lr(1) == lr.values()[np.argmin(curves.median[1])]


def test_without_noise_a_curve_is_one_run_per_lr():
    lr = Axis("lr", 1e-3, 1.0, 4, True)
    curves = robustness_curves(["rmsprop"], ROSENBROCK, lr, steps=50, seeds=(0, 1, 2))
    assert curves.seeds == (0,)
    single = optimizers.run("rmsprop", ROSENBROCK, steps=50, lr=float(lr.values()[2]))
    assert curves.median[0, 2] == single.final_loss[()] == curves.low[0, 2] == curves.high[0, 2]


def test_working_decades_measure_where_the_median_is_low_enough():
    lr = Axis("lr", 1e-4, 1.0, 5, True)
    curves = robustness_curves(["adam"], ROSENBROCK, lr, steps=200)
    good = lr.values()[curves.median[0] <= 1.0]
    assert curves.working_decades(0, 1.0) == pytest.approx(np.log10(good.max() / good.min()) if good.size else 0.0)
    assert curves.working_decades(0, -1.0) == 0.0


def test_cell_edges_tile_the_axis_halfway_between_centres():
    np.testing.assert_allclose(cell_edges(np.array([1e-3, 1e-2, 1e-1]), log=True), [10**-3.5, 10**-2.5, 10**-1.5,
                                                                                    10**-0.5])
    np.testing.assert_allclose(cell_edges(np.array([0.0, 0.5, 1.0]), log=False), [-0.25, 0.25, 0.75, 1.25])


def test_the_csv_table_has_one_row_per_cell(momentum_map):
    table = map_table(momentum_map)
    assert len(table) == 4 * 7
    assert list(table.columns[:2]) == ["lr", "beta"]
    row = table.iloc[2 * 7 + 5]
    assert (row["lr"], row["beta"]) == (LR.values()[5], MOMENTUM.values()[2])
    assert table["diverged at"].notna().sum() == momentum_map.diverged.sum()


def test_a_large_map_keeps_no_paths_in_memory():
    tracemalloc.start()
    sweep = sweep_map("adam", ROSENBROCK, Axis("lr", 1e-4, 1.0, 200, True), Axis("beta1", 0.0, 0.99, 200, False),
                      steps=300)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    path_bytes = 301 * 200 * 200 * 2 * 8
    assert sweep.gap.shape == (200, 200)
    assert peak < path_bytes / 8, f"peak {peak / 1e6:.0f} MB; the paths alone would take {path_bytes / 1e6:.0f} MB"


def test_a_map_computed_in_a_server_thread_starts_no_process(monkeypatch):
    """Streamlit runs each session in a thread of one process; the engine must never fork or spawn there."""

    def refuse(*args, **kwargs):
        raise AssertionError("the engine started a process")

    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp"):
        monkeypatch.setattr(os, name, refuse, raising=False)
    monkeypatch.setattr(_posixsubprocess, "fork_exec", refuse)
    maps, errors = [], []

    def compute():
        try:
            maps.append(sweep_map("adam", ROSENBROCK, Axis("lr", 1e-4, 1.0, 100, True),
                                  Axis("beta1", 0.0, 0.99, 100, False), steps=100))
        except Exception as error:  # re-raised below, in the test's thread
            errors.append(error)

    thread = threading.Thread(target=compute)
    thread.start()
    thread.join()
    assert not errors, errors
    assert maps[0].gap.shape == (100, 100) and np.isfinite(maps[0].gap).any()
