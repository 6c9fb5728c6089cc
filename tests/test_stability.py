"""Curvature limits: λmax in closed form, and step sizes that are stable just below the limit, not above."""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.stability import (
    largest_eigenvalue,
    preconditioned,
    preconditioner,
    sharpness,
    stability_limit,
)

STEEP = 100.0  # the quadratic's largest curvature: κ = 100 with the other eigenvalue 1
QUADRATIC = landscapes.get("quadratic", condition=STEEP, angle=30.0)


def test_largest_eigenvalue_is_numpys():
    rng = np.random.default_rng(4)
    a = rng.normal(size=(500, 2, 2)) * rng.lognormal(size=(500, 1, 1))
    symmetric = a + np.swapaxes(a, -1, -2)
    np.testing.assert_allclose(largest_eigenvalue(symmetric), np.linalg.eigvalsh(symmetric)[..., -1], rtol=1e-12,
                               atol=1e-12 * np.abs(symmetric).max())


def test_preconditioning_is_symmetric_with_the_eigenvalues_of_p_times_h():
    rng = np.random.default_rng(5)
    a = rng.normal(size=(50, 2, 2))
    h = a + np.swapaxes(a, -1, -2)
    scale = rng.uniform(0.1, 10.0, size=(50, 2))
    ph = scale[..., :, np.newaxis] * h
    shown = preconditioned(h, scale)
    np.testing.assert_array_equal(shown, np.swapaxes(shown, -1, -2))
    np.testing.assert_allclose(np.sort(np.linalg.eigvals(ph).real, axis=-1), np.linalg.eigvalsh(shown), rtol=1e-10,
                               atol=1e-12)


CASES = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9}),
    ("sgd", {"momentum": 0.5, "dampening": 0.3}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("momentum", {"beta": 0.9}),
    ("momentum", {"beta": 0.5}),
]


@pytest.mark.parametrize(("name", "options"), CASES, ids=lambda v: str(v))
def test_the_limit_is_sharp_on_the_quadratic(name, options):
    # The lr at which the limit equals the quadratic's λmax, found from the formula at lr = 1.
    spec = optimizers.get(name)
    at_one = stability_limit(name, spec.settings(lr=1.0, **options))
    assert at_one is not None and not at_one.preconditioned
    critical = at_one.limit / STEEP  # the limit scales as 1/α
    assert stability_limit(name, spec.settings(lr=critical, **options)).limit == pytest.approx(STEEP, rel=1e-12)
    below = optimizers.run(name, QUADRATIC, steps=3000, lr=0.97 * critical, **options)
    above = optimizers.run(name, QUADRATIC, steps=3000, lr=1.03 * critical, **options)
    assert below.diverged_at < 0 and below.final_loss < 1e-6 * QUADRATIC.f(np.array(QUADRATIC.start))
    assert above.diverged_at >= 0, "3% past the limit the steep direction must blow up"


def test_the_adam_family_bounds_preconditioned_curvature():
    limit = stability_limit("adam", optimizers.get("adam").settings(lr=0.01))
    assert limit.preconditioned
    assert limit.limit == pytest.approx(3800.0)  # (2 + 2·0.9) / (0.1 · 0.01): the "38/α" of Cohen et al.
    assert stability_limit("rmsprop", optimizers.get("rmsprop").settings(lr=0.01)).limit == pytest.approx(200.0)


@pytest.mark.parametrize("name", ["nadam", "radam", "adamax", "lion"])
def test_methods_without_a_simple_limit_say_so(name):
    assert stability_limit(name, optimizers.get(name).settings()) is None


def test_the_sentence_for_sgd_on_a_kappa_100_quadratic_gives_its_numbers():
    from viz.stability import stability_sentence

    curvature = float(largest_eigenvalue(QUADRATIC.hessian(np.array(QUADRATIC.start))))
    assert curvature == pytest.approx(STEEP, rel=1e-12)
    settings = optimizers.get("sgd").settings(lr=0.03)
    assert stability_sentence("SGD", "sgd", settings, curvature) == (
        "α = 0.03 > 2/λmax = 0.02 (λmax = 100): SGD must oscillate and grow along the steepest direction.")
    calm = stability_sentence("SGD", "sgd", optimizers.get("sgd").settings(lr=0.01), curvature)
    assert calm.startswith("α = 0.01 ≤ 2/λmax = 0.02") and "stable" in calm
    saddle = landscapes.get("saddle")
    steepest = stability_sentence("SGD", "sgd", settings, float(largest_eigenvalue(saddle.hessian(np.zeros(2)))))
    assert "2/λmax = 1 (λmax = 2)" in steepest and "stable" in steepest
    flat = stability_sentence("SGD", "sgd", settings, -2.0)
    assert "no positive curvature" in flat
    assert "no simple step-size limit" in stability_sentence("Lion", "lion", optimizers.get("lion").settings(), 5.0)


def test_sgd_sharpness_on_the_quadratic_is_its_steepest_curvature():
    t = optimizers.run("sgd", QUADRATIC, steps=50, lr=0.005)
    shown = sharpness("sgd", optimizers.get("sgd").settings(lr=0.005), QUADRATIC.hessian(t.path))
    assert shown.shape == (50,)
    np.testing.assert_allclose(shown, STEEP, rtol=1e-12)


@pytest.mark.parametrize(("name", "options"), [
    ("adam", {}), ("adamw", {"amsgrad": True}), ("adam", {"bias_correction": False}),
    ("rmsprop", {}), ("rmsprop", {"centered": True}), ("rmsprop", {"eps_in_sqrt": True, "momentum": 0.5}),
    ("adagrad", {}),
], ids=str)
def test_preconditioned_sharpness_is_the_largest_eigenvalue_of_p_times_h(name, options):
    # λmax(P^½HP^½) against eig(P·H); where the update is plainly −αPg (RMSprop without options), P is also
    # checked against the recorded update (a difference of iterates: equal within rounding, not bit for bit).
    land = landscapes.get("rosenbrock")
    settings = optimizers.get(name).settings(lr=1e-3, **options)
    t = optimizers.run(name, land, steps=40, record_state=True, **settings)
    hessians = land.hessian(t.path)
    shown = sharpness(name, settings, hessians, t.state)
    scale = preconditioner(name, settings, t.state)
    expected = [np.linalg.eigvals(np.diag(scale[k + 1]) @ hessians[k]).real.max() for k in range(40)]
    np.testing.assert_allclose(shown, expected, rtol=1e-9)
    if name == "rmsprop" and not options:
        g = t.state["grad"][1:]
        np.testing.assert_allclose(t.state["update"][1:], -settings["lr"] * scale[1:] * g, rtol=1e-9)


def test_a_preconditioned_limit_needs_the_recorded_state():
    with pytest.raises(ValueError, match="recorded state"):
        sharpness("adam", optimizers.get("adam").defaults, QUADRATIC.hessian(np.zeros((3, 2))))


def test_lion_has_no_preconditioner_and_shows_plain_curvature():
    settings = optimizers.get("lion").defaults
    assert preconditioner("lion", settings, {}) is None
    np.testing.assert_allclose(sharpness("lion", settings, QUADRATIC.hessian(np.zeros((4, 2)))), STEEP, rtol=1e-12)
