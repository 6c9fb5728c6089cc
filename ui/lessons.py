"""Ready lessons for a class: each a link into a page with its settings, a question, and the engine's answer.

Every number in a "what you should see" text is computed here by the engine with the settings
the lesson's link opens, so the text cannot drift from what the page will show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

import landscapes
import optimizers
from landscapes.quadratic import hessian
from optimizers import clouds, schedules, stability
from optimizers.tuning import fair_fight

from . import sgd_to_adam
from .fair_fight import linkable_draws
from .view import RunSpec, View, to_query

PLAYGROUND = "app_pages/playground.py"
SGD_TO_ADAM = "app_pages/sgd_to_adam.py"
INSIDE_ADAM = "app_pages/inside_adam.py"
WEIGHT_DECAY = "app_pages/weight_decay.py"
FAIR_FIGHT = "app_pages/fair_fight.py"
SHIFTED_QUADRATIC = "0.5*(x - 1.5)^2 + 12.5*(y - 1)^2"


@dataclass(frozen=True)
class Lesson:
    """One scenario: where its link goes, what to ask the class, and what the engine says happens."""

    title: str
    page: str
    query: dict[str, str | list[str]]
    prompt: str
    answer: Callable[[], str]


def playground(title: str, view: View, prompt: str, answer: Callable[[], str]) -> Lesson:
    """A lesson in the Playground: its link opens ``view``."""
    return Lesson(title, PLAYGROUND, to_query(view), prompt, answer)


def _defaults(optimizer: str, **changes: float) -> dict:
    """Every hyperparameter of ``optimizer`` at its default, but ``changes``."""
    return {**{h.name: h.default for h in optimizers.get(optimizer).hyperparameters}, **changes}


def _quadratic(condition: float, angle: float = 0.0) -> landscapes.Landscape:
    return landscapes.get("quadratic", condition=condition, angle=angle)


def _quadratic_view(condition: float, steps: int, runs: tuple[RunSpec, ...], **changes) -> View:
    return View(landscape="quadratic", landscape_params=(("condition", condition), ("angle", 0.0)), steps=steps,
                runs=runs, **changes)


# 1. SGD at the edge of stability
EDGE_RATES = (0.019, 0.021)


@cache
def edge_of_stability() -> str:
    largest = float(np.linalg.eigvalsh(hessian(100.0, 0.0)).max())
    land = _quadratic(100.0)
    below, above = (optimizers.run("sgd", land, start=land.start, steps=200, lr=lr) for lr in EDGE_RATES)
    return (f"The steepest curvature is λmax = {largest:g}, so SGD is stable only for α < 2/λmax = {2 / largest:g}. "
            f"With α = {EDGE_RATES[0]} it converges (f − f* = {below.final_loss:.2g} after 200 steps, zigzagging "
            f"across the valley); with α = {EDGE_RATES[1]} every step overshoots a little more and the run diverges "
            f"at step {int(above.diverged_at)}.")


# 2. Momentum's β and the zigzag
MOMENTUM_BETAS = (0.0, 0.5, 0.9)


def _flips(path: np.ndarray) -> int:
    """How often the step across the valley (the steep y axis) changes direction: the zigzag."""
    dy = np.diff(path[:, 1])
    return int(np.sum(np.sign(dy[1:]) != np.sign(dy[:-1])))


@cache
def momentum_zigzag() -> str:
    land = _quadratic(50.0)
    runs = [optimizers.run("momentum", land, start=land.start, steps=100, lr=0.035, beta=beta)
            for beta in MOMENTUM_BETAS]
    parts = [f"β = {beta:g}: {_flips(run.path)} reversals, f − f* = {run.final_loss:.2g}"
             for beta, run in zip(MOMENTUM_BETAS, runs, strict=True)]
    return ("Count the times the path turns back across the valley in 100 steps — " + "; ".join(parts) + ". "
            "Averaging the gradients cancels the back-and-forth and keeps the steady pull along the floor.")


# 3. Per-axis scaling: an axis-aligned and a rotated valley
@cache
def rotated_valley() -> str:
    finals = {}
    for angle in (0.0, 45.0):
        land = _quadratic(50.0, angle)
        for name in ("sgd", "rmsprop", "adam"):
            run = optimizers.run(name, land, start=sgd_to_adam.rotated(sgd_to_adam.START, angle), steps=100,
                                 lr=sgd_to_adam.DEFAULT_LR[name])
            finals[name, angle] = run.final_loss
    return (f"After 100 steps, axis-aligned → rotated 45°: RMSprop f − f* = {finals['rmsprop', 0.0]:.2g} → "
            f"{finals['rmsprop', 45.0]:.2g}, Adam {finals['adam', 0.0]:.2g} → {finals['adam', 45.0]:.2g}, "
            f"SGD {finals['sgd', 0.0]:.2g} → {finals['sgd', 45.0]:.2g} (unchanged). A step size per coordinate "
            "axis only helps when the valley's directions are the axes.")


# 4. The first steps with and without bias correction
@cache
def bias_correction() -> str:
    land = landscapes.get("rosenbrock")
    corrected, raw = (optimizers.run("adam", land, start=(-1.5, 2.0), steps=3, lr=0.05, bias_correction=flag)
                      for flag in (True, False))
    first, first_raw = np.abs(corrected.path[1] - corrected.path[0]), np.abs(raw.path[1] - raw.path[0])
    return (f"With bias correction the first step moves each coordinate by α = {first[0]:.3g} (m̂₁ = g₁, v̂₁ = g₁²). "
            f"Without it m₁ = 0.1·g₁ and v₁ = 0.001·g₁², so the first step is {first_raw[0]:.3g} per coordinate: "
            f"{first_raw[0] / first[0]:.3g}× too long (0.1/√0.001).")


# 5. A large ε turns Adam into SGD with momentum
EPS_STEP = 150


@cache
def large_epsilon() -> str:
    land = _quadratic(50.0)
    run = optimizers.run("adam", land, start=land.start, steps=200, lr=0.05, eps=1.0, beta2=0.9, record_state=True)
    root = np.sqrt(run.state["v_hat"][EPS_STEP])
    momentum_step = -0.05 * run.state["m_hat"][EPS_STEP] / 1.0
    gap = float(np.max(np.abs(run.state["update"][EPS_STEP] - momentum_step) / np.abs(momentum_step)))
    return (f"At t = {EPS_STEP}, √v̂ is {root[0]:.2g} on x and {root[1]:.2g} on y, far below ε = 1, so √v̂ + ε ≈ ε: "
            f"Adam's update differs from the momentum step −(α/ε)·m̂ by at most {gap:.0%}. "
            "Adam has become SGD with momentum at rate α/ε, with no per-axis scaling left.")


# 6. Adam + L2 vs AdamW
DECAY = 1.0


@cache
def l2_vs_adamw() -> str:
    land = landscapes.shifted_quadratic()
    adam, adamw = (optimizers.run(name, land, start=land.start, steps=2000, lr=0.01, weight_decay=DECAY, eps=1e-8)
                   for name in ("adam", "adamw"))
    l2_minimum = (1.5 / (1 + DECAY), 12.5 * 2 / (12.5 * 2 + DECAY))
    point = "({:.3f}, {:.3f})".format
    return (f"With λ = {DECAY:g}, Adam + L2 ends at {point(*adam.path[-1])}, the minimum of f + λ/2‖θ‖² "
            f"{point(*l2_minimum)}; AdamW ends at {point(*adamw.path[-1])}. L2 shrinks the flat x axis much "
            "more than the steep y axis; AdamW's decay is not divided by √v̂, so it pulls both axes alike.")


# 7. Escaping a saddle, with and without gradient noise
SADDLE_NOISE = 0.5


@cache
def saddle_escape() -> str:
    land = landscapes.get("saddle")
    still, noisy = (optimizers.run("sgd", land, start=(-1.8, 0.0), steps=300, lr=0.05, noise=noise, seed=0)
                    for noise in (0.0, SADDLE_NOISE))
    escaped = int(np.argmax(np.abs(np.nan_to_num(noisy.path[:, 1], nan=np.inf)) > 1.0))
    return (f"Without noise the start lies exactly on the ridge y = 0, the gradient never has a y part, and SGD "
            f"walks into the saddle point: after 300 steps θ = ({still.path[-1][0]:.2g}, {still.path[-1][1]:g}). "
            f"With σ = {SADDLE_NOISE:g} (seed 0) the noise tips it off the ridge and |y| passes 1 at step {escaped}; "
            "from there it runs downhill without end (f = x² − y² has no minimum).")


# 8. Lion's sign steps
LION_RATE = 0.01


@cache
def lion_sign_steps() -> str:
    land = landscapes.get("rosenbrock")
    run = optimizers.run("lion", land, start=land.start, steps=500, lr=LION_RATE)
    moves = np.abs(np.diff(run.path, axis=0))
    return (f"Lion moves every coordinate by exactly α each step: over 500 steps |Δx| and |Δy| range from "
            f"{moves.min():.6g} to {moves.max():.6g}, whatever the gradient's size, so the path is made of "
            f"diagonal steps of length α√2 = {LION_RATE * np.sqrt(2):.4g}, and near the minimum it keeps "
            f"stepping by α (final f − f* = {run.final_loss:.2g}).")


# 9. A schedule on a noisy problem
@cache
def noisy_schedule() -> str:
    land = _quadratic(10.0)
    finals = {kind: optimizers.run("sgd", land, start=land.start, steps=500, lr=0.05, noise=1.0, seed=0,
                                   schedule=schedules.make(kind, 500)).final_loss
              for kind in ("constant", "cosine")}
    return (f"With a constant α the noise keeps SGD bouncing around the minimum: f − f* = {finals['constant']:.2g} "
            f"after 500 steps. Cosine decay shrinks α towards the end, the bouncing dies down, and f − f* = "
            f"{finals['cosine']:.2g} — {finals['constant'] / finals['cosine']:.0f}× lower with the same noise.")


# 10. Why SGD diverged: the curvature against 2/α
DIVERGING_RATES = (0.03, 0.019)


@cache
def why_sgd_diverged() -> str:
    land = _quadratic(100.0)
    largest = float(stability.largest_eigenvalue(land.hessian(np.array(land.start))))
    runs = [optimizers.run("sgd", land, start=land.start, steps=200, lr=lr) for lr in DIVERGING_RATES]
    limits = [stability.stability_limit("sgd", _defaults("sgd", lr=lr)).limit for lr in DIVERGING_RATES]
    (fast, slow), (fast_run, slow_run) = limits, runs
    return (f"The curvature overlay shows λmax = {largest:g} everywhere on this valley. SGD survives curvature up "
            f"to 2/α: with α = {DIVERGING_RATES[0]} that is {fast:.3g} < {largest:g}, so every step across the "
            f"valley overshoots by more than it corrects and the run diverges at step {int(fast_run.diverged_at)}; "
            f"with α = {DIVERGING_RATES[1]} it is {slow:.3g} > {largest:g} and the run converges (f − f* = "
            f"{slow_run.final_loss:.2g} after 200 steps). The largest stable α is 2/λmax = {2 / largest:g}.")


# 11. Is Adam really better here? 32 seeds of gradient noise per optimizer
CLOUD_SEEDS = 32
CLOUD_NOISE = 1.0
CLOUD_RUNS = {"sgd": 0.05, "momentum": 0.05, "adam": 0.05}


def cloud_of(name: str) -> clouds.Cloud:
    """One optimizer's cloud over seeds 0..31: one batched run, summarised as the Playground summarises it."""
    land = _quadratic(10.0)
    run = optimizers.run(name, land, start=land.start, steps=300, lr=CLOUD_RUNS[name], noise=CLOUD_NOISE,
                         seed=np.arange(CLOUD_SEEDS))
    return clouds.cloud(run.path, run.loss, run.diverged_at)


