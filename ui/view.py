"""A Playground view as plain data, and its round trip through URL query parameters.

No Streamlit here, so the encoding is testable on its own. ``from_query`` never raises: a
malformed or out-of-range value is dropped and described in the returned notes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import landscapes
import optimizers
from optimizers import schedules

MAX_RUNS = 6
MAX_STEPS = 5000
MAX_NOISE = 100.0
MAX_CLOUD = 100
CUSTOM = "custom"


@dataclass(frozen=True)
class RunSpec:
    """One optimizer and the settings that differ from its defaults."""

    optimizer: str
    overrides: tuple[tuple[str, float | bool], ...] = ()

    @property
    def settings(self) -> dict[str, float | bool]:
        return {**optimizers.get(self.optimizer).defaults, **dict(self.overrides)}

    @property
    def label(self) -> str:
        spec = optimizers.get(self.optimizer)
        shown = [f"{h.name}={_short(dict(self.overrides)[h.name])}"
                 for h in spec.hyperparameters if h.name in dict(self.overrides)]
        return spec.label + (f" ({', '.join(shown)})" if shown else "")

    @classmethod
    def of(cls, optimizer: str, **settings: float | bool) -> RunSpec:
        """A run whose overrides are the given settings that differ from the defaults."""
        defaults = optimizers.get(optimizer).defaults
        return cls(optimizer, tuple((k, v) for k, v in settings.items() if defaults.get(k) != v))


def _short(value: float | bool) -> str:
    return str(value) if isinstance(value, bool) else f"{value:g}"


DEFAULT_RUNS = (
    RunSpec.of("momentum", lr=1e-2),
    RunSpec.of("rmsprop", lr=5e-3),
    RunSpec.of("adam", lr=5e-2),
    RunSpec.of("adamw", lr=5e-2, weight_decay=0.1),
)


@dataclass(frozen=True)
class View:
    """Everything that defines what the Playground shows."""

    landscape: str = "rosenbrock"
    landscape_params: tuple[tuple[str, float], ...] = ()
    expression: str = ""
    start: tuple[float, float] | None = None
    steps: int = 1000
    noise: float = 0.0
    seed: int = 0
    schedule: str = "constant"
    runs: tuple[RunSpec, ...] = field(default=DEFAULT_RUNS)
    # Each run's palette slot (colour, dash, marker); empty means run i has slot i.
    colors: tuple[int, ...] = ()
    curvature: bool = False  # the curvature layer and the sharpness panel
    cloud: int = 0  # seeds seed … seed + cloud − 1 per run when > 1 (and noise > 0)

    @property
    def run_colors(self) -> tuple[int, ...]:
        return self.colors if len(self.colors) == len(self.runs) else tuple(range(len(self.runs)))

    def with_runs(self, runs: Sequence[RunSpec]) -> View:
        return replace(self, runs=tuple(runs))


def to_query(view: View) -> dict[str, str | list[str]]:
    """The query parameters for ``view``; defaults are left out to keep links short."""
    default = View()
    query: dict[str, str | list[str]] = {"landscape": view.landscape}
    for name, value in view.landscape_params:
        query[name] = f"{value:g}"
    if view.landscape == CUSTOM:
        query["f"] = view.expression
    if view.start is not None:
        query["x0"], query["y0"] = f"{view.start[0]:.6g}", f"{view.start[1]:.6g}"
    for name in ("steps", "noise", "seed", "schedule", "cloud"):
        value = getattr(view, name)
        if value != getattr(default, name):
            query[name] = f"{value:g}" if isinstance(value, float) else str(value)
    if view.curvature:
        query["curvature"] = "1"
    query["run"] = [_encode_run(run) for run in view.runs]
    if view.run_colors != tuple(range(len(view.runs))):
        query["colors"] = ",".join(str(c) for c in view.run_colors)
    return query


def _colors(query, runs: int, notes: list[str]) -> tuple[int, ...] | None:
    """The runs' palette slots from ``colors=0,2,3``: distinct, one per run, each below MAX_RUNS."""
    raw = _first(query, "colors")
    if raw is None:
        return None
    try:
        colors = tuple(int(part) for part in raw.split(","))
    except ValueError:
        colors = ()
    if len(colors) != runs or len(set(colors)) != runs or not all(0 <= c < MAX_RUNS for c in colors):
        notes.append(f"“colors={raw}” ignored: give {runs} different slots from 0 to {MAX_RUNS - 1}, one per run")
        return None
    return colors


def link_number(value: float) -> float:
    """``value`` as a link writes it (6 significant digits), so whatever is computed from it replays exactly."""
    return float(f"{value:.6g}")


def link(view: View, page: str = "") -> str:
    """A relative link (``page?query``) that opens ``view``."""
    return f"{page}?{urlencode(to_query(view), doseq=True)}"


