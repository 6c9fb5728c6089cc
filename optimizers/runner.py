"""The trajectory runner: the one loop over steps.

Every run in a batch advances together; starts, hyperparameters and noise seeds broadcast
against each other, so a 100×100 sweep is one call. A run whose point or loss stops being
finite, or that escapes far beyond the landscape's view, is marked in ``diverged_at`` and is
NaN from then on.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from . import one_run
from .ledger import Ledger
from .registry import get
from .schedules import Constant, Schedule
from .spec import OptimizerSpec

# A run that strays this many view-widths from the centre of the view has diverged.
ESCAPE_VIEWS = 1e3
# Bookkeeping (loss, divergence, best, tolerance, length) runs on windows of this many points at once:
# one vectorized pass per window instead of a dozen small calls per step. 2**16 points are 1 MB of
# path buffer, small enough to be checked while still in cache (10,000 runs × 1,000 steps of Adam:
# 10–20% faster than 2**15 or 2**17), and a one-run path of up to 65,535 steps is one window.
WINDOW_POINTS = 2**16
# From this many runs on, the loss comes with each gradient (the landscape's fused form) instead of
# one f pass per window (Adam on Rosenbrock, CPU time: 1 to 1,000 runs 2–6% slower fused, 3,000 and
# 10,000 runs 10–35% faster).
FUSED_MIN_RUNS = 2048
# Noise is drawn this many normal pairs at a time per seed: one generator call per block, not per step.
NOISE_BLOCK = 2**14

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Trajectory:
    """What a run produced.

    ``path`` is ``(steps + 1, *batch, 2)`` and ``loss`` ``(steps + 1, *batch)`` when the path was
    kept, else None; the summaries are always there, each ``batch``-shaped: ``final_loss``,
    ``best_loss``, ``steps_to_tolerance`` (the first step with loss ≤ tolerance, −1 if none; None
    without a tolerance), ``distance_to_minimum`` (from the final point to the nearest minimizer;
    NaN where the run diverged or the landscape has none) and ``path_length`` (the distance
    travelled up to the last finite point; measured only with the path, else None). ``state`` maps
    each inner quantity (``m``, ``v``, ``m_hat``, …, ``grad``, ``update``) to ``(steps + 1, *batch, k)``;
    row t is the value after step t (row 0 holds the initial buffers and NaN for grad and update; a diverged run is NaN
    from its update at diverged_at and its buffers after it).
    """

    optimizer: str
    settings: dict[str, Any]
    diverged_at: np.ndarray
    final_point: np.ndarray
    final_loss: np.ndarray
    best_loss: np.ndarray
    path_length: np.ndarray | None
    distance_to_minimum: np.ndarray
    steps_to_tolerance: np.ndarray | None = None
    path: np.ndarray | None = None
    loss: np.ndarray | None = None
    state: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def steps(self) -> int:
        return len(self.path) - 1 if self.path is not None else -1


def _check_seed(seed: Any) -> np.ndarray:
    """The seeds as an integer array; anything but integers ≥ 0 is a ValueError."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.ndarray, list, tuple)):
        raise ValueError(f"seed must be an integer ≥ 0 or an array of them, got {seed!r}")
    seeds = np.asarray(seed)
    if seeds.size and (seeds.dtype.kind not in "iu" or seeds.min() < 0):
        raise ValueError(f"seed must be an integer ≥ 0 or an array of them, got {seed!r}")
    return seeds.astype(np.int64)


def _batched(settings: Mapping[str, Any], seeds: np.ndarray,
             theta_shape: tuple[int, ...]) -> tuple[dict[str, Any], np.ndarray, tuple[int, ...]]:
    """Broadcast starts, array hyperparameters and seeds; hyperparameters gain a trailing axis of 1."""
    arrays = {k: v for k, v in settings.items() if isinstance(v, np.ndarray)}
    try:
        batch = np.broadcast_shapes(theta_shape[:-1], seeds.shape, *(a.shape for a in arrays.values()))
    except ValueError:
        parts = [f"hyperparameters {', '.join(f'{k} {a.shape}' for k, a in arrays.items())}"] if arrays else []
        if seeds.ndim:
            parts.append(f"seed {seeds.shape}")
        raise ValueError(f"start {theta_shape} and {' and '.join(parts)} do not broadcast together") from None
    hp = dict(settings)
    for name, array in arrays.items():
        # Each array keeps its own shape (padded on the left): an lr of shape (n, 1) in an n × m sweep
        # costs n values per step, not n·m, and products with it stay plain broadcasts.
        hp[name] = array.reshape((1,) * (len(batch) - array.ndim) + array.shape + (1,))
    return hp, seeds.reshape((1,) * (len(batch) - seeds.ndim) + seeds.shape), batch


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


