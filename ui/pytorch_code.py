"""The PyTorch code that reproduces a view's runs (no Streamlit, so it is testable alone)."""

from __future__ import annotations

import optimizers
from optimizers import schedules

from .view import View


def pytorch_snippet(view: View, labels: list[str]) -> str:
    """A runnable-looking block: one optimizer per run, its scheduler, or a note where there is no twin."""
    lines = ["import torch", ""]
    schedule = schedules.make(view.schedule, view.steps).pytorch()
    for run, label in zip(view.runs, labels, strict=True):
        spec = optimizers.get(run.optimizer)
        settings = run.settings
        call = spec.pytorch(settings)
        lines.append(f"# {label}")
        if call is None:
            lines.append(f"# no PyTorch twin: {spec.no_twin_reason(settings)}")
        else:
            lines.append(f"optimizer = {call}")
            if schedule:
                lines.append(f"scheduler = {schedule}")
        lines.append("")
    if view.noise:
        lines.append(f"# gradient noise σ = {view.noise:g} stands in for mini-batch sampling.")
    return "\n".join(lines).rstrip() + "\n"
