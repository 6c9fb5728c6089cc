"""The Playground's control panels: landscape, run settings, and one editor per run."""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass

import streamlit as st

import landscapes
import optimizers
from optimizers import schedules

from . import clouds
from . import playground_state as state
from .controls import fmt, hyperparameter_input, log_grid
from .markdown import escape_markdown
from .presentation import PRESENT
from .view import CUSTOM, MAX_RUNS, MAX_STEPS

SCHEDULE_LABELS = {"constant": "constant", "step": "step decay (×0.5 every quarter)", "cosine": "cosine",
                   "warmup_cosine": "linear warm-up, then cosine"}
EXAMPLES = ("abs(x) + y^2", "x^2 + 10*y^2", "sin(3*x)*cos(3*y) + 0.1*(x^2 + y^2)", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
ALLOWED = "numbers, x, y, pi, e, + − \\* / \\*\\* (or ^), and sin cos tan exp log sqrt abs tanh sinh cosh arctan"
NOISE_STEPS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)


SLIDE_PANEL = "slide_panel"


@dataclass(frozen=True)
class SlidePanel:
    """The column beside the figure that holds a lesson's controls while presenting: a run's knobs, then the
    problem's (landscape, its parameters, gradient noise)."""

    run: st.delta_generator.DeltaGenerator
    problem: st.delta_generator.DeltaGenerator


def slide_places() -> tuple[st.delta_generator.DeltaGenerator, SlidePanel | None]:
    """Where the figure goes and, when presenting, the panel beside it (else None: the controls stay in the
    sidebar). Beside rather than above, so the figure keeps its full height on a 1280×720 projector."""
    if not st.session_state.get(PRESENT):
        return st.container(), None
    figure, panel = st.columns([3.2, 1], gap="medium")
    with panel.container(key=SLIDE_PANEL):
        return figure, SlidePanel(st.container(), st.container())


def slide_slot() -> int:
    """The run whose knobs sit on the slide: the one picked, a link's ``slide=<position>``, else the first."""
    slots = st.session_state.run_slots
    if state.SLIDE_RUN not in st.session_state:
        position = st.query_params.get(state.SLIDE, "")
        st.session_state[state.SLIDE_RUN] = (slots[int(position) - 1] if position.isdigit()
                                       and 1 <= int(position) <= len(slots) else slots[0])
    if st.session_state[state.SLIDE_RUN] not in slots:
        st.session_state[state.SLIDE_RUN] = slots[0]
    return st.session_state[state.SLIDE_RUN]


def slide_run_controls(where) -> None:
    """The picked run's numeric knobs in large type beside the figure (switches and typed values stay in its
    editor in the sidebar), and ``slide=<position>`` in the address so a link opens on the same run."""
    slots = st.session_state.run_slots
    slot = slide_slot()
    with where:
        if len(slots) > 1:
            # "run 2: Momentum": the panel is narrow, and the knobs under the choice show the settings.
            short = {s: f"run {i + 1}: {optimizers.get(st.session_state[f'run{s}_optimizer']).label}"
                     for i, s in enumerate(slots)}
            st.selectbox("Run", slots, key=state.SLIDE_RUN, format_func=short.get,
                         help="Whose settings sit here; every run's are in the sidebar")
            slot = st.session_state[state.SLIDE_RUN]
        optimizer = st.session_state[f"run{slot}_optimizer"]
        for h in optimizers.get(optimizer).hyperparameters:
            if h.kind != "bool":
                hyperparameter_input(h, state.hp_key(slot, optimizer, h.name), persist=True)
    position = slots.index(slot) + 1
    if position > 1:
        st.query_params[state.SLIDE] = str(position)
    elif state.SLIDE in st.query_params:
        del st.query_params[state.SLIDE]


def _landscape_label(name: str) -> str:
    return "Custom…" if name == CUSTOM else landscapes.get(name).name


def landscape_controls(where=None) -> landscapes.Landscape | None:
    """Pick a landscape (and its parameters, or type one) in ``where`` (default: the current place);
    returns it, or None if the text is invalid."""
    with where if where is not None else nullcontext():
        return _landscape_controls()


