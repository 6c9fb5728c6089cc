"""The runner: batching, divergence, noise, summaries without the path, inner state, bad input."""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import runner, schedules

from .conftest import assert_equal_up_to_rounding

ROSENBROCK = landscapes.get("rosenbrock")
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.2], [30.0, -30.0]])  # the last one blows up under SGD

# (optimizer, the hyperparameter swept against lr, its values, fixed options). lr 1e4 makes a cell diverge.
GRIDS = [
    ("sgd", "momentum", [0.0, 0.5, 0.9], {}),
    ("sgd", "momentum", [0.1, 0.5, 0.9], {"nesterov": True, "weight_decay": 0.1}),
    ("sgd", "dampening", [0.0, 0.5, 1.0], {"momentum": 0.9}),
    ("momentum", "beta", [0.0, 0.5, 0.9], {}),
    ("rmsprop", "beta", [0.0, 0.9, 0.99], {}),
    ("rmsprop", "momentum", [0.0, 0.5, 0.9], {"centered": True}),
    ("rmsprop", "eps", [1e-8, 1e-2, 1.0], {"eps_in_sqrt": True}),
    ("adagrad", "eps", [1e-10, 1e-3, 1.0], {"lr_decay": 0.01}),
    ("adam", "beta1", [0.0, 0.5, 0.9], {}),
    ("adam", "beta2", [0.0, 0.9, 0.999], {"amsgrad": True, "weight_decay": 0.01}),
    ("adam", "beta1", [0.0, 0.5, 0.9], {"bias_correction": False}),
    ("adamw", "weight_decay", [0.0, 0.01, 1.0], {}),
    ("nadam", "momentum_decay", [0.0, 4e-3, 0.1], {}),
    ("radam", "beta2", [0.0, 0.9, 0.999], {}),
    ("adamax", "beta1", [0.0, 0.5, 0.9], {}),
    ("lion", "beta1", [0.0, 0.5, 0.9], {"weight_decay": 0.1}),
]
LRS = [1e-3, 1e-1, 1e4]
SUMMARIES = ("final_point", "final_loss", "best_loss", "distance_to_minimum")
# Hyperparameters that reach the step through a power (βᵗ, 0.96^(tψ)): batched, NumPy's pow on an
# array; alone, C's pow on a float. The two may differ in the last bit on some CPUs.
POWERED = ("beta1", "beta2", "momentum_decay")
# Moving such a β by one ulp moves these 60-step Rosenbrock runs by at most 2.5e-14 (measured): 400× margin.
POWERED_RTOL = 1e-11


def assert_same_run(batched: optimizers.Trajectory, index: tuple, single: optimizers.Trajectory,
                    rtol: float = 0.0) -> None:
    """The run at ``index`` of a batch is the single run: bit for bit, or within ``rtol`` where a pow differs."""
    assert batched.diverged_at[index] == single.diverged_at
    for name in ("path", "loss", *SUMMARIES):
        ours, alone = getattr(batched, name), getattr(single, name)
        ours = ours[(slice(None), *index)] if name in ("path", "loss") else ours[index]
        if rtol:
            assert_equal_up_to_rounding(ours, alone, rtol=rtol, err_msg=name)
        else:
            np.testing.assert_array_equal(ours, alone, err_msg=name)
    # A sum of step lengths, which NumPy's pairwise summation groups by the batch's layout.
    assert_equal_up_to_rounding(batched.path_length[index], single.path_length, rtol=max(rtol, 1e-13))


@pytest.mark.parametrize(("name", "swept", "values", "options"), GRIDS, ids=lambda v: str(v))
def test_a_hyperparameter_grid_is_the_loop_over_its_cells(name, swept, values, options):
    lr, other = np.meshgrid(LRS, values, indexing="ij")
    grid = optimizers.run(name, ROSENBROCK, steps=60, lr=lr, **{swept: other}, **options)
    assert grid.path.shape == (61, 3, 3, 2)
    assert np.all(grid.diverged_at[-1] >= 0), "the lr = 1e4 row should diverge"
    assert np.all(grid.diverged_at[0] == -1)
    rtol = POWERED_RTOL if swept in POWERED and name != "lion" else 0.0
    for i in range(3):
        for j in range(3):
            single = optimizers.run(name, ROSENBROCK, steps=60, lr=LRS[i], **{swept: values[j]}, **options)
            assert_same_run(grid, (i, j), single, rtol)


