"""The Playground's curvature layer: each run's sharpness along its path, cached per run, and the
stability table with its plain-language verdicts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

import optimizers
from optimizers import schedules
from optimizers.stability import critical_lr, sharpness, stability_limit
from viz.curvature import Sharpness, add_curvature
from viz.playground import RunLayers, replay_steps
from viz.stability import stability_sentence
from viz.tables import number

from .markdown import escape_markdown
from .runs import build_landscape, cached_run, read_only, shared_cache, start_of
from .view import View


@shared_cache(max_entries=256)
def cached_sharpness(arguments: tuple) -> np.ndarray:
    """The curvature the run's limit bounds at steps 0 … T − 1 (``optimizers.stability.sharpness``)."""
    values = _sharpness(arguments)
    read_only(values)
    return values


def _sharpness(arguments: tuple) -> np.ndarray:
    optimizer, overrides, key, start, steps, noise, seed, schedule = arguments
    landscape = build_landscape(key)
    settings = optimizers.get(optimizer).settings(**dict(overrides))
    limit = stability_limit(optimizer, settings)
    with np.errstate(all="ignore"):
        if limit is not None and limit.preconditioned:
            t = optimizers.run(optimizer, landscape, start=start, steps=steps, noise=noise, seed=seed,
                               schedule=schedules.make(schedule, steps), record_state=True, **settings)
            return sharpness(optimizer, settings, landscape.hessian(t.path), t.state)
        return sharpness(optimizer, settings, landscape.hessian(cached_run(*arguments).path))


def run_sharpness(view: View, arguments: Sequence[tuple], layers: Sequence[RunLayers]) -> list[Sharpness]:
    """Each run's sharpness curve and limit, in run order, styled like its path."""
    shown = []
    for run, argument, layer in zip(view.runs, arguments, layers, strict=True):
        settings = run.settings
        limit = stability_limit(run.optimizer, settings)
        shown.append(Sharpness(layer.label, layer.color, layer.path["line"]["dash"], cached_sharpness(argument),
                               limit.limit if limit else None, limit.formula if limit else None,
                               bool(limit and limit.preconditioned), layer.diverged))
    return shown


def stability_table(view: View, labels: Sequence[str], curves: Sequence[Sharpness]) -> pd.DataFrame:
    """Per run: the curvature its limit bounds at the start, the largest stable α there, and α itself."""
    rows = []
    for run, label, curve in zip(view.runs, labels, curves, strict=True):
        at_start = float(curve.values[0]) if len(curve.values) else float("nan")
        critical = critical_lr(run.optimizer, run.settings, at_start)
        what = "λmax(P·H)" if curve.preconditioned else "λmax"
        rule = f"{curve.formula.replace('α', what)} =" if curve.formula else "no simple limit"
        rows.append({"run": label, "curvature at the start": f"{what} = {number(at_start)}",
                     "largest stable α": f"{rule} {number(critical)}" if critical is not None else rule,
                     "α": number(float(run.settings["lr"]))})
    return pd.DataFrame(rows)


def stability_panel(view: View, labels: Sequence[str], curves: Sequence[Sharpness]) -> None:
    """The table, then a sentence for each run whose α is past its limit at the start."""
    st.markdown("**Curvature at the start**: is α past what the steepest direction allows?")
    st.dataframe(stability_table(view, labels, curves), hide_index=True, width="stretch")
    past = [stability_sentence(label, run.optimizer, run.settings, float(curve.values[0]))
            for run, label, curve in zip(view.runs, labels, curves, strict=True)
            if len(curve.values) and (critical := critical_lr(run.optimizer, run.settings, float(curve.values[0])))
            is not None and float(run.settings["lr"]) > critical]
    for sentence in past or ["Every run with a limit starts with α below it."]:
        st.markdown(f"- {escape_markdown(sentence)}")
    st.caption("On the contour: the Hessian's eigen-directions at the start and, as it plays, at each run's "
               "position; an arm's length is ∝ 1/√|λ|, so the short arm is the steep direction; dashed red "
               "is negative curvature. Below the loss: each run's sharpness (λmax of the Hessian; for RMSprop, "
               "Adagrad and the Adam family λmax of P·H with P = diag(1/(√v̂ + ε)), the step's own scaling) "
               "against its limit, dotted. SGD's limit is for PyTorch's heavy-ball form v ← μv + (1 − τ)g, "
               "θ ← θ − αv.")


def add_layer(figure, landscape, view: View, layers: Sequence[RunLayers], curves: Sequence[Sharpness]) -> None:
    """Draw the curvature layer into the Playground's figure: crosses at the start and at every replayed
    position (Hessians computed in one batched call), and the sharpness panel."""
    replayed = replay_steps(view.steps)
    # Each layer holds its markers' (x, y) lists as the frames send them (None where undefined).
    positions = np.stack([np.array(layer.positions, dtype=float).T for layer in layers], axis=1)  # (frames, runs, 2)
    with np.errstate(all="ignore"):
        hessians = landscape.hessian(positions)
        at_start = landscape.hessian(np.asarray(start_of(view, landscape), dtype=float))
    add_curvature(figure, start_of(view, landscape), at_start, float(landscape.span), positions, hessians, curves,
                  view.steps, replayed)