def _landscape_controls() -> landscapes.Landscape | None:
    st.selectbox("Landscape", [*landscapes.names(), CUSTOM], key="landscape", format_func=_landscape_label,
                 on_change=state.reset_start)
    name = st.session_state.landscape
    if name == CUSTOM:
        return _custom_expression()
    params = {}
    for p in landscapes.parameters(name):
        key = f"lp_{p.name}"
        st.session_state.setdefault(key, p.default)
        if p.log:
            choices = sorted({*log_grid(p.low, p.high), float(st.session_state[key])})
            params[p.name] = st.select_slider(p.label, choices, key=key, format_func=fmt, help=p.help)
        else:
            # A wide linear range (the rotation's ±90°) moves in whole units: an arrow key turns it by 1°.
            step = 1.0 if p.high - p.low >= 20 else None
            params[p.name] = st.slider(p.label, float(p.low), float(p.high), key=key, step=step, help=p.help)
    landscape = landscapes.get(name, **params)
    if landscape.description:
        st.caption(landscape.description)
    return landscape


def _use_example(text: str) -> None:
    st.session_state.expression = text
    state.reset_start()


def expression_hint(text: str) -> str | None:
    """A hint for the slips people make most when typing a function, or None."""
    if "^^" in text or "**^" in text or "^*" in text:
        return "write a power with one ^ (or **), e.g. x^2."
    if text.count("(") != text.count(")"):
        return f"the parentheses do not pair up: {text.count('(')} opened, {text.count(')')} closed."
    if match := re.search(r"(?<![\w.])(\d+\.?\d*)\s*(?!e[-+\d])([a-z(])", text):
        number, name = match.groups()
        return f"multiplication needs *: write {number}*{name}…, not {number}{name}…"
    return None


def _custom_expression() -> landscapes.Landscape | None:
    text = st.text_input("f(x, y) =", key="expression", on_change=state.reset_start, help=f"{ALLOWED}.")
    try:
        landscape = landscapes.from_expression(text)
    except ValueError as error:
        hint = expression_hint(text)
        # Escaped: the message quotes the user's text, and Markdown would eat the underscores of __import__.
        st.error(escape_markdown(str(error)) + (f"  \nHint: {escape_markdown(hint)}" if hint else "")
                 + f"  \nAllowed: {ALLOWED}.", icon=":material/error:")
        landscape = None
    columns = st.columns(2)
    for index, example in enumerate(EXAMPLES):
        columns[index % 2].button(example, key=f"example_{index}", on_click=_use_example, args=(example,),
                                  width="stretch")
    if landscape is None:
        return None
    st.latex(landscape.formula)
    if landscape.gradient_formula:
        st.latex(landscape.gradient_formula)
    return landscape


def run_settings_controls(noise_place=None) -> None:
    """Where the runs start, how long they run, gradient noise (in ``noise_place`` if given, beside the seed
    otherwise) and the learning-rate schedule."""
    left, right = st.columns(2)
    left.number_input("start x", key="x0", step=0.1, format="%.3f", min_value=-1e6, max_value=1e6)
    right.number_input("start y", key="y0", step=0.1, format="%.3f", min_value=-1e6, max_value=1e6)
    st.caption("…or click the contour to start there.")
    st.slider("Steps", 1, MAX_STEPS, key="steps")
    left, right = st.columns([2, 1]) if noise_place is None else (noise_place, st)
    noise = st.session_state.noise
    left.select_slider("Gradient noise σ", sorted({*NOISE_STEPS, noise}), key="noise", format_func=fmt,
                       help="Adds σ·N(0, I) to every gradient, as mini-batches do; every run gets the same noise.")
    right.number_input("seed", key="seed", min_value=0, max_value=2**31 - 1, step=1)
    st.selectbox("Learning-rate schedule", schedules.KINDS, key="schedule", format_func=SCHEDULE_LABELS.get)


