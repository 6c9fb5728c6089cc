"""Per-run results as a table of readable text, a one-line reading of it, and the CSV export.

The numbers are the engine's own summaries (``optimizers.Trajectory``); nothing is recomputed here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .paths import RunPath

DIVERGED = "diverged"
LEFT_DOMAIN = "left the function's domain"
COLUMNS = ("run", "final loss", "best loss", "steps to tolerance", "distance to minimum", "path length", "outcome")


@dataclass(frozen=True)
class RunSummary:
    """What the table says about one run. ``steps_to_tolerance`` and ``diverged_at`` are −1 for never;
    ``outcome`` names what a divergence was; ``same_as`` names an earlier run with the same path."""

    label: str
    final_loss: float
    best_loss: float
    steps_to_tolerance: int
    distance_to_minimum: float
    path_length: float
    diverged_at: int = -1
    outcome: str = DIVERGED
    same_as: str | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at >= 0

    @property
    def status(self) -> str:
        """"diverged at step k", "left the function's domain at step k", "same path as X" or "finished"."""
        if self.diverged:
            return f"{self.outcome} at step {self.diverged_at}"
        return f"same path as {self.same_as}" if self.same_as else "finished"


def number(value: float) -> str:
    """Three significant digits, "—" where there is no number."""
    return f"{value:.3g}" if value is not None and math.isfinite(value) else "—"


def results_table(runs: Sequence[RunSummary]) -> pd.DataFrame:
    """One row per run, every cell text: how low it got, how fast, how far it travelled, and how it ended."""
    rows = [{"run": run.label,
             "final loss": "—" if run.diverged else number(run.final_loss),
             "best loss": number(run.best_loss),
             "steps to tolerance": str(run.steps_to_tolerance) if run.steps_to_tolerance >= 0 else "—",
             "distance to minimum": number(run.distance_to_minimum),
             "path length": number(run.path_length),
             "outcome": run.status} for run in runs]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def best_run(runs: Sequence[RunSummary]) -> int | None:
    """Index of the best run: lowest final loss among those that did not diverge."""
    alive = [(run.final_loss, index) for index, run in enumerate(runs)
             if not run.diverged and math.isfinite(run.final_loss)]
    return min(alive)[1] if alive else None


def reading(runs: Sequence[RunSummary], tolerance: float, has_minimum: bool) -> str:
    """One plain-language sentence about the runs, e.g. who got there first and who diverged."""
    parts = []
    target = f"f − f* ≤ {tolerance:g}" if has_minimum else f"f ≤ {tolerance:g}"
    reached = [run for run in runs if run.steps_to_tolerance >= 0]
    if reached:
        first = min(reached, key=lambda run: run.steps_to_tolerance)
        parts.append(f"{first.label} reached {target} first, at step {first.steps_to_tolerance}")
    elif (best := best_run(runs)) is not None:
        parts.append(f"no run reached {target}; {runs[best].label} ended lowest (f = {runs[best].final_loss:.3g})")
    for run in runs:
        if run.diverged:
            advice = "start inside it" if run.outcome == LEFT_DOMAIN else "lower α"
            parts.append(f"{run.label} {run.status} — {advice}")
    if not parts:
        return "Every run diverged — lower α."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def trajectories_csv(runs: Sequence[RunPath]) -> str:
    """Long-format CSV: run, step, x, y, loss."""
    frames = [pd.DataFrame({"run": run.label, "step": np.arange(len(run.path)), "x": run.path[:, 0],
                            "y": run.path[:, 1], "loss": run.loss}) for run in runs]
    return pd.concat(frames, ignore_index=True).to_csv(index=False)