class GradientNoise:
    """σ·zₜ for every run: zₜ is the t-th pair of standard normals from ``default_rng(the run's seed)``.

    A run's noise depends on its seed alone, so every optimizer, every cell of a sweep and every
    copy in a cloud with the same seed sees the same sequence, and ``seed=k`` alone equals row k of
    ``seed=np.arange(K)``.
    """

    def __init__(self, sigma: float, seeds: np.ndarray):
        unique, which = np.unique(seeds, return_inverse=True)
        self.sigma, self.which = sigma, which.reshape(seeds.shape)
        self.generators = [np.random.default_rng(int(seed)) for seed in unique]
        self.block_steps = max(1, NOISE_BLOCK // len(unique))
        self.block: np.ndarray = np.empty((0,))
        self.row = 0

    def next(self) -> np.ndarray:
        """σ·z for the next step, shaped ``(*seeds.shape, 2)``."""
        if self.row == len(self.block):
            draws = np.stack([g.standard_normal((self.block_steps, 2)) for g in self.generators], axis=1)
            self.block, self.row = self.sigma * draws[:, self.which], 0
        self.row += 1
        return self.block[self.row - 1]


Gradient = Callable[[np.ndarray], np.ndarray]


class _Result(NamedTuple):
    path: np.ndarray  # every row, or only the last window's without keep_path
    loss: np.ndarray
    final_point: np.ndarray
    final_loss: np.ndarray
    state: dict[str, np.ndarray] | None


def _trajectory(spec: OptimizerSpec, settings: Mapping[str, Any], ledger: Ledger, result: _Result,
                distance_to_minimum: np.ndarray, keep_path: bool) -> Trajectory:
    return Trajectory(
        optimizer=spec.id,
        settings=dict(settings),
        diverged_at=ledger.diverged_at,
        final_point=result.final_point,
        final_loss=result.final_loss,
        best_loss=ledger.best_loss(),
        path_length=ledger.length,
        distance_to_minimum=np.where(ledger.diverged_at >= 0, np.nan, distance_to_minimum),
        steps_to_tolerance=ledger.reached,
        path=result.path if keep_path else None,
        loss=result.loss if keep_path else None,
        state=result.state,
    )


def _iterate(spec: OptimizerSpec, hp: Mapping[str, Any], theta: np.ndarray, steps: int, schedule: Schedule,
             gradient: Gradient, ledger: Ledger, *, with_loss: bool, keep_path: bool, record_state: bool,
             progress: Progress | None) -> _Result:
    """Step ``theta`` ``steps`` times.

    With ``with_loss``, ``gradient`` returns (loss, gradient) pairs, so the ledger needs no second
    pass over the window's points; only the last point, which takes no step, is evaluated on its own.
    Without ``keep_path``, ``path`` and ``loss`` hold only the last window.
    """
    batch = theta.shape[:-1]
    window = max(1, min(steps + 1, WINDOW_POINTS // max(1, theta.size // 2)))
    rows = steps + 1 if keep_path else window
    path, losses = np.empty((rows, *batch, 2)), np.empty((rows, *batch))
    state, step = spec.init(theta, hp), spec.step
    if record_state:
        trace = _Trace(spec, state, hp, steps, batch)
    elif one_run.applies(theta, hp):
        state, step = one_run.split(state), one_run.by_coordinate(step)
    report_every = max(1, steps // 50)
    lr = hp["lr"]
    first = 0  # the row that opens the current window

    while True:
        last = min(steps, first + window - 1)
        base = 0 if keep_path else first  # the row stored in row 0 of `path`
        for row in range(first, last + 1):
            path[row - base] = theta
            if row == steps:
                break
            if with_loss:
                losses[row - base], grad = gradient(theta)
            else:
                grad = gradient(theta)
            t = row + 1  # the step that leaves this row
            factor = schedule.factor(t)
            new_theta, state = step(theta, grad, state, t, lr if factor == 1.0 else lr * factor, hp)
            if record_state:
                trace.record(t, state, grad, new_theta - theta)
            theta = new_theta
            if progress is not None and t % report_every == 0:
                progress(t / steps)
        if with_loss and last == steps:
            losses[last - base] = ledger.value(theta)
        rows_of_window = slice(first - base, last + 1 - base)
        # `theta` is already the first point of the next window; a run that diverged here is NaN there too.
        if ledger.settle(path[rows_of_window], losses[rows_of_window], first, with_loss):
            theta = np.where((ledger.diverged_at >= 0)[..., np.newaxis], np.nan, theta)
        if last == steps:
            return _Result(path, losses, theta, losses[steps - base].copy(),
                           trace.blanked(ledger.diverged_at) if record_state else None)
        first = last + 1


class _Trace:
    """The recorded inner state: every field of the optimizer's state, its corrections, g and the update."""

    def __init__(self, spec: OptimizerSpec, state: tuple, hp: Mapping[str, Any], steps: int,
                 batch: tuple[int, ...]):
        self.spec, self.hp = spec, hp
        initial = {**state._asdict(), **self._corrections(state, 0)}
        self.values = {k: np.empty((steps + 1, *batch, np.shape(v)[-1])) for k, v in initial.items()}
        for k, v in initial.items():
            self.values[k][0] = v
        self.values["grad"] = np.full((steps + 1, *batch, 2), np.nan)
        self.values["update"] = np.full((steps + 1, *batch, 2), np.nan)

    def _corrections(self, state: tuple, t: int) -> dict[str, Any]:
        if self.spec.corrections is None:
            return {}
        if t == 0:  # nothing to correct yet: the initial buffers as they are
            return {k: np.zeros_like(v) for k, v in self.spec.corrections(state, 1, self.hp).items()}
        return self.spec.corrections(state, t, self.hp)

    def record(self, t: int, state: tuple, grad: np.ndarray, update: np.ndarray) -> None:
        for k, v in {**state._asdict(), **self._corrections(state, t)}.items():
            self.values[k][t] = v
        self.values["grad"][t], self.values["update"][t] = grad, update

    def blanked(self, diverged_at: np.ndarray) -> dict[str, np.ndarray]:
        """NaN from the first step that started at a diverged point.

        Row d of the buffers still comes from a valid gradient, but the update of step d landed on
        the diverged point, so it is NaN like the path there.
        """
        row = np.arange(len(self.values["update"])).reshape((-1,) + (1,) * diverged_at.ndim)
        diverged = diverged_at >= 0
        for key, values in self.values.items():
            values[(row >= diverged_at + (key != "update")) & diverged] = np.nan
        return self.values


def _prepare(optimizer: str | OptimizerSpec, start: Any, steps: Any, hyperparameters: Mapping[str, Any],
             schedule: Schedule | None, seed: Any = 0):
    spec = get(optimizer) if isinstance(optimizer, str) else optimizer
    settings = spec.settings(**hyperparameters)
    theta0 = _starts(start)
    hp, seeds, batch = _batched(settings, _check_seed(seed), theta0.shape)
    theta = np.broadcast_to(theta0, (*batch, 2)).copy()
    return spec, settings, hp, seeds, theta, _check_steps(steps), schedule if schedule is not None else Constant()


def _distance_to_minimum(landscape, points: np.ndarray) -> np.ndarray:
    if not landscape.minima:
        return np.full(points.shape[:-1], np.nan)
    minima = np.asarray(landscape.minima, dtype=np.float64)
    return np.linalg.norm(points[..., np.newaxis, :] - minima, axis=-1).min(axis=-1)


def run(optimizer: str | OptimizerSpec, landscape, start: Any = None, steps: int = 500, *,
        schedule: Schedule | None = None, noise: float = 0.0, seed: Any = 0, keep_path: bool = True,
        record_state: bool = False, tolerance: float | None = None, progress: Progress | None = None,
        **hyperparameters: Any) -> Trajectory:
    """Run ``optimizer`` on ``landscape`` from ``start`` (default: the landscape's) for ``steps`` steps.

    ``start`` is ``(*batch, 2)``; any float hyperparameter and ``seed`` may be arrays; they broadcast.
    ``noise=σ`` adds σ·N(0, I) to every gradient, drawn from ``np.random.default_rng(seed)`` of each
    run's seed (``seed=np.arange(K)``: K noisy copies, copy k equal to ``seed=k``).
    ``keep_path=False`` keeps only the summaries, so a large sweep stays small in memory.
    ``tolerance`` records the first step whose loss is at or below it.
    """
    spec, settings, hp, seeds, theta, steps, schedule = _prepare(
        optimizer, landscape.start if start is None else start, steps, hyperparameters, schedule, seed)
    noise = float(noise)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number ≥ 0, got {noise!r}")
    center, radius = landscape.center, ESCAPE_VIEWS * landscape.span

    def escaped(points: np.ndarray) -> np.ndarray:
        return ~np.all(np.abs(points - center) <= radius, axis=-1)

    with_loss = landscape.fused is not None and theta.size // 2 >= FUSED_MIN_RUNS
    gradient = landscape.fused if with_loss else landscape.grad
    if noise > 0:
        gradient = _noisy(gradient, GradientNoise(noise, seeds), with_loss)
    # The path length is measured only with the path: sweeps never show it, and it cost 16% of a
    # 10,000-run summary batch (0.07 of 0.44 s, Adam on Rosenbrock, benchmarks/engine.py's case).
    ledger = Ledger(theta.shape[:-1], landscape.f, escaped, None if tolerance is None else float(tolerance),
                    measure_length=keep_path)
    with np.errstate(all="ignore"):
        result = _iterate(spec, hp, theta, steps, schedule, gradient, ledger, with_loss=with_loss,
                          keep_path=keep_path, record_state=record_state, progress=progress)
        distance = _distance_to_minimum(landscape, result.final_point)
    return _trajectory(spec, settings, ledger, result, distance, keep_path)


def _noisy(gradient: Callable, noise: GradientNoise, with_loss: bool) -> Callable:
    if with_loss:
        def noisy_value_and_grad(point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            loss, grad = gradient(point)
            return loss, grad + noise.next()
        return noisy_value_and_grad

    def noisy_gradient(point: np.ndarray) -> np.ndarray:
        return gradient(point) + noise.next()
    return noisy_gradient


def replay(optimizer: str | OptimizerSpec, start: Any, gradients: Any, *, schedule: Schedule | None = None,
           record_state: bool = False, **hyperparameters: Any) -> Trajectory:
    """Feed a recorded gradient sequence ``(steps, *batch, 2)`` to the optimizer: gᵗ is used at step t.

    This is how parity with another implementation is measured without the chaos of a
    free-running comparison: both sides see exactly the same gradients.
    """
    gradients = np.asarray(gradients, dtype=np.float64)
    spec, settings, hp, _, theta, steps, schedule = _prepare(optimizer, start, len(gradients), hyperparameters,
                                                             schedule)
    if gradients.shape[1:] != theta.shape:
        raise ValueError(f"gradients must have shape (steps, {', '.join(map(str, theta.shape))}), "
                         f"got {gradients.shape}")
    recorded = iter(gradients)

    def escaped(points: np.ndarray) -> np.ndarray:
        return ~np.all(np.isfinite(points), axis=-1)

    ledger = Ledger(theta.shape[:-1], lambda points: np.zeros(points.shape[:-1]), escaped, None)
    with np.errstate(all="ignore"):
        result = _iterate(spec, hp, theta, steps, schedule, lambda theta: next(recorded), ledger, with_loss=False,
                          keep_path=True, record_state=record_state, progress=None)
    return _trajectory(spec, settings, ledger, result, np.full(theta.shape[:-1], np.nan), keep_path=True)
