"""Hypothesis: any valid hyperparameters and starts, however absurd, give a run and never an error."""

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers

LANDSCAPES = ("rosenbrock", "saddle", "rastrigin", "beale", "ackley")


def log_uniform(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(np.log10(low), np.log10(high)).map(lambda e: 10.0**e)


def value_for(h: optimizers.Hyperparameter) -> st.SearchStrategy:
    if h.kind == "bool":
        return st.booleans()
    if h.name == "lr":
        return log_uniform(1e-8, 1e3)
    if h.high == 1.0:  # betas, momentum, dampening: [0, 1) or [0, 1], edges included on purpose
        return st.one_of(st.sampled_from([0.0, 0.9, 0.999999]), st.floats(0.0, 1.0, exclude_max=not h.high_inclusive))
    if h.name == "eps":
        return log_uniform(1e-16, 10.0)
    return st.one_of(st.just(0.0), log_uniform(1e-8, 1e2))  # weight decay, lr_decay, momentum_decay


@st.composite
def runs(draw):
    name = draw(st.sampled_from(optimizers.names()))
    spec = optimizers.get(name)
    chosen = {h.name: draw(value_for(h)) for h in spec.hyperparameters}
    if name == "sgd" and chosen["nesterov"]:
        chosen["momentum"] = max(chosen["momentum"], 0.5)
        chosen["dampening"] = 0.0
    land = landscapes.get(draw(st.sampled_from(LANDSCAPES)))
    (x0, x1), (y0, y1) = land.bounds
    # Starts anywhere in a box nine views wide, so far corners and steep walls come up.
    coordinate = st.floats(-4.0, 4.0)
    starts = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=4))
    starts = [((x0 + x1) / 2 + a * (x1 - x0), (y0 + y1) / 2 + b * (y1 - y0)) for a, b in starts]
    return name, land, np.array(starts), chosen, draw(st.integers(0, 120)), draw(st.sampled_from([0.0, 0.0, 1.0]))


@settings(max_examples=150, deadline=None)
@given(runs())
def test_any_valid_run_finishes_and_records_divergence_consistently(case):
    name, land, starts, chosen, steps, noise = case
    run = optimizers.run(name, land, starts, steps=steps, noise=noise, seed=3, **chosen)

    assert run.path.shape == (steps + 1, len(starts), 2) and run.loss.shape == (steps + 1, len(starts))
    row = np.arange(steps + 1)[:, np.newaxis]
    diverged = run.diverged_at >= 0
    event("a run diverged" if diverged.any() else "no run diverged")
    after = diverged & (row >= run.diverged_at)
    # NaN exactly from diverged_at on, everything before it finite, and nowhere else.
    np.testing.assert_array_equal(np.isnan(run.path).any(axis=-1), after)
    np.testing.assert_array_equal(np.isnan(run.loss), after)
    assert np.all(np.isfinite(run.path[~after]))
    assert np.all(np.isfinite(run.final_loss[~diverged])) and np.all(np.isnan(run.final_loss[diverged]))
    np.testing.assert_array_equal(run.final_point, run.path[-1])
    best = np.min(np.where(after, np.inf, run.loss), axis=0)
    np.testing.assert_array_equal(run.best_loss, np.where(np.isinf(best), np.nan, best))
    summary = optimizers.run(name, land, starts, steps=steps, noise=noise, seed=3, keep_path=False, **chosen)
    np.testing.assert_array_equal(summary.diverged_at, run.diverged_at)
    np.testing.assert_array_equal(summary.final_point, run.final_point)