def _median_and_range(finals: np.ndarray) -> tuple[float, float, float]:
    """The median final loss and the 10–90% range of the seeds, each an actual seed's value (the Playground's table)."""
    low, median, high = np.quantile(finals, [clouds.BAND[0], 0.5, clouds.BAND[1]], method="inverted_cdf")
    return float(median), float(low), float(high)


@cache
def adam_in_the_cloud() -> str:
    runs = {name: cloud_of(name) for name in CLOUD_RUNS}
    summaries = {name: _median_and_range(run.final_loss) for name, run in runs.items()}
    parts = [f"{optimizers.get(name).label} median {median:.2g} (10–90% of seeds {low:.2g}–{high:.2g})"
             for name, (median, low, high) in summaries.items()]
    best = min(summaries, key=lambda name: summaries[name][0])
    wins = clouds.wins(runs["adam"], runs["sgd"])
    either = ": one run per optimizer could have told the class either story" if 0 < wins < CLOUD_SEEDS else ""
    return (f"Final f − f* over seeds 0–{CLOUD_SEEDS - 1}: " + "; ".join(parts) + ". "
            f"{optimizers.get(best).label}'s median is lowest; with the same noise (the same seed) Adam beats SGD "
            f"on {wins} of {CLOUD_SEEDS} seeds{either}.")