@pytest.mark.parametrize("name", optimizers.names())
def test_a_batch_of_starts_is_the_loop_over_its_starts(name):
    batch = optimizers.run(name, ROSENBROCK, STARTS, steps=80, lr=1e-3, tolerance=1.0)
    for i, start in enumerate(STARTS):
        single = optimizers.run(name, ROSENBROCK, start, steps=80, lr=1e-3, tolerance=1.0)
        assert_same_run(batch, (i,), single)
        assert batch.steps_to_tolerance[i] == single.steps_to_tolerance


def test_sgd_with_a_huge_lr_diverges_as_data():
    run = optimizers.run("sgd", ROSENBROCK, steps=100, lr=1.0)
    d = int(run.diverged_at)
    assert 0 < d < 100
    assert np.all(np.isfinite(run.path[:d])) and np.all(np.isfinite(run.loss[:d]))
    assert np.all(np.isnan(run.path[d:])) and np.all(np.isnan(run.loss[d:]))
    assert np.all(np.isnan(run.final_point)) and np.isnan(run.final_loss)
    assert run.best_loss == np.min(run.loss[:d])


def test_sgd_running_down_the_saddle_is_stopped_where_it_leaves_the_view_far_behind():
    saddle = landscapes.get("saddle")
    radius = runner.ESCAPE_VIEWS * saddle.span
    # With α = ½ on x² − y², x jumps to 0 and y doubles every step: yₜ = 0.02·2ᵗ.
    expected = next(t for t in range(100) if 0.02 * 2.0**t > radius)
    run = optimizers.run("sgd", saddle, start=(1.0, 0.02), steps=40, lr=0.5)
    assert run.diverged_at == expected
    np.testing.assert_array_equal(run.path[1:expected, 1], 0.02 * 2.0 ** np.arange(1, expected))
    assert np.all(np.isnan(run.path[expected:]))


def test_lion_leaving_the_saddle_at_constant_speed_is_marked():
    saddle = landscapes.get("saddle")
    run = optimizers.run("lion", saddle, start=(0.5, 0.1), steps=200, lr=50.0)
    d = int(run.diverged_at)
    assert d > 0
    # Lion moves exactly α per axis and step; the loss is finite all the way, only the distance counts.
    assert np.abs(run.path[d - 1, 1]) <= runner.ESCAPE_VIEWS * saddle.span < np.abs(run.path[d - 1, 1]) + 50.0
    assert np.all(np.isnan(run.path[d:]))


def test_window_boundaries_do_not_change_anything(monkeypatch):
    lr = np.array([1e-3, 1e-2, 1.0])
    reference = optimizers.run("adam", ROSENBROCK, STARTS[:, np.newaxis], steps=50, lr=lr, tolerance=2.0,
                               record_state=True)
    monkeypatch.setattr(runner, "WINDOW_POINTS", 7)
    for keep_path in (True, False):
        small = optimizers.run("adam", ROSENBROCK, STARTS[:, np.newaxis], steps=50, lr=lr, tolerance=2.0,
                               keep_path=keep_path, record_state=True)
        for name in ("diverged_at", "final_point", "final_loss", "best_loss", "steps_to_tolerance"):
            np.testing.assert_array_equal(getattr(small, name), getattr(reference, name))
        for key, values in reference.state.items():
            np.testing.assert_array_equal(small.state[key], values)
        if keep_path:
            np.testing.assert_array_equal(small.path, reference.path)
            np.testing.assert_array_equal(small.loss, reference.loss)


def test_without_the_path_the_summaries_are_the_same():
    lr = np.array([[1e-4], [1e-3], [1.0]])  # the last row diverges under SGD
    kept = optimizers.run("sgd", ROSENBROCK, STARTS, steps=300, lr=lr, momentum=0.9, tolerance=0.5)
    summary = optimizers.run("sgd", ROSENBROCK, STARTS, steps=300, lr=lr, momentum=0.9, tolerance=0.5,
                             keep_path=False)
    assert summary.path is None and summary.loss is None
    assert np.any(kept.diverged_at >= 0) and np.any(kept.steps_to_tolerance >= 0)
    for name in ("diverged_at", "final_point", "final_loss", "best_loss", "steps_to_tolerance"):
        np.testing.assert_array_equal(getattr(summary, name), getattr(kept, name))