def cloud_control() -> None:
    """How many noisy runs (seeds) each optimizer gets: one, or a cloud of K."""
    choices = sorted({*clouds.CHOICES, int(st.session_state.get("cloud", 0))})
    st.selectbox("Noisy runs per optimizer", choices, key="cloud",
                 format_func=lambda k: "one (the seed above)" if k <= 1 else f"a cloud of {k} seeds",
                 help="With gradient noise σ > 0, run every optimizer with seeds seed … seed + K − 1 at once: "
                      "a faint cloud of paths, the median run bold, and how the final losses spread.")
    if st.session_state.get("cloud", 0) > 1 and st.session_state.noise == 0:
        st.caption("A cloud needs gradient noise σ > 0: without it every seed takes the same path.")


def curvature_control() -> None:
    st.toggle("Show curvature", key="curvature",
              help="The Hessian's eigen-directions on the contour and each run's sharpness against the "
                   "largest curvature its α survives (2/α for SGD).")


def _take_typed(key: str, h) -> None:
    """A typed value replaces the slider's (the slider offers it from then on); out of range, it is refused
    with a note under the run."""
    typed = st.session_state.get(f"{key}_typed")
    if typed is None:
        return
    try:
        st.session_state[key] = float(h.validate(float(typed)))
        st.session_state.pop(f"{key}_refused", None)
    except ValueError as error:
        st.session_state[f"{key}_refused"] = str(error)
    st.session_state[f"{key}_typed"] = None


def run_editor(slot: int, color: str, label: str, on_slide: bool = False) -> None:
    """One run: its optimizer, every hyperparameter (its numeric ones beside the figure instead when
    ``on_slide``), and reset/remove buttons.

    The widgets are drawn only while the expander is open (opening it reruns the page) and keep
    their values in the session while it is closed, so closed runs cost a rerun nothing. Streamlit
    counts the label in a keyed expander's identity, and the label shows the run's settings: passing
    the last known open state as ``expanded`` keeps an open editor open when its label changes.
    """
    state.ensure_run_defaults(slot)
    key = state.editor_key(slot)
    with st.expander(f":material/timeline: {label}", key=key, on_change="rerun",
                     expanded=bool(st.session_state.get(key, False))) as editor:
        if not editor.open:
            return
        st.markdown(f"<div style='height:4px;background:{color};border-radius:2px'></div>", unsafe_allow_html=True)
        st.selectbox("Optimizer", optimizers.names(), key=f"run{slot}_optimizer", persist_state="session",
                     format_func=lambda name: optimizers.get(name).label)
        optimizer = st.session_state[f"run{slot}_optimizer"]
        spec = optimizers.get(optimizer)
        st.caption(spec.summary)
        if on_slide:
            st.caption("Its numeric settings are beside the figure while presenting.")
        for h in spec.hyperparameters:
            key = state.hp_key(slot, optimizer, h.name)
            if on_slide and h.kind != "bool":
                continue
            if h.log and h.kind != "bool":
                left, right = st.columns([5, 2], vertical_alignment="bottom")
                with left:
                    hyperparameter_input(h, key, persist=True)
                right.number_input(f"{h.name} exactly", value=None, key=f"{key}_typed", format="%.6g",
                                   placeholder="type", label_visibility="collapsed", on_change=_take_typed,
                                   args=(key, h), help=f"Type {h.name} exactly, e.g. 0.0123")
            else:
                hyperparameter_input(h, key, persist=True)
        for h in spec.hyperparameters:
            refused = st.session_state.get(f"{state.hp_key(slot, optimizer, h.name)}_refused")
            if refused:
                st.caption(f":red[{escape_markdown(refused)}]")
        left, right = st.columns(2)
        left.button("Reset", key=f"reset_{slot}", on_click=state.reset_run, args=(slot,), width="stretch",
                    help="Back to the article's defaults for this optimizer")
        right.button("Remove", key=f"remove_{slot}", on_click=state.remove_run, args=(slot,),
                     width="stretch", disabled=len(st.session_state.run_slots) <= 1)


def add_run_button() -> None:
    st.button("Add run", icon=":material/add:", on_click=state.add_run, width="stretch",
              disabled=len(st.session_state.run_slots) >= MAX_RUNS,
              help=f"Up to {MAX_RUNS} runs; the same optimizer may appear twice.")
