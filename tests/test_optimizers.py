"""The optimizer specs: the article's update rules by hand, PyTorch twins, validation, convergence."""

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import Landscape

from .conftest import assert_equal_up_to_rounding

START = (0.5, -0.25)
# Three gradients whose signs change, so momentum and the sign of Lion's interpolation matter.
GRADIENTS = np.array([[1.0, -2.0], [-0.05, 1.0], [3.0, 0.5]])


def bowl() -> Landscape:
    """f = x² + 10y², an axis-aligned valley with its minimum 0 at the origin."""
    return Landscape(
        id="bowl", name="bowl", formula=r"x^2 + 10 y^2",
        f=lambda p: p[..., 0] ** 2 + 10.0 * p[..., 1] ** 2,
        grad=lambda p: np.stack([2.0 * p[..., 0], 20.0 * p[..., 1]], axis=-1),
        bounds=((-2.0, 2.0), (-2.0, 2.0)), minima=((0.0, 0.0),), start=(1.5, 1.0),
    )


def replayed_path(name: str, **hyperparameters) -> np.ndarray:
    return optimizers.replay(name, START, GRADIENTS, **hyperparameters).path


def test_momentum_is_the_articles_moving_average():
    lr, beta = 0.1, 0.8
    theta, v, expected = list(START), [0.0, 0.0], [list(START)]
    for g in GRADIENTS:
        for i in range(2):
            v[i] = beta * v[i] + (1 - beta) * g[i]
            theta[i] = theta[i] - lr * v[i]
        expected.append(list(theta))
    np.testing.assert_allclose(replayed_path("momentum", lr=lr, beta=beta), expected, rtol=1e-15, atol=0)


def test_rmsprop_eps_in_sqrt_is_the_articles_form():
    lr, beta, eps = 0.1, 0.9, 0.01
    theta, s, expected = list(START), [0.0, 0.0], [list(START)]
    for g in GRADIENTS:
        for i in range(2):
            s[i] = beta * s[i] + (1 - beta) * g[i] ** 2
            theta[i] = theta[i] - lr * g[i] / (s[i] + eps) ** 0.5
        expected.append(list(theta))
    path = replayed_path("rmsprop", lr=lr, beta=beta, eps=eps, eps_in_sqrt=True)
    np.testing.assert_allclose(path, expected, rtol=1e-15, atol=0)
    # PyTorch's ε outside the root gives a visibly different path with this large ε.
    assert not np.allclose(replayed_path("rmsprop", lr=lr, beta=beta, eps=eps), expected, rtol=1e-6)


def test_adam_without_bias_correction_uses_the_raw_moments():
    lr, beta1, beta2, eps = 0.1, 0.9, 0.99, 0.1
    theta, m, v, expected = list(START), [0.0, 0.0], [0.0, 0.0], [list(START)]
    for g in GRADIENTS:
        for i in range(2):
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
            theta[i] = theta[i] - lr * m[i] / (v[i] ** 0.5 + eps)
        expected.append(list(theta))
    path = replayed_path("adam", lr=lr, beta1=beta1, beta2=beta2, eps=eps, bias_correction=False)
    np.testing.assert_allclose(path, expected, rtol=1e-15, atol=0)


def test_lion_follows_the_papers_algorithm():
    lr, beta1, beta2, decay = 0.1, 0.9, 0.99, 0.1
    theta, m, expected = list(START), [0.0, 0.0], [list(START)]
    for g in GRADIENTS:
        for i in range(2):
            c = beta1 * m[i] + (1 - beta1) * g[i]
            theta[i] = theta[i] - lr * (np.sign(c) + decay * theta[i])
            m[i] = beta2 * m[i] + (1 - beta2) * g[i]
        expected.append(list(theta))
    path = replayed_path("lion", lr=lr, beta1=beta1, beta2=beta2, weight_decay=decay)
    np.testing.assert_allclose(path, expected, rtol=1e-15, atol=0)
    # At step 2 the momentum outvotes the gradient on x: c > 0 although g < 0, so θx still falls.
    assert GRADIENTS[1, 0] < 0 and path[2, 0] < path[1, 0] * (1 - lr * decay)