def test_tolerance_records_the_first_step_at_or_below_it():
    run = optimizers.run("adam", ROSENBROCK, STARTS, steps=400, lr=1e-2, tolerance=0.1)
    below = run.loss <= 0.1
    expected = np.where(below.any(axis=0), below.argmax(axis=0), -1)
    np.testing.assert_array_equal(run.steps_to_tolerance, expected)
    assert np.any(expected > 0) and np.any(expected == -1)
    np.testing.assert_array_equal(run.best_loss, np.nanmin(run.loss, axis=0))
    assert optimizers.run("adam", ROSENBROCK, steps=5).steps_to_tolerance is None


def noise_added(run: optimizers.Trajectory, land) -> np.ndarray:
    """What the gradient noise was at each step, read back from the recorded gradients."""
    return run.state["grad"][1:] - land.grad(run.path[:-1])


def test_the_same_seed_gives_every_optimizer_the_same_noise():
    lr, noise, starts = 1e-3, 0.5, STARTS[:3]
    sgd = optimizers.run("sgd", ROSENBROCK, starts, steps=40, lr=lr, noise=noise, seed=11)
    # θₜ − θₜ₋₁ = −α(∇f(θₜ₋₁) + σzₜ), so the noise SGD saw is −Δθ/α − ∇f.
    sgd_noise = -np.diff(sgd.path, axis=0) / lr - ROSENBROCK.grad(sgd.path[:-1])
    adam = optimizers.run("adam", ROSENBROCK, starts, steps=40, lr=lr, noise=noise, seed=11, record_state=True)
    np.testing.assert_allclose(noise_added(adam, ROSENBROCK), sgd_noise, atol=1e-9)
    assert abs(np.std(sgd_noise) - noise) < 0.1
    other = optimizers.run("adam", ROSENBROCK, starts, steps=40, lr=lr, noise=noise, seed=12, record_state=True)
    assert not np.allclose(noise_added(other, ROSENBROCK), sgd_noise, atol=1e-3)


def test_an_array_of_seeds_is_a_batch_of_noisy_copies():
    seeds = np.arange(5)
    cloud = optimizers.run("adam", ROSENBROCK, steps=40, lr=1e-2, noise=0.5, seed=seeds)
    assert cloud.path.shape == (41, 5, 2) and cloud.final_loss.shape == (5,)
    for k in seeds:
        # The same draws and the same + − × ÷ √ on them: the same bits as the run alone.
        assert_same_run(cloud, (k,), optimizers.run("adam", ROSENBROCK, steps=40, lr=1e-2, noise=0.5, seed=int(k)))
    assert len({tuple(p) for p in cloud.final_point}) == 5


def test_seeds_broadcast_against_hyperparameters_and_starts():
    lr, seeds = np.array([[1e-3], [1e-2]]), np.arange(3)
    grid = optimizers.run("sgd", ROSENBROCK, STARTS[:3, np.newaxis, np.newaxis], steps=20, lr=lr, noise=0.3,
                          seed=seeds, keep_path=False)
    assert grid.final_point.shape == (3, 2, 3, 2)
    single = optimizers.run("sgd", ROSENBROCK, STARTS[1], steps=20, lr=1e-2, noise=0.3, seed=2, keep_path=False)
    np.testing.assert_array_equal(grid.final_point[1, 1, 2], single.final_point)


def test_a_runs_noise_depends_on_its_seed_alone():
    # Every start of a batch with one seed sees the same noise, as every optimizer does.
    starts = np.array([[0.0, 0.0], [5.0, -3.0]])
    quadratic = landscapes.get("quadratic", condition=1.0, angle=0.0)
    run = optimizers.run("sgd", quadratic, starts, steps=10, lr=1e-3, noise=1.0, seed=3, record_state=True)
    noise = noise_added(run, quadratic)
    assert_equal_up_to_rounding(noise[:, 0], noise[:, 1], rtol=1e-12)


