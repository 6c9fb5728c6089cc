"""The trajectory runner: the one loop over steps.

Every run in a batch advances together; hyperparameters and starts broadcast against each
other, so a 100×100 sweep is one call. A run whose point or loss stops being finite, or that
escapes far beyond the landscape's view, is marked in ``diverged_at`` and is NaN from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .registry import get
from .schedules import Constant, Schedule
from .spec import OptimizerSpec

# A run that strays this many view-widths from the centre of the view has diverged.
ESCAPE_VIEWS = 1e3

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Trajectory:
    """What a run produced.

    ``path`` is ``(steps + 1, *batch, 2)`` and ``loss`` ``(steps + 1, *batch)`` when the path was
    kept, else None; the summaries are always there. ``state`` maps each inner quantity
    (``m``, ``v``, ``m_hat``, …, ``grad``, ``update``) to ``(steps + 1, *batch, k)``; row t is
    the value after step t (row 0 holds the initial buffers and NaN for grad and update).
    """

    optimizer: str
    settings: dict[str, Any]
    diverged_at: np.ndarray
    final_point: np.ndarray
    final_loss: np.ndarray
    best_loss: np.ndarray
    steps_to_tolerance: np.ndarray | None = None
    path: np.ndarray | None = None
    loss: np.ndarray | None = None
    state: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def steps(self) -> int:
        return len(self.path) - 1 if self.path is not None else -1


def _batched(settings: Mapping[str, Any], theta_shape: tuple[int, ...]) -> tuple[dict[str, Any], tuple[int, ...]]:
    """Broadcast array hyperparameters against the starts; arrays gain a trailing axis of 1."""
    arrays = {k: v for k, v in settings.items() if isinstance(v, np.ndarray)}
    try:
        batch = np.broadcast_shapes(theta_shape[:-1], *(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arrays.items())
        raise ValueError(f"start {theta_shape} and hyperparameters {shapes} do not broadcast together") from None
    hp = dict(settings)
    for name, array in arrays.items():
        hp[name] = np.broadcast_to(array, batch)[..., np.newaxis]
    return hp, batch


def _starts(start: Any) -> np.ndarray:
    theta = np.asarray(start, dtype=np.float64)
    if theta.ndim == 0 or theta.shape[-1] != 2:
        raise ValueError(f"start must have shape (..., 2), got {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError("start must be finite")
    return theta


def _check_steps(steps: Any) -> int:
    if isinstance(steps, bool) or int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be an integer ≥ 0, got {steps!r}")
    return int(steps)


Evaluate = Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]]


def _iterate(spec: OptimizerSpec, hp: Mapping[str, Any], theta: np.ndarray, steps: int, schedule: Schedule,
             evaluate: Evaluate, in_bounds: Callable[[np.ndarray], np.ndarray], *, keep_path: bool,
             record_state: bool, tolerance: float | None, progress: Progress | None,
             settings: Mapping[str, Any]) -> Trajectory:
    batch = theta.shape[:-1]
    lr = hp["lr"]
    diverged_at = np.full(batch, -1, dtype=np.int64)
    reached = np.full(batch, -1, dtype=np.int64) if tolerance is not None else None
    best = np.full(batch, np.inf)
    path = np.empty((steps + 1, *batch, 2)) if keep_path else None
    losses = np.empty((steps + 1, *batch)) if keep_path else None
    state = spec.init(theta, hp)
    trace: dict[str, np.ndarray] = {}
    if record_state:
        trace = {k: np.empty((steps + 1, *batch, v.shape[-1])) for k, v in state.items()}
        trace["grad"] = np.full((steps + 1, *batch, 2), np.nan)
        trace["update"] = np.full((steps + 1, *batch, 2), np.nan)
        for k, v in state.items():
            trace[k][0] = v
    n_diverged = 0
    report_every = max(1, steps // 50)

    for t in range(steps + 1):
        loss, grad = evaluate(theta, t)
        bad = ~(np.isfinite(loss) & in_bounds(theta))
        count = np.count_nonzero(bad)
        if count > n_diverged:
            newly = bad & (diverged_at < 0)
            diverged_at[newly] = t
            theta = np.where(newly[..., np.newaxis], np.nan, theta)
            loss = np.where(newly, np.nan, loss)
            grad = np.where(newly[..., np.newaxis], np.nan, grad)
            n_diverged = count
        np.fmin(best, loss, out=best)
        if reached is not None:
            reached[(loss <= tolerance) & (reached < 0)] = t
        if keep_path:
            path[t] = theta
            losses[t] = loss
        if t == steps:
            break
        new_theta, state = spec.step(theta, grad, state, t + 1, lr * schedule.factor(t + 1), hp)
        if record_state:
            for k, v in state.items():
                trace[k][t + 1] = v
            trace["grad"][t + 1] = grad
            trace["update"][t + 1] = new_theta - theta
        theta = new_theta
        if progress is not None and (t + 1) % report_every == 0:
            progress((t + 1) / steps)

    return Trajectory(
        optimizer=spec.id,
        settings=dict(settings),
        diverged_at=diverged_at,
        final_point=theta,
        final_loss=loss,
        best_loss=np.where(np.isinf(best), np.nan, best),
        steps_to_tolerance=reached,
        path=path,
        loss=losses,
        state=trace if record_state else None,
    )


def _prepare(optimizer: str | OptimizerSpec, start: Any, steps: Any, hyperparameters: Mapping[str, Any],
             schedule: Schedule | None):
    spec = get(optimizer) if isinstance(optimizer, str) else optimizer
    settings = spec.settings(**hyperparameters)
    theta0 = _starts(start)
    hp, batch = _batched(settings, theta0.shape)
    theta = np.broadcast_to(theta0, (*batch, 2)).copy()
    return spec, settings, hp, theta, _check_steps(steps), schedule if schedule is not None else Constant()


def run(optimizer: str | OptimizerSpec, landscape, start: Any = None, steps: int = 500, *,
        schedule: Schedule | None = None, noise: float = 0.0, seed: int = 0, keep_path: bool = True,
        record_state: bool = False, tolerance: float | None = None, progress: Progress | None = None,
        **hyperparameters: Any) -> Trajectory:
    """Run ``optimizer`` on ``landscape`` from ``start`` (default: the landscape's) for ``steps`` steps.

    ``start`` is ``(*batch, 2)`` and any float hyperparameter may be an array; they broadcast.
    ``noise=σ`` adds σ·N(0, I) to every gradient, drawn from ``np.random.default_rng(seed)``.
    ``keep_path=False`` keeps only the summaries, so a large sweep stays small in memory.
    ``tolerance`` records the first step whose loss is at or below it.
    """
    spec, settings, hp, theta, steps, schedule = _prepare(
        optimizer, landscape.start if start is None else start, steps, hyperparameters, schedule)
    noise = float(noise)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number ≥ 0, got {noise!r}")
    rng = np.random.default_rng(seed) if noise > 0 else None
    f, gradient = landscape.f, landscape.grad
    center, radius = landscape.center, ESCAPE_VIEWS * landscape.span

    def evaluate(theta: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        g = gradient(theta)
        if rng is not None:
            g = g + noise * rng.standard_normal(theta.shape)
        return f(theta), g

    def in_bounds(theta: np.ndarray) -> np.ndarray:
        return np.all(np.abs(theta - center) <= radius, axis=-1)

    with np.errstate(all="ignore"):
        return _iterate(spec, hp, theta, steps, schedule, evaluate, in_bounds, keep_path=keep_path,
                        record_state=record_state, tolerance=None if tolerance is None else float(tolerance),
                        progress=progress, settings=settings)


def replay(optimizer: str | OptimizerSpec, start: Any, gradients: Any, *, schedule: Schedule | None = None,
           record_state: bool = False, **hyperparameters: Any) -> Trajectory:
    """Feed a recorded gradient sequence ``(steps, *batch, 2)`` to the optimizer: gᵗ is used at step t.

    This is how parity with another implementation is measured without the chaos of a
    free-running comparison: both sides see exactly the same gradients.
    """
    gradients = np.asarray(gradients, dtype=np.float64)
    spec, settings, hp, theta, steps, schedule = _prepare(optimizer, start, len(gradients), hyperparameters,
                                                          schedule)
    zero_loss = np.zeros(theta.shape[:-1])

    def evaluate(theta: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        return zero_loss, gradients[t] if t < steps else np.zeros_like(theta)

    def in_bounds(theta: np.ndarray) -> np.ndarray:
        return np.all(np.isfinite(theta), axis=-1)

    with np.errstate(all="ignore"):
        return _iterate(spec, hp, theta, steps, schedule, evaluate, in_bounds, keep_path=True,
                        record_state=record_state, tolerance=None, progress=None, settings=settings)