# 12. Defaults vs tuned: the same budget for every optimizer
FIGHT = ("sgd", "momentum", "rmsprop", "adam")
FIGHT_STEPS, FIGHT_BUDGET = 500, 64


@cache
def defaults_vs_tuned() -> str:
    fight = fair_fight(FIGHT, landscapes.get("rosenbrock"), steps=FIGHT_STEPS, budget=FIGHT_BUDGET, seed=0,
                       draw=linkable_draws)

    def order(tuned: bool) -> str:
        return " > ".join(optimizers.get(name).label for name in fight.ranking(tuned))

    verdict = ("the ranking changes once each gets the same tuning budget: defaults say little about an optimizer"
               if fight.ranking(False) != fight.ranking(True) else "here tuning leaves the ranking as it was")
    return (f"On Rosenbrock after {FIGHT_STEPS} steps, at their defaults: {order(False)}; each tuned with "
            f"{FIGHT_BUDGET} tries: {order(True)}. So {verdict}.")


LESSONS = (
    playground("SGD at the edge of stability",
               _quadratic_view(100.0, 200, tuple(RunSpec.of("sgd", lr=lr) for lr in EDGE_RATES)),
               "A valley 100× steeper across than along, SGD with α = 0.019 and α = 0.021. Predict: do both reach "
               "the minimum? Then press Play.", edge_of_stability),
    playground("Momentum's β and the zigzag",
               _quadratic_view(50.0, 100, tuple(RunSpec.of("momentum", lr=0.035, beta=beta)
                                                for beta in MOMENTUM_BETAS)),
               "The same α, three values of β. Predict which path zigzags most across the valley, then press Play.",
               momentum_zigzag),
    Lesson("Per-axis scaling: a rotated valley", SGD_TO_ADAM, {"sgd_to_adam_valley": "rotated 45°"},
           "The valley turned by 45°. Predict: which of the four optimizers get worse than on the axis-aligned "
           "valley? Switch between the two and compare the panels.", rotated_valley),
    Lesson("Bias correction: the first steps", INSIDE_ADAM, {"inside_adam_bias_correction": "false"},
           "Adam without bias correction. Predict how long the first step is compared with α = 0.05, then step "
           "through t = 1…20 (or press Play).", bias_correction),
    Lesson("A large ε turns Adam into SGD with momentum", INSIDE_ADAM,
           {"inside_adam_landscape": "Ill-conditioned quadratic (κ = 50)", "inside_adam_x0": "-1.8",
            "inside_adam_y0": "1.2", "inside_adam_eps": "1", "inside_adam_beta2": "0.9",
            "inside_adam_t": str(EPS_STEP)},
           "ε = 1 instead of 10⁻⁸. Predict what is left of Adam's per-axis scaling by step 150, then read the "
           "note under the figure.", large_epsilon),
    Lesson("Adam + L2 vs AdamW", WEIGHT_DECAY, {"weight_decay_decay": f"{DECAY:g}"},
           "The same α and λ = 1, as an L2 penalty and as decoupled decay. Predict: do they end at the same point?",
           l2_vs_adamw),
    playground("Escaping a saddle with gradient noise",
               View(landscape="saddle", start=(-1.8, 0.0), steps=300, runs=(RunSpec.of("sgd", lr=0.05),)),
               "SGD starts exactly on the ridge of x² − y². Predict where it goes, press Play, then set the gradient "
               f"noise σ to {SADDLE_NOISE:g} and press Play again.", saddle_escape),
    playground("Lion's sign steps",
               View(steps=500, runs=(RunSpec.of("lion", lr=LION_RATE), RunSpec.of("adam", lr=LION_RATE))),
               "Lion and Adam with the same α on Rosenbrock. Predict what Lion's steps look like up close, then "
               "press Play and zoom in.", lion_sign_steps),
    playground("A schedule on a noisy problem", _quadratic_view(10.0, 500, (RunSpec.of("sgd", lr=0.05),), noise=1.0),
               "SGD with noisy gradients and a constant α. Predict how close it gets, press Play, then switch the "
               "schedule to cosine and press Play again.", noisy_schedule),
    playground("Why SGD diverged",
               _quadratic_view(100.0, 200, tuple(RunSpec.of("sgd", lr=lr) for lr in DIVERGING_RATES), curvature=True),
               "SGD with α = 0.03 and α = 0.019 on a valley 100× steeper across than along, with the curvature "
               "shown. Predict which run blows up, and why there, then press Play.", why_sgd_diverged),
    playground("Is Adam really better here?",
               _quadratic_view(10.0, 300, tuple(RunSpec.of(name, lr=lr) for name, lr in CLOUD_RUNS.items()),
                               noise=CLOUD_NOISE, cloud=CLOUD_SEEDS),
               f"Noisy gradients (σ = {CLOUD_NOISE:g}), each optimizer run with {CLOUD_SEEDS} seeds. Predict: "
               "does Adam end lower than SGD every time, or only on average?", adam_in_the_cloud),
    Lesson("Defaults vs tuned", FAIR_FIGHT,
           {"ff_optimizers": [optimizers.get(name).label for name in FIGHT], "ff_steps": str(FIGHT_STEPS),
            "ff_budget": str(FIGHT_BUDGET)},
           "Four optimizers on Rosenbrock, first at their default settings. Predict the ranking, then predict it "
           "again when each gets 64 tries at its own hyperparameters.", defaults_vs_tuned),
)
