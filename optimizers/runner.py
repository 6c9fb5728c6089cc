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

from . import one_run, parallel
from .registry import get
from .schedules import Constant, Schedule
from .spec import RECORD_STATE, OptimizerSpec

# A run that strays this many view-widths from the centre of the view has diverged.
ESCAPE_VIEWS = 1e3

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Trajectory:
    """What a run produced.

    ``path`` is ``(steps + 1, *batch, 2)`` and ``loss`` ``(steps + 1, *batch)`` when the path was
    kept, else None; the summaries are always there. ``state`` maps each inner quantity
    (``m``, ``v``, ``m_hat``, …, ``grad``, ``update``) to ``(steps + 1, *batch, k)``; row t is
    the value after step t (row 0 holds the initial buffers and NaN for grad and update; a diverged
    run is NaN from its update at diverged_at and its buffers after it).
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
    """Check array hyperparameters broadcast against the starts; arrays gain a trailing axis of 1."""
    arrays = {k: v for k, v in settings.items() if isinstance(v, np.ndarray)}
    try:
        batch = np.broadcast_shapes(theta_shape[:-1], *(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arrays.items())
        raise ValueError(f"start {theta_shape} and hyperparameters {shapes} do not broadcast together") from None
    hp = dict(settings)
    for name, array in arrays.items():
        # Each array keeps its own shape (padded on the left): an lr of shape (n, 1) in an n × m sweep
        # costs n values per step, not n·m, and products with it stay plain broadcasts.
        hp[name] = array.reshape((1,) * (len(batch) - array.ndim) + array.shape + (1,))
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


Gradient = Callable[[np.ndarray], np.ndarray]
ValueAndGradient = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
Value = Callable[[np.ndarray], np.ndarray]
Escaped = Callable[[np.ndarray], np.ndarray]

# Bookkeeping (loss, divergence, best, tolerance) runs on windows of this many points at once:
# one vectorized pass per window instead of a dozen small calls per step. 2**16 points are 1 MB of
# path buffer, small enough to be checked while still in cache (10,000 runs × 1,000 steps of Adam:
# 10–20% faster than 2**15 or 2**17), and a one-run path of up to 65,535 steps is one window.
WINDOW_POINTS = 2**16
# From this many runs on, the fused loss beats the window's f pass (Adam on Rosenbrock, CPU time:
# 1 to 1,000 runs 2–6% slower fused, 3,000 and 10,000 runs 10–35% faster).
FUSED_MIN_RUNS = 2048


class _Ledger:
    """The per-run summaries, settled one window of consecutive path rows at a time.

    A window is checked after it was computed: a run's first bad row is where it diverged, and
    everything from there on is set to NaN, exactly as if it had been stopped on the spot
    (runs never interact, and NaN stays NaN through every update rule).
    """

    def __init__(self, batch: tuple[int, ...], value: Value, escaped: Escaped, tolerance: float | None):
        self.value, self.escaped, self.tolerance = value, escaped, tolerance
        self.diverged_at = np.full(batch, -1, dtype=np.int64)
        self.reached = np.full(batch, -1, dtype=np.int64) if tolerance is not None else None
        self.best = np.full(batch, np.inf)

    def settle(self, points: np.ndarray, losses: np.ndarray, first_step: int, evaluated: bool) -> bool:
        """Settle the window ``points`` (rows from ``first_step``); True if a run diverged.

        ``losses`` is filled here unless the steps already ``evaluated`` it along with the gradients.
        """
        if not evaluated:
            losses[...] = self.value(points)
        newly = False
        if not self._surely_fine(points, losses):
            bad = self.escaped(points) | ~np.isfinite(losses)
            dead = np.logical_or.accumulate(bad, axis=0)
            hit = dead[-1] & (self.diverged_at < 0)
            if np.any(hit):
                self.diverged_at[hit] = first_step + np.argmax(bad, axis=0)[hit]
                newly = True
            points[dead] = np.nan
            losses[dead] = np.nan
        np.fmin(self.best, np.fmin.reduce(losses, axis=0), out=self.best)
        if self.reached is not None:
            hit = losses <= self.tolerance
            first = np.argmax(hit, axis=0)
            newly_reached = np.any(hit, axis=0) & (self.reached < 0)
            self.reached[newly_reached] = first_step + first[newly_reached]
        return newly

    def _surely_fine(self, points: np.ndarray, losses: np.ndarray) -> bool:
        """A cheap screen over the window; any doubt goes to the exact check.

        Every coordinate lies in [lo, hi], so if the corners (lo, lo) and (hi, hi) of that square
        are inside the (box-shaped) valid region, every point is. NaN anywhere makes lo or hi NaN.
        """
        if not np.isfinite(np.sum(losses)):
            return False
        lo, hi = points.min(), points.max()
        return not np.any(self.escaped(np.array([[lo, lo], [hi, hi]])))


def _blank_after_divergence(trace: dict[str, np.ndarray], diverged_at: np.ndarray) -> None:
    """NaN in the recorded state from the first step that started at a diverged point.

    Row d of the buffers still comes from a valid gradient, but the update of step d landed on
    the diverged point, so it is NaN like the path there.
    """
    row = np.arange(len(trace["update"])).reshape((-1,) + (1,) * diverged_at.ndim)
    diverged = diverged_at >= 0
    for key, values in trace.items():
        values[(row >= diverged_at + (key != "update")) & diverged] = np.nan


def _iterate(spec: OptimizerSpec, hp: Mapping[str, Any], theta: np.ndarray, steps: int, schedule: Schedule,
             gradient: Gradient | ValueAndGradient, ledger: _Ledger, *, with_loss: bool, keep_path: bool,
             record_state: bool, progress: Progress | None, settings: Mapping[str, Any]) -> Trajectory:
    """Step ``theta`` ``steps`` times; with ``with_loss``, ``gradient`` returns (loss, gradient) pairs.

    A fused loss comes with each step's gradient, so the ledger needs no second pass over the window's
    points; only the last point, which takes no step, is evaluated on its own.
    """
    batch = theta.shape[:-1]
    window = max(1, min(steps + 1, WINDOW_POINTS // max(1, theta.size // 2)))
    rows = steps + 1 if keep_path else window
    path, losses = np.empty((rows, *batch, 2)), np.empty((rows, *batch))
    if record_state:
        hp = {**hp, RECORD_STATE: True}
    state = spec.init(theta, hp)
    step = spec.step
    if not record_state and one_run.applies(theta, hp):
        state, step = one_run.split(state), one_run.by_coordinate(step)
    trace: dict[str, np.ndarray] = {}
    if record_state:
        trace = {k: np.empty((steps + 1, *batch, v.shape[-1])) for k, v in state.items()}
        trace["grad"] = np.full((steps + 1, *batch, 2), np.nan)
        trace["update"] = np.full((steps + 1, *batch, 2), np.nan)
        for k, v in state.items():
            trace[k][0] = v
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
                for k, v in state.items():
                    trace[k][t] = v
                trace["grad"][t] = grad
                trace["update"][t] = new_theta - theta
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
            break
        first = last + 1

    if record_state:
        _blank_after_divergence(trace, ledger.diverged_at)
    return Trajectory(
        optimizer=spec.id,
        settings=dict(settings),
        diverged_at=ledger.diverged_at,
        final_point=theta,
        final_loss=losses[steps - base].copy(),
        best_loss=np.where(np.isinf(ledger.best), np.nan, ledger.best),
        steps_to_tolerance=ledger.reached,
        path=path if keep_path else None,
        loss=losses if keep_path else None,
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
        processes: int | None = None, **hyperparameters: Any) -> Trajectory:
    """Run ``optimizer`` on ``landscape`` from ``start`` (default: the landscape's) for ``steps`` steps.

    ``start`` is ``(*batch, 2)`` and any float hyperparameter may be an array; they broadcast.
    ``noise=σ`` adds σ·N(0, I) to every gradient, drawn from ``np.random.default_rng(seed)``.
    ``keep_path=False`` keeps only the summaries, so a large sweep stays small in memory.
    ``tolerance`` records the first step whose loss is at or below it.
    ``processes`` caps how many processes share a batch run without its path; by default a large one
    uses every available core (on Linux) and a small one stays in this process. The results are the
    same either way. A kept path stays in one process: handing a large path from process to process
    costs more than computing it in one.
    """
    spec, settings, hp, theta, steps, schedule = _prepare(
        optimizer, landscape.start if start is None else start, steps, hyperparameters, schedule)
    noise = float(noise)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number ≥ 0, got {noise!r}")
    tolerance = None if tolerance is None else float(tolerance)
    batch = theta.shape[:-1]
    runs = theta.size // 2
    center, radius = landscape.center, ESCAPE_VIEWS * landscape.span

    def escaped(points: np.ndarray) -> np.ndarray:
        return ~np.all(np.abs(points - center) <= radius, axis=-1)

    # A large batch takes each point's loss from the landscape's fused value-and-gradient; a small one
    # is cheaper with one f call per window (and a landscape without a fused form has only that).
    # Decided for the whole batch, so every slice of it computes the same way.
    with_loss = landscape.fused is not None and runs >= FUSED_MIN_RUNS

    # A shared batch is cut along its longest axis; hyperparameter arrays that do not vary along it
    # stay whole, so a slice costs what its runs cost (β₁ᵗ for 100 β₁ values, not for every cell).
    axis = int(np.argmax(batch)) if batch else 0

    def solve(rows: slice | None, progress: Progress | None) -> Trajectory:
        """Runs ``rows`` along the batch's ``axis`` (None: the whole batch)."""
        at = (slice(None),) * axis + (rows,)
        if rows is None:
            part_theta, part_hp = theta, hp
        else:
            part_theta = theta[at]
            part_hp = {k: v[at] if isinstance(v, np.ndarray) and v.shape[axis] > 1 else v for k, v in hp.items()}
        rng = np.random.default_rng(seed) if noise > 0 else None

        def noisy(grad: np.ndarray) -> np.ndarray:
            # The whole batch's draw, so a run sees the same noise in any slice of the batch.
            draw = rng.standard_normal(theta.shape)
            return grad + noise * (draw if rows is None else draw[at])

        def noisy_gradient(point: np.ndarray) -> np.ndarray:
            return noisy(landscape.grad(point))

        def noisy_value_and_grad(point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            loss, grad = landscape.fused(point)
            return loss, noisy(grad)

        if with_loss:
            gradient = landscape.fused if rng is None else noisy_value_and_grad
        else:
            gradient = landscape.grad if rng is None else noisy_gradient
        ledger = _Ledger(part_theta.shape[:-1], landscape.f, escaped, tolerance)
        with np.errstate(all="ignore"):
            return _iterate(spec, part_hp, part_theta, steps, schedule, gradient, ledger,
                            with_loss=with_loss, keep_path=keep_path, record_state=record_state, progress=progress,
                            settings=settings)

    count = parallel.process_count(runs, steps, processes, batch[axis] if batch else 1)
    if count == 1 or keep_path or record_state:
        return solve(None, progress)
    summaries = parallel.run_in_slices(solve, batch, axis, count, progress)
    if tolerance is None:
        summaries["steps_to_tolerance"] = None
    return Trajectory(optimizer=spec.id, settings=dict(settings), **summaries)


def replay(optimizer: str | OptimizerSpec, start: Any, gradients: Any, *, schedule: Schedule | None = None,
           record_state: bool = False, **hyperparameters: Any) -> Trajectory:
    """Feed a recorded gradient sequence ``(steps, *batch, 2)`` to the optimizer: gᵗ is used at step t.

    This is how parity with another implementation is measured without the chaos of a
    free-running comparison: both sides see exactly the same gradients.
    """
    gradients = np.asarray(gradients, dtype=np.float64)
    spec, settings, hp, theta, steps, schedule = _prepare(optimizer, start, len(gradients), hyperparameters,
                                                          schedule)
    if gradients.shape[1:] != theta.shape:
        raise ValueError(f"gradients must have shape (steps, {', '.join(map(str, theta.shape))}), "
                         f"got {gradients.shape}")

    recorded = iter(gradients)

    def gradient(theta: np.ndarray) -> np.ndarray:
        return next(recorded)

    def escaped(points: np.ndarray) -> np.ndarray:
        return ~np.all(np.isfinite(points), axis=-1)

    ledger = _Ledger(theta.shape[:-1], lambda points: np.zeros(points.shape[:-1]), escaped, None)
    with np.errstate(all="ignore"):
        return _iterate(spec, hp, theta, steps, schedule, gradient, ledger, with_loss=False, keep_path=True,
                        record_state=record_state, progress=None, settings=settings)