def test_adams_first_step_is_alpha_times_the_sign_of_the_gradient():
    lr = 0.01
    first = optimizers.replay("adam", START, GRADIENTS[:1], lr=lr).path[1] - START
    np.testing.assert_allclose(first, -lr * np.sign(GRADIENTS[0]), rtol=1e-7)
    # Without the correction m₁ = (1 − β1)g and v₁ = (1 − β2)g², so the step is 0.1/√0.001 ≈ 3.16 times α.
    raw = optimizers.replay("adam", START, GRADIENTS[:1], lr=lr, bias_correction=False).path[1] - START
    np.testing.assert_allclose(raw, -lr * 0.1 / 0.001**0.5 * np.sign(GRADIENTS[0]), rtol=1e-6)


def test_adamw_call_reads_like_the_article():
    spec = optimizers.get("adamw")
    assert spec.pytorch(spec.settings(lr=0.01)) == "torch.optim.AdamW(model.parameters(), lr=0.01, betas=(0.9, 0.999))"
    assert spec.pytorch(spec.settings(lr=0.01, eps=1e-6, weight_decay=0.0, amsgrad=True)) == (
        "torch.optim.AdamW(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-06, weight_decay=0.0, amsgrad=True)")
    assert spec.no_twin_reason(spec.settings(lr=0.01)) is None


def test_momentum_twin_is_sgd_with_scaled_lr():
    spec = optimizers.get("momentum")
    call = spec.pytorch(spec.settings(lr=0.1, beta=0.9))
    assert call == "torch.optim.SGD(model.parameters(), lr=0.1 * (1 - 0.9), momentum=0.9)"


TWINS = {"sgd": "SGD", "momentum": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "adam": "Adam",
         "adamw": "AdamW", "nadam": "NAdam", "radam": "RAdam", "adamax": "Adamax"}


@pytest.mark.parametrize("name", optimizers.names())
def test_every_spec_names_its_twin_or_says_why_not(name):
    spec = optimizers.get(name)
    settings = spec.settings()
    call, reason = spec.pytorch(settings), spec.no_twin_reason(settings)
    if name in TWINS:
        assert call.startswith(f"torch.optim.{TWINS[name]}(model.parameters(), lr=") and call.endswith(")")
        assert reason is None
    else:
        assert call is None and "Lion" in reason


@pytest.mark.parametrize(("name", "switch"), [("adam", "bias_correction"), ("adamw", "bias_correction"),
                                              ("rmsprop", "eps_in_sqrt")])
def test_teaching_switches_have_no_twin(name, switch):
    spec = optimizers.get(name)
    settings = spec.settings(**{switch: spec.defaults[switch] is False})
    assert spec.pytorch(settings) is None
    assert f"{switch}=" in spec.no_twin_reason(settings)


@pytest.mark.parametrize("name", optimizers.names())
def test_every_spec_is_complete(name):
    spec = optimizers.get(name)
    assert spec.id == name and spec.label and spec.summary and r"\theta" in spec.update_rule
    assert spec.hyperparameters[0].name == "lr"
    for h in spec.hyperparameters:
        assert h.help and h.symbol
        if h.kind == "float":
            assert h.slider is not None and h.low <= h.slider[0] < h.slider[1] <= h.high
            h.validate(h.default)


def test_unknown_optimizer_lists_the_valid_ids():
    with pytest.raises(ValueError, match="unknown optimizer 'adamm'; valid: " + ", ".join(optimizers.names())):
        optimizers.get("adamm")


