"""Parity with torch.optim: every optimizer with a PyTorch twin tracks it step for step in float64.

The reference is ``tests/data/torch_reference.npz``, recorded from real ``torch.optim`` by
``scripts/torch_reference.py``: for each case torch ran free with autograd gradients, and we
keep its parameters θ₀…θ_N and the gradients g₁…g_N it used.

- Replay: our optimizer, fed torch's gradients, must stay within 1e-12·max(1, |θ|) of torch's
  θ at every step. Free-running comparisons would amplify last-bit rounding chaotically.
- Free run: our own run on our landscape, analytic gradients and all, must stay within 1e-9
  of torch's first 30 steps, which checks the gradients too.
- Live: where torch is importable, torch replays our own free runs, so the check does not rest
  on the stored data alone.
"""

from __future__ import annotations

import importlib.util
import json
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import schedules

DATA = Path(__file__).parent / "data" / "torch_reference.npz"
SCRIPT = Path(__file__).parent.parent / "scripts" / "torch_reference.py"
REPLAY_TOLERANCE = 1e-12
FREE_RUN_TOLERANCE = 1e-9
FREE_RUN_STEPS = 30


def _load() -> dict[str, tuple[dict[str, Any], np.ndarray, np.ndarray]]:
    with np.load(DATA) as data:
        cases = json.loads(str(data["cases"]))
        reference = {case["id"]: (case, data[f"params_{i}"], data[f"grads_{i}"]) for i, case in enumerate(cases)}
    if len(reference) != len(cases):
        raise ValueError(f"{DATA.name} repeats case ids")
    return reference


REFERENCE = _load()
CASE_IDS = list(REFERENCE)


def schedule_of(case: dict[str, Any]) -> schedules.Schedule | None:
    if case["schedule"] is None:
        return None
    arguments = dict(case["schedule"])
    return getattr(schedules, arguments.pop("class"))(**arguments)


def relative_deviation(ours: np.ndarray, torch_path: np.ndarray) -> np.ndarray:
    """|ours − torch| / max(1, |torch|), the worst coordinate at each step."""
    return (np.abs(ours - torch_path) / np.maximum(1.0, np.abs(torch_path))).max(axis=-1)


def assert_tracks(ours: np.ndarray, torch_path: np.ndarray, tolerance: float) -> None:
    assert ours.shape == torch_path.shape
    deviation = relative_deviation(ours, torch_path)
    off = np.flatnonzero(~(deviation <= tolerance))  # NaN counts as off
    if off.size:
        t = off[0]
        pytest.fail(f"step {t}: ours {ours[t].tolist()} vs torch {torch_path[t].tolist()}, relative deviation "
                    f"{deviation[t]:.3g} > {tolerance:g} (worst over the run {np.nanmax(deviation):.3g})")


def our_free_run(case: dict[str, Any], steps: int, **options: Any) -> optimizers.Trajectory:
    land = landscapes.get(case["landscape"], **case["landscape_params"])
    return optimizers.run(case["optimizer"], land, start=case["start"], steps=steps, schedule=schedule_of(case),
                          **options, **case["settings"])


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_replay_of_torch_gradients_tracks_torch(case_id):
    case, torch_path, torch_grads = REFERENCE[case_id]
    ours = optimizers.replay(case["optimizer"], case["start"], torch_grads, schedule=schedule_of(case),
                             **case["settings"])
    assert_tracks(ours.path, torch_path, REPLAY_TOLERANCE)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_free_run_on_our_landscape_tracks_torch(case_id):
    case, torch_path, _ = REFERENCE[case_id]
    ours = our_free_run(case, FREE_RUN_STEPS)
    assert_tracks(ours.path, torch_path[: FREE_RUN_STEPS + 1], FREE_RUN_TOLERANCE)


def _twin_capable_alternative(spec: optimizers.OptimizerSpec, h: optimizers.Hyperparameter) -> bool:
    """Whether a non-default value of ``h`` still has a PyTorch twin (bias_correction=False has none)."""
    if h.kind != "bool":
        return True
    try:
        settings = spec.settings(**{h.name: not h.default})
    except ValueError:  # it needs other knobs set too, as nesterov needs momentum
        return True
    return spec.pytorch(settings) is not None


def test_reference_covers_every_twin_and_every_option():
    """Each optimizer with a twin is in the data, with each of its twin-capable knobs off its default."""
    for name in optimizers.names():
        spec = optimizers.get(name)
        if spec.pytorch(spec.defaults) is None:
            continue
        cases = [case for case, _, _ in REFERENCE.values() if case["optimizer"] == name]
        assert cases, f"no reference data for {name}"
        varied = {k for case in cases for k, v in case["settings"].items() if v != spec.defaults[k]}
        knobs = {h.name for h in spec.hyperparameters if _twin_capable_alternative(spec, h)}
        assert knobs <= varied, f"{name}: no reference case sets {sorted(knobs - varied)} off its default"


def test_reference_covers_every_schedule():
    recorded = {case["schedule"]["class"] for case, _, _ in REFERENCE.values() if case["schedule"]}
    expected = {kind.__name__ for kind in typing.get_args(schedules.Schedule)} - {"Constant"}
    assert recorded == expected


# Live: torch itself, where it is installed.

LIVE_CASES = (
    "adam[amsgrad,weight_decay=0.1]@rosenbrock",
    "nadam[momentum_decay=0.1,weight_decay=0.1]@beale",
    "rmsprop[centered,momentum=0.9,weight_decay=0.1]@quadratic(condition=50,angle=30)",
    "sgd[momentum=0.9,nesterov]@beale",
    "adamw[weight_decay=0.1]@rosenbrock+WarmupCosine(warmup=100,t_max=1000,start_factor=0.1)",
)


@pytest.fixture(scope="module")
def torch_reference():
    pytest.importorskip("torch")
    spec = importlib.util.spec_from_file_location("torch_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case_id", LIVE_CASES)
def test_live_torch_replays_our_free_run(torch_reference, case_id):
    """Run ours free for the whole case, feed torch the gradients at our points, compare θ."""
    case = REFERENCE[case_id][0]
    ours = our_free_run(case, case["steps"], record_state=True)
    torch_path = torch_reference.replay(case, ours.state["grad"][1:])
    assert_tracks(ours.path, torch_path, REPLAY_TOLERANCE)


@pytest.mark.parametrize("case_id", LIVE_CASES)
def test_live_torch_matches_the_stored_reference(torch_reference, case_id):
    """The installed torch still produces the stored data (short stretch: free runs drift chaotically)."""
    case, stored_path, _ = REFERENCE[case_id]
    torch_path, _ = torch_reference.free_run({**case, "steps": FREE_RUN_STEPS})
    assert_tracks(torch_path, stored_path[: FREE_RUN_STEPS + 1], FREE_RUN_TOLERANCE)


def test_a_call_leaves_out_only_what_torch_defaults_to_the_same(torch_reference):
    """An argument ``spec.pytorch`` omits at its default must have that default in torch too."""
    import inspect

    import torch

    for name in optimizers.names():
        spec = optimizers.get(name)
        if spec.twin is None:
            continue
        parameters = inspect.signature(getattr(torch.optim, spec.twin)).parameters
        for h in spec.hyperparameters:
            if h.torch == "" and h.name != "lr":
                assert parameters[h.name].default == h.default, f"{name}.{h.name}"


def test_stored_cases_are_the_scripts_current_cases(torch_reference):
    """The data was regenerated after the last change to the script's case list."""
    assert [case for case, _, _ in REFERENCE.values()] == json.loads(json.dumps(list(torch_reference.cases())))
