"""The Lessons page: every lesson links into its page, and its "what you should see" numbers are the engine's."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from optimizers import schedules, stability
from optimizers.tuning import fair_fight
from ui.fair_fight import linkable_draws
from ui.lessons import LESSONS
from ui.view import from_query

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("app_pages/lessons.py").run()
    assert not at.exception
    return at


def answer(at: AppTest, number: int) -> str:
    """Lesson ``number``'s reveal; the lessons fill three columns, and AppTest lists column by column."""
    column, row = (number - 1) % 3, (number - 1) // 3
    return at.columns[column].expander[row].markdown[0].value


def test_twelve_lessons_each_with_a_prompt_a_link_and_an_answer(page: AppTest) -> None:
    assert len(LESSONS) == 12
    assert len(page.expander) == len(LESSONS)
    prompts = [m.value for m in page.markdown if m.value.startswith("*Predict, then run.*")]
    assert len(prompts) == len(LESSONS)


@pytest.mark.parametrize("lesson", [lesson for lesson in LESSONS if lesson.page.endswith("playground.py")],
                         ids=lambda lesson: lesson.title)
def test_playground_lessons_decode_without_notes(lesson) -> None:
    query = {key: value if isinstance(value, list) else [value] for key, value in lesson.query.items()}
    _, notes = from_query(query)
    assert notes == []


def test_sgd_edge_of_stability(page: AppTest) -> None:
    land = landscapes.get("quadratic", condition=100.0, angle=0.0)
    diverged = optimizers.run("sgd", land, start=land.start, steps=200, lr=0.021).diverged_at
    stable = optimizers.run("sgd", land, start=land.start, steps=200, lr=0.019)
    text = answer(page, 1)
    assert "2/λmax = 0.02" in text and f"diverges at step {int(diverged)}" in text
    assert int(diverged) > 0 and stable.diverged_at == -1 and f"{stable.final_loss:.2g}" in text


def test_momentum_reversals_fall_as_beta_grows(page: AppTest) -> None:
    land = landscapes.get("quadratic", condition=50.0, angle=0.0)
    text = answer(page, 2)
    counts = []
    for beta in (0.0, 0.5, 0.9):
        dy = np.diff(optimizers.run("momentum", land, start=land.start, steps=100, lr=0.035, beta=beta).path[:, 1])
        counts.append(int(np.sum(np.sign(dy[1:]) != np.sign(dy[:-1]))))
        assert f"β = {beta:g}: {counts[-1]} reversals" in text
    assert counts == sorted(counts, reverse=True) and counts[0] > 3 * counts[2]


def test_rotation_hurts_rmsprop_and_adam_but_not_sgd(page: AppTest) -> None:
    text = answer(page, 3)
    rotated = landscapes.get("quadratic", condition=50.0, angle=45.0)
    start = (-1.8 * np.cos(np.pi / 4) - 0.6 * np.sin(np.pi / 4), -1.8 * np.sin(np.pi / 4) + 0.6 * np.cos(np.pi / 4))
    aligned = landscapes.get("quadratic", condition=50.0, angle=0.0)
    adam = [optimizers.run("adam", land, start=point, steps=100, lr=0.05).final_loss
            for land, point in ((aligned, (-1.8, 0.6)), (rotated, start))]
    assert adam[1] > 100 * adam[0]
    assert f"Adam {adam[0]:.2g} → {adam[1]:.2g}" in text


def test_bias_correction_makes_the_first_step_alpha(page: AppTest) -> None:
    text = answer(page, 4)
    assert "by α = 0.05" in text
    assert f"{0.05 * 0.1 / np.sqrt(0.001):.3g} per coordinate" in text and "3.16× too long" in text


def test_large_epsilon_leaves_a_momentum_step(page: AppTest) -> None:
    land = landscapes.get("quadratic", condition=50.0, angle=0.0)
    run = optimizers.run("adam", land, start=land.start, steps=200, lr=0.05, eps=1.0, beta2=0.9, record_state=True)
    root = np.sqrt(run.state["v_hat"][150])
    text = answer(page, 5)
    assert f"√v̂ is {root[0]:.2g} on x and {root[1]:.2g} on y" in text and root.max() < 0.2


def test_adam_l2_ends_at_the_penalized_minimum_and_adamw_elsewhere(page: AppTest) -> None:
    text = answer(page, 6)
    land = landscapes.shifted_quadratic()
    adam = optimizers.run("adam", land, start=land.start, steps=2000, lr=0.01, weight_decay=1.0)
    adamw = optimizers.run("adamw", land, start=land.start, steps=2000, lr=0.01, weight_decay=1.0)
    assert np.allclose(adam.path[-1], (0.75, 25 / 26), atol=1e-3)
    assert f"AdamW ends at ({adamw.path[-1][0]:.3f}, {adamw.path[-1][1]:.3f})" in text
    assert "the minimum of f + λ/2‖θ‖² (0.750, 0.962)" in text