def test_summaries_are_what_the_path_says():
    lr = np.array([1e-4, 1e-3, 1.0])  # the last one diverges
    run = optimizers.run("sgd", ROSENBROCK, STARTS[:3, np.newaxis], steps=300, lr=lr, momentum=0.5)
    assert np.any(run.diverged_at >= 0) and np.any(run.diverged_at < 0)
    steps = np.linalg.norm(np.diff(run.path, axis=0), axis=-1)
    np.testing.assert_allclose(run.path_length, np.nansum(steps, axis=0), rtol=1e-12)
    distance = np.linalg.norm(run.path[-1] - (1.0, 1.0), axis=-1)
    np.testing.assert_allclose(run.distance_to_minimum, distance, rtol=1e-15)
    assert np.all(np.isnan(run.distance_to_minimum[run.diverged_at >= 0]))
    saddle = optimizers.run("adam", landscapes.get("saddle"), steps=5)
    assert np.isnan(saddle.distance_to_minimum), "no minimum, no distance"
    summaries = optimizers.run("sgd", ROSENBROCK, STARTS[:3, np.newaxis], steps=300, lr=lr, momentum=0.5,
                               keep_path=False)
    assert summaries.path_length is None, "the length is measured with the path only"
    np.testing.assert_array_equal(summaries.best_loss, run.best_loss)


def test_zero_noise_is_deterministic_whatever_the_seed():
    a = optimizers.run("adam", ROSENBROCK, STARTS, steps=50, lr=1e-2, noise=0.0, seed=1)
    b = optimizers.run("adam", ROSENBROCK, STARTS, steps=50, lr=1e-2, seed=2)
    np.testing.assert_array_equal(a.path, b.path)
    noisy = optimizers.run("adam", ROSENBROCK, STARTS, steps=50, lr=1e-2, noise=0.1, seed=1)
    np.testing.assert_array_equal(noisy.path, optimizers.run("adam", ROSENBROCK, STARTS, steps=50, lr=1e-2,
                                                             noise=0.1, seed=1).path)
    assert not np.array_equal(noisy.path, a.path)


@pytest.mark.parametrize("name", optimizers.names())
def test_recorded_state_has_a_row_per_step(name):
    run = optimizers.run(name, ROSENBROCK, STARTS[:3], steps=20, lr=np.array([[1e-3], [1e-2]]), record_state=True)
    assert run.path.shape == (21, 2, 3, 2)
    for values in run.state.values():
        assert values.shape[:-1] == (21, 2, 3)
    assert np.all(np.isnan(run.state["grad"][0])) and np.all(np.isnan(run.state["update"][0]))
    np.testing.assert_array_equal(run.state["update"][1:], np.diff(run.path, axis=0))
    np.testing.assert_array_equal(run.state["grad"][1:], ROSENBROCK.grad(run.path[:-1]))


def test_adams_recorded_state_is_the_articles_m_v_and_corrections():
    beta1, beta2 = 0.8, 0.99
    run = optimizers.run("adam", ROSENBROCK, STARTS[:3], steps=30, lr=1e-2, beta1=beta1, beta2=beta2,
                         record_state=True)
    t = np.arange(1, 31)[:, np.newaxis, np.newaxis]
    m, v, g = run.state["m"], run.state["v"], run.state["grad"]
    np.testing.assert_array_equal(m[0], 0.0)
    # The same + − × as the engine's: the same bits.
    np.testing.assert_array_equal(m[1:], beta1 * m[:-1] + (1 - beta1) * g[1:])
    np.testing.assert_array_equal(v[1:], beta2 * v[:-1] + (1 - beta2) * g[1:] * g[1:])
    # βᵗ here is NumPy's pow on an array, the engine's C's pow on a float: an ulp apart at most, which
    # 1 − βᵗ magnifies by βᵗ/(1 − βᵗ) ≤ 99 (β₂ = 0.99, t = 1); 1e-13 leaves a 4× margin over that.
    np.testing.assert_allclose(run.state["m_hat"][1:], m[1:] / (1 - beta1**t), rtol=1e-13)
    np.testing.assert_allclose(run.state["v_hat"][1:], v[1:] / (1 - beta2**t), rtol=1e-13)