def _encode_run(run: RunSpec) -> str:
    parts = [f"{k}={int(v) if isinstance(v, bool) else f'{v:.6g}'}" for k, v in run.overrides]
    return run.optimizer + (":" + ",".join(parts) if parts else "")


def _decode_run(text: str, notes: list[str]) -> RunSpec | None:
    name, _, rest = text.partition(":")
    try:
        spec = optimizers.get(name)
    except ValueError as error:
        notes.append(f"run “{text}” ignored: {error}")
        return None
    overrides: dict[str, float | bool] = {}
    for item in filter(None, rest.split(",")):
        key, sep, raw = item.partition("=")
        try:
            if not sep:
                raise ValueError(f"expected name=value, got {item!r}")
            hyper = spec.hyperparameter(key)
            value = _parse_bool(raw) if hyper.kind == "bool" else float(raw)
            overrides[key] = spec.hyperparameter(key).validate(value)
        except ValueError as error:
            notes.append(f"{spec.label}: setting “{item}” ignored ({error})")
    try:
        spec.settings(**overrides)
    except ValueError as error:
        notes.append(f"{spec.label}: settings {overrides} ignored ({error})")
        overrides = {}
    return RunSpec.of(name, **overrides)


def _parse_bool(raw: str) -> bool:
    if raw.lower() in ("1", "true"):
        return True
    if raw.lower() in ("0", "false"):
        return False
    raise ValueError(f"expected 1 or 0, got {raw!r}")


def _first(query: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _number(query, key: str, low: float, high: float, notes: list[str], integer: bool = False) -> float | None:
    raw = _first(query, key)
    if raw is None:
        return None
    try:
        value = float(raw)
        if not math.isfinite(value) or (integer and value != int(value)):
            raise ValueError
    except ValueError:
        notes.append(f"“{key}={raw}” ignored: not {'an integer' if integer else 'a number'}")
        return None
    if not low <= value <= high:
        notes.append(f"“{key}={raw}” ignored: must be between {low:g} and {high:g}")
        return None
    return int(value) if integer else value


def from_query(query: Mapping[str, Sequence[str]]) -> tuple[View, list[str]]:
    """The view a URL describes, starting from the defaults, and a note per ignored value.

    ``query`` maps each key to all its values (``st.query_params.to_dict()`` keeps only the
    last one, so pass ``{k: st.query_params.get_all(k) for k in st.query_params}``).
    """
    notes: list[str] = []
    view = View()
    changes: dict = {}
    name = _first(query, "landscape")
    if name is not None:
        if name == CUSTOM:
            expression = _first(query, "f") or ""
            try:
                landscapes.from_expression(expression)
                changes.update(landscape=CUSTOM, expression=expression)
            except (ValueError, AttributeError) as error:
                notes.append(f"custom function ignored: {error}")
        elif name in landscapes.names():
            changes["landscape"] = name
            params = []
            for p in landscapes.parameters(name):
                value = _number(query, p.name, p.low, p.high, notes)
                if value is not None:
                    params.append((p.name, value))
            changes["landscape_params"] = tuple(params)
        else:
            notes.append(f"landscape “{name}” ignored; valid: {', '.join(landscapes.names())}")
    x0, y0 = _number(query, "x0", -1e6, 1e6, notes), _number(query, "y0", -1e6, 1e6, notes)
    if (x0 is None) != (y0 is None):
        notes.append("start ignored: give both x0 and y0")
    elif x0 is not None:
        changes["start"] = (x0, y0)
    for key, low, high, integer in (("steps", 1, MAX_STEPS, True), ("noise", 0.0, MAX_NOISE, False),
                                    ("seed", 0, 2**31 - 1, True), ("cloud", 0, MAX_CLOUD, True)):
        value = _number(query, key, low, high, notes, integer)
        if value is not None:
            changes[key] = value
    curvature = _first(query, "curvature")
    if curvature is not None:
        try:
            changes["curvature"] = _parse_bool(curvature)
        except ValueError as error:
            notes.append(f"“curvature={curvature}” ignored: {error}")
    schedule = _first(query, "schedule")
    if schedule is not None:
        if schedule in schedules.KINDS:
            changes["schedule"] = schedule
        else:
            notes.append(f"schedule “{schedule}” ignored; valid: {', '.join(schedules.KINDS)}")
    raw_runs = list(query.get("run", []))
    if len(raw_runs) > MAX_RUNS:
        notes.append(f"only the first {MAX_RUNS} runs are shown ({len(raw_runs)} in the link)")
    runs = [run for text in raw_runs[:MAX_RUNS] if (run := _decode_run(text, notes)) is not None]
    if runs:
        changes["runs"] = tuple(runs)
    elif raw_runs:
        notes.append("no valid run in the link; showing the default runs")
    colors = _colors(query, len(changes.get("runs", view.runs)), notes)
    if colors is not None:
        changes["colors"] = colors
    return replace(view, **changes), notes