@pytest.mark.parametrize(("name", "overrides", "message"), [
    ("adam", {"lr": -0.1}, r"lr must be ≥ 0, got -0.1"),
    ("adam", {"beta1": 1.0}, r"beta1 must be in \[0, 1\), got 1"),
    ("lion", {"beta2": -0.5}, r"beta2 must be in \[0, 1\), got -0.5"),
    ("momentum", {"beta": np.array([0.5, 1.5])}, r"beta must be in \[0, 1\), got 1.5"),
    ("rmsprop", {"eps": 0.0}, r"eps must be > 0, got 0"),
    ("adamw", {"weight_decay": -1.0}, r"weight_decay must be ≥ 0, got -1"),
    ("adam", {"momentum": 0.9}, r"adam has no hyperparameter 'momentum'; valid: lr, beta1, beta2"),
    ("sgd", {"nesterov": True}, r"nesterov=True needs momentum > 0"),
    ("adam", {"amsgrad": "yes"}, r"amsgrad must be True or False"),
    ("adam", {"lr": "fast"}, r"lr must be a number ≥ 0"),
])
def test_bad_settings_name_the_argument_and_range(name, overrides, message):
    with pytest.raises(ValueError, match=message):
        optimizers.get(name).settings(**overrides)


def lr_grid(name: str) -> np.ndarray:
    """The spec's own learning-rate slider range, log-spaced: no table of rates by optimizer."""
    return np.geomspace(*optimizers.get(name).hyperparameter("lr").slider, 21)


def best_of_grid(name: str, land, **options) -> tuple[float, optimizers.Trajectory]:
    """The whole slider range as one batched call; the rate with the lowest final loss."""
    lrs = lr_grid(name)
    run = optimizers.run(name, land, steps=options.pop("steps"), lr=lrs, **options)
    best = int(np.nanargmin(np.where(run.diverged_at >= 0, np.nan, run.final_loss)))
    return float(lrs[best]), run


@pytest.mark.parametrize("name", optimizers.names())
def test_every_optimizer_descends_a_bowl(name):
    lr, _ = best_of_grid(name, bowl(), steps=500)
    run = optimizers.run(name, bowl(), steps=500, lr=lr)
    assert run.loss[0] == pytest.approx(12.25)
    assert run.final_loss < 1e-6 * run.loss[0]
    np.testing.assert_allclose(run.final_point, (0.0, 0.0), atol=1e-2)


@pytest.mark.parametrize("name", optimizers.names())
def test_every_optimizer_makes_progress_on_rosenbrock(name):
    land = landscapes.get("rosenbrock")
    lr, _ = best_of_grid(name, land, steps=3000, keep_path=False)
    run = optimizers.run(name, land, start=(-1.5, 2.0), steps=3000, lr=lr, keep_path=False)
    assert run.diverged_at == -1
    assert run.final_loss < 0.1 * land.f(np.array([-1.5, 2.0]))


def test_radam_whose_rho_inf_is_at_most_five_never_rectifies():
    # β₂ = 0.6 gives ρ∞ = 4 exactly: ρₜ never exceeds 5, so every step is θ − α m̂, as in torch, and the
    # rectification (which divides by ρ∞ − 4) is never formed.
    trajectory = optimizers.replay("radam", START, GRADIENTS, lr=0.1, beta1=0.9, beta2=0.6)
    theta, m = np.array(START), np.zeros(2)
    for t, g in enumerate(GRADIENTS, start=1):
        m = 0.9 * m + (1 - 0.9) * g
        theta = theta - 0.1 * (m / (1 - 0.9**t))
        np.testing.assert_allclose(trajectory.path[t], theta, rtol=1e-15)
    rosenbrock = landscapes.get("rosenbrock")
    batch = optimizers.run("radam", rosenbrock, steps=50, beta2=np.array([0.6, 0.999]))
    # β₂ᵗ: NumPy's pow in the batch, C's alone (an ulp apart at most); 50 steps keep that far below 1e-12.
    assert_equal_up_to_rounding(batch.path[:, 0], optimizers.run("radam", rosenbrock, steps=50, beta2=0.6).path,
                                rtol=1e-12)