def test_recorded_state_is_nan_after_divergence():
    run = optimizers.run("sgd", ROSENBROCK, steps=30, lr=1.0, momentum=0.5, record_state=True)
    d = int(run.diverged_at)
    assert 0 < d < 30
    assert np.all(np.isnan(run.state["update"][d:])) and np.all(np.isfinite(run.state["update"][1:d]))
    for key in ("b", "grad"):
        assert np.all(np.isnan(run.state[key][d + 1:])) and np.all(np.isfinite(run.state[key][1:d + 1]))


def test_schedules_scale_the_step():
    constant = optimizers.replay("sgd", (0.0, 0.0), np.ones((8, 2)), lr=0.1)
    decayed = optimizers.replay("sgd", (0.0, 0.0), np.ones((8, 2)), lr=0.1,
                                schedule=schedules.StepDecay(step_size=4, gamma=0.5))
    np.testing.assert_allclose(np.diff(constant.path[:, 0]), -0.1)
    np.testing.assert_allclose(np.diff(decayed.path[:, 0]), [-0.1] * 4 + [-0.05] * 4)


def test_progress_reaches_one():
    seen = []
    optimizers.run("adam", ROSENBROCK, steps=200, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) == 50


def test_zero_steps_keeps_only_the_start():
    run = optimizers.run("adam", ROSENBROCK, STARTS, steps=0)
    np.testing.assert_array_equal(run.path, STARTS[np.newaxis])
    np.testing.assert_array_equal(run.final_loss, ROSENBROCK.f(STARTS))
    assert run.steps == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"optimizer": "adamm"}, "unknown optimizer 'adamm'; valid: " + ", ".join(optimizers.names())),
    ({"lr": -1e-3}, r"lr must be ≥ 0, got -0.001"),
    ({"beta2": 1.0}, r"beta2 must be in \[0, 1\), got 1"),
    ({"beta1": np.array([0.9, -0.1])}, r"beta1 must be in \[0, 1\), got -0.1"),
    ({"eps": -1e-8}, r"eps must be > 0, got -1e-08"),
    ({"start": (1.0, 2.0, 3.0)}, r"start must have shape \(\.\.\., 2\), got \(3,\)"),
    ({"start": 1.0}, r"start must have shape \(\.\.\., 2\), got \(\)"),
    ({"start": (np.nan, 0.0)}, r"start must be finite"),
    ({"start": np.zeros((3, 2)), "lr": np.ones(4)}, r"start \(3, 2\) and hyperparameters lr \(4,\) do not broadcast"),
    ({"start": np.zeros((3, 2)), "seed": np.arange(4)}, r"start \(3, 2\) and seed \(4,\) do not broadcast"),
    ({"seed": -1}, r"seed must be an integer ≥ 0 or an array of them, got -1"),
    ({"seed": 1.5}, r"seed must be an integer ≥ 0 or an array of them, got 1.5"),
    ({"seed": True}, r"seed must be an integer ≥ 0 or an array of them, got True"),
    ({"seed": np.array([0.0, 1.0])}, r"seed must be an integer ≥ 0 or an array of them"),
    ({"seed": "7"}, r"seed must be an integer ≥ 0 or an array of them, got '7'"),
    ({"lr": np.ones(3), "beta1": np.ones((2, 1)) * 0.5, "beta2": np.full(4, 0.9)}, r"do not broadcast"),
    ({"momentum": 0.9}, r"adam has no hyperparameter 'momentum'; valid: lr, beta1"),
    ({"steps": -1}, r"steps must be an integer ≥ 0, got -1"),
    ({"steps": 2.5}, r"steps must be an integer ≥ 0, got 2.5"),
    ({"optimizer": "sgd", "nesterov": True}, r"nesterov=True needs momentum > 0"),
    ({"noise": -0.1}, r"noise must be a finite number ≥ 0, got -0.1"),
])
def test_bad_input_names_the_argument_and_its_range(kwargs, message):
    kwargs = {"optimizer": "adam", "landscape": ROSENBROCK, "steps": 10} | kwargs
    with pytest.raises(ValueError, match=message):
        optimizers.run(**kwargs)


@pytest.mark.parametrize("gradients", [np.ones(3), np.ones((3, 3)), np.ones((3, 4, 2))])
def test_replay_checks_its_gradients_shape(gradients):
    with pytest.raises(ValueError, match=r"gradients must have shape \(steps, 2\), got"):
        optimizers.replay("adam", (0.0, 0.0), gradients)