def test_noise_tips_sgd_off_the_saddle(page: AppTest) -> None:
    land = landscapes.get("saddle")
    still = optimizers.run("sgd", land, start=(-1.8, 0.0), steps=300, lr=0.05)
    noisy = optimizers.run("sgd", land, start=(-1.8, 0.0), steps=300, lr=0.05, noise=0.5, seed=0)
    step = int(np.argmax(np.abs(np.nan_to_num(noisy.path[:, 1], nan=np.inf)) > 1.0))
    assert still.path[-1][1] == 0.0 and step > 0
    assert f"|y| passes 1 at step {step}" in answer(page, 7)


def test_lion_steps_are_exactly_alpha(page: AppTest) -> None:
    land = landscapes.get("rosenbrock")
    moves = np.abs(np.diff(optimizers.run("lion", land, start=land.start, steps=500, lr=0.01).path, axis=0))
    assert np.allclose(moves, 0.01, rtol=1e-9)
    assert f"from {moves.min():.6g} to {moves.max():.6g}" in answer(page, 8)


def test_cosine_schedule_settles_closer_under_noise(page: AppTest) -> None:
    land = landscapes.get("quadratic", condition=10.0, angle=0.0)
    finals = [optimizers.run("sgd", land, start=land.start, steps=500, lr=0.05, noise=1.0, seed=0,
                             schedule=schedules.make(kind, 500)).final_loss for kind in ("constant", "cosine")]
    text = answer(page, 9)
    assert finals[1] < finals[0] / 10
    assert f"f − f* = {finals[0]:.2g}" in text and f"f − f* = {finals[1]:.2g}" in text


def test_why_sgd_diverged_compares_2_over_alpha_with_lambda_max(page: AppTest) -> None:
    land = landscapes.get("quadratic", condition=100.0, angle=0.0)
    largest = float(stability.largest_eigenvalue(land.hessian(np.array(land.start))))
    diverged = optimizers.run("sgd", land, start=land.start, steps=200, lr=0.03).diverged_at
    stable = optimizers.run("sgd", land, start=land.start, steps=200, lr=0.019)
    text = answer(page, 10)
    assert largest == pytest.approx(100.0) and f"λmax = {largest:g}" in text
    assert f"{2 / 0.03:.3g} < {largest:g}" in text and f"{2 / 0.019:.3g} > {largest:g}" in text
    assert int(diverged) > 0 and f"diverges at step {int(diverged)}" in text
    assert stable.diverged_at == -1 and f"f − f* = {stable.final_loss:.2g}" in text
    assert f"2/λmax = {2 / largest:g}" in text


def test_the_cloud_lesson_states_each_optimizers_median_and_spread_over_32_seeds(page: AppTest) -> None:
    land = landscapes.get("quadratic", condition=10.0, angle=0.0)
    text = answer(page, 11)
    finals = {}
    for name, label in (("sgd", "SGD"), ("momentum", "Momentum"), ("adam", "Adam")):
        # Seed by seed, as separate runs, not batched as the lesson does; none of them diverges.
        runs = [optimizers.run(name, land, start=land.start, steps=300, lr=0.05, noise=1.0, seed=seed)
                for seed in range(32)]
        assert all(run.diverged_at == -1 for run in runs)
        finals[name] = np.sort([run.final_loss for run in runs])
        low, median, high = finals[name][3], finals[name][15], finals[name][28]  # 10%, 50%, 90%: actual seeds
        assert f"{label} median {median:.2g} (10–90% of seeds {low:.2g}–{high:.2g})" in text
    wins = sum(optimizers.run("adam", land, start=land.start, steps=300, lr=0.05, noise=1.0, seed=seed).final_loss
               < optimizers.run("sgd", land, start=land.start, steps=300, lr=0.05, noise=1.0, seed=seed).final_loss
               for seed in range(32))
    assert f"Adam beats SGD on {wins} of 32 seeds" in text


def test_defaults_vs_tuned_ranks_as_the_fair_fight_page_does(page: AppTest) -> None:
    fight = fair_fight(("sgd", "momentum", "rmsprop", "adam"), landscapes.get("rosenbrock"), steps=500, budget=64,
                       seed=0, draw=linkable_draws)
    text = answer(page, 12)
    for tuned in (False, True):
        assert " > ".join(optimizers.get(name).label for name in fight.ranking(tuned)) in text
    assert fight.ranking(False) != fight.ranking(True) and "the ranking changes" in text


def test_the_fair_fight_lesson_opens_its_four_optimizers() -> None:
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    lesson = LESSONS[11]
    for key, value in lesson.query.items():
        at.query_params[key] = value
    at.switch_page(lesson.page).run()
    assert not at.exception and not at.warning
    assert at.session_state.ff_optimizers == ["sgd", "momentum", "rmsprop", "adam"]
