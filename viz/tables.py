"""Per-run results as a pandas table, a one-line reading of it, and the CSV export."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .paths import RunPath

COLUMNS = ("run", "final loss", "best loss", "steps to tolerance", "distance to minimum", "path length",
           "diverged at")


def _gap(run: RunPath, minimum_value: float | None) -> np.ndarray:
    return run.loss - minimum_value if minimum_value is not None else run.loss


def steps_to_tolerance(run: RunPath, minimum_value: float | None, tolerance: float) -> int | None:
    """The first step whose loss is within ``tolerance`` of f* (or below it where f* is unknown)."""
    with np.errstate(invalid="ignore"):
        hits = np.flatnonzero(_gap(run, minimum_value) <= tolerance)
    return int(hits[0]) if hits.size else None


def distance_to_minimum(run: RunPath, minima) -> float:
    if not minima or run.diverged_at >= 0:
        return float("nan")
    return float(np.min(np.linalg.norm(np.asarray(minima) - run.path[-1], axis=-1)))


def path_length(run: RunPath) -> float:
    steps = np.diff(run.path[: run.last_finite + 1], axis=0)
    return float(np.sum(np.linalg.norm(steps, axis=-1)))


def results_table(runs: Sequence[RunPath], landscape, tolerance: float = 1e-3) -> pd.DataFrame:
    """One row per run: how low it got, how fast, how far it travelled, and where it diverged."""
    rows = []
    for run in runs:
        with np.errstate(invalid="ignore"):
            best = np.nanmin(run.loss) if np.isfinite(run.loss).any() else np.nan
        rows.append({
            "run": run.label,
            "final loss": float(run.loss[-1]),
            "best loss": float(best),
            "steps to tolerance": steps_to_tolerance(run, landscape.minimum_value, tolerance),
            "distance to minimum": distance_to_minimum(run, landscape.minima),
            "path length": path_length(run),
            "diverged at": run.diverged_at if run.diverged_at >= 0 else None,
        })
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.astype({"steps to tolerance": "Int64", "diverged at": "Int64"})


def best_run(table: pd.DataFrame) -> int | None:
    """Index of the best run: lowest final loss among those that did not diverge."""
    alive = table[table["diverged at"].isna() & table["final loss"].notna()]
    if alive.empty:
        return None
    return int(alive["final loss"].idxmin())


def reading(table: pd.DataFrame, tolerance: float, has_minimum: bool) -> str:
    """One plain-language sentence about the table, e.g. who got there first and who diverged."""
    parts = []
    reached = table.dropna(subset=["steps to tolerance"])
    target = f"f − f* ≤ {tolerance:g}" if has_minimum else f"f ≤ {tolerance:g}"
    if not reached.empty:
        first = reached.loc[reached["steps to tolerance"].idxmin()]
        parts.append(f"{first['run']} reached {target} first, at step {int(first['steps to tolerance'])}")
    else:
        best = best_run(table)
        if best is not None:
            parts.append(f"no run reached {target}; {table.loc[best, 'run']} ended lowest "
                         f"(f = {table.loc[best, 'final loss']:.3g})")
    for _, row in table[table["diverged at"].notna()].iterrows():
        parts.append(f"{row['run']} diverged at step {int(row['diverged at'])} — lower α")
    if not parts:
        return "Every run diverged — lower α."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def trajectories_csv(runs: Sequence[RunPath]) -> str:
    """Long-format CSV: run, step, x, y, loss."""
    frames = [pd.DataFrame({"run": run.label, "step": np.arange(len(run.path)), "x": run.path[:, 0],
                            "y": run.path[:, 1], "loss": run.loss}) for run in runs]
    return pd.concat(frames, ignore_index=True).to_csv(index=False)
