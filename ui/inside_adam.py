"""The Inside Adam page's controls, its cached recorded run, and the step slider with Prev/Next."""

from __future__ import annotations

import streamlit as st

import optimizers
from viz.contour import Grid
from viz.inside_adam import AdamRun, bias_off_note, epsilon_note, step_figure

from . import presentation, stepping
from .controls import hyperparameter_input
from .runs import LandscapeKey, build_landscape
from .share import BIND
from .view import RunSpec, View

PREFIX = "inside_adam"
STEP = f"{PREFIX}_t"
STEP_CHOICES = (20, 50, 100, 200, 500, 1000)
# A few landscapes where one step of Adam tells a story, and the α that suits each.
LANDSCAPES: dict[str, tuple[LandscapeKey, float]] = {
    "Rosenbrock": (("rosenbrock", (), ""), 0.05),
    "Ill-conditioned quadratic (κ = 50)": (("quadratic", (("condition", 50.0),), ""), 0.05),
    "Saddle x² − y²": (("saddle", (), ""), 0.05),
    "Booth (tilted bowl)": (("booth", (), ""), 0.5),
}
DEFAULTS = {"landscape": "Rosenbrock", "steps": 200, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def _key(name: str) -> str:
    return f"{PREFIX}_{name}"


def _reset_for_landscape() -> None:
    """A new landscape starts from its own demo start, with its own α, at step 1."""
    key, lr = LANDSCAPES[st.session_state[_key("landscape")]]
    start = build_landscape(key).start
    st.session_state[_key("x0")], st.session_state[_key("y0")] = float(start[0]), float(start[1])
    st.session_state[_key("lr")] = lr
    st.session_state[STEP] = 1


def _initialise() -> None:
    for name, value in DEFAULTS.items():
        st.session_state.setdefault(_key(name), value)
    if _key("lr") not in st.session_state:
        _reset_for_landscape()


def run_controls(lesson=None) -> tuple[LandscapeKey, tuple[float, float], int, dict, bool]:
    """Landscape, start, steps, Adam's hyperparameters and the comparison switch, in the sidebar.

    Returns (landscape key, start, steps, settings, compare). Adam's knobs and the two switches go
    to ``lesson`` instead (a main-area place, when presenting), in one row.
    """
    _initialise()
    st.selectbox("Landscape", list(LANDSCAPES), key=_key("landscape"), on_change=_reset_for_landscape,
                 index=list(LANDSCAPES).index(DEFAULTS["landscape"]), bind=BIND)
    left, right = st.columns(2)
    x0 = left.number_input("start x", key=_key("x0"), step=0.1, format="%.3f", min_value=-1e3, max_value=1e3,
                           bind=BIND)
    y0 = right.number_input("start y", key=_key("y0"), step=0.1, format="%.3f", min_value=-1e3, max_value=1e3,
                            bind=BIND)
    steps = st.select_slider("Steps", STEP_CHOICES, key=_key("steps"), bind=BIND,
                             value=DEFAULTS["steps"])
    spec = optimizers.get("adam")
    knobs = ("lr", "beta1", "beta2", "eps")
    *slots, switches = presentation.lesson_slots(lesson, [1] * len(knobs) + [1.6])
    settings = {}
    for name, slot in zip(knobs, slots, strict=True):
        with slot:
            # α's default is the landscape's own (a new landscape sets it), the others the page's.
            default = LANDSCAPES[st.session_state[_key("landscape")]][1] if name == "lr" else DEFAULTS[name]
            settings[name] = hyperparameter_input(spec.hyperparameter(name), _key(name), bind=BIND, default=default)
    # Its default is the widget's own value, not set through the session: a bound widget leaves a value
    # equal to its default out of the URL, so "off" must differ from that default to reach a link.
    with switches:
        settings["bias_correction"] = st.toggle("bias correction (divide by 1 − βᵗ)", value=True,
                                                key=_key("bias_correction"), bind=BIND)
        compare = st.toggle("compare with it switched", key=_key("compare"), bind=BIND,
                            help="The same settings, the other bias correction, at the same step, side by side")
    landscape = LANDSCAPES[st.session_state[_key("landscape")]][0]
    return landscape, (float(x0), float(y0)), int(steps), settings, compare


@st.cache_data(max_entries=64, show_spinner=False)
def _recorded_adam(key: LandscapeKey, start: tuple[float, float], steps: int, lr: float, beta1: float,
                   beta2: float, eps: float, bias_correction: bool) -> AdamRun:
    trajectory = optimizers.run("adam", build_landscape(key), start=start, steps=steps, record_state=True, lr=lr,
                                beta1=beta1, beta2=beta2, eps=eps, bias_correction=bias_correction)
    return AdamRun(trajectory.path, trajectory.state, lr, beta1, beta2, eps, bias_correction)


def recorded_adam(key: LandscapeKey, start: tuple[float, float], steps: int, settings: dict) -> AdamRun:
    """The run with every inner quantity recorded, computed once per setting."""
    return _recorded_adam(key, start, steps, float(settings["lr"]), float(settings["beta1"]),
                          float(settings["beta2"]), float(settings["eps"]), bool(settings["bias_correction"]))


def _shift_step(delta: int, steps: int) -> None:
    st.session_state[STEP] = min(max(st.session_state[STEP] + delta, 1), steps)


def step_picker(steps: int) -> int:
    """The step slider t with Prev/Next, and Play at a chosen speed; t is kept inside 1..steps."""
    st.session_state[STEP] = min(max(int(st.session_state.get(STEP, 1)), 1), steps)
    t = st.session_state[STEP]
    slider, previous, following, play_column, speed_column = st.columns([5, 1, 1, 1, 1.2],
                                                                      vertical_alignment="bottom")
    previous.button("◀ Prev", key=f"{PREFIX}_prev", on_click=_shift_step, args=(-1, steps), disabled=t <= 1,
                    width="stretch")
    following.button("Next ▶", key=f"{PREFIX}_next", on_click=_shift_step, args=(1, steps), disabled=t >= steps,
                     width="stretch")
    stepping.play(PREFIX, STEP, steps, play_column, speed_column)
    return slider.slider("Step t", 1, steps, key=STEP, format="t = %d", bind=BIND)


def playground_view(key: LandscapeKey, start: tuple[float, float], steps: int, settings: dict) -> View:
    name, params, _ = key
    return View(landscape=name, landscape_params=params, start=start, steps=steps,
                runs=(RunSpec.of("adam", **settings),))



def notes(run: AdamRun, key: LandscapeKey, start: tuple[float, float], settings: dict, t: int) -> None:
    """What goes wrong without bias correction, and when ε has taken over from √v̂."""
    if not run.bias_correction:
        corrected = recorded_adam(key, start, 1, {**settings, "bias_correction": True})
        st.warning(bias_off_note(run, corrected.row("update", 1)), icon=":material/warning:")
    if note := epsilon_note(run, t):
        st.info(note, icon=":material/info:")


def other_bias_correction(key: LandscapeKey, start: tuple[float, float], steps: int, settings: dict) -> AdamRun:
    """The same run with bias correction switched the other way."""
    return recorded_adam(key, start, steps, {**settings, "bias_correction": not settings["bias_correction"]})


def step_charts(landscape, g: Grid, run: AdamRun, t: int, other: AdamRun | None) -> None:
    """Step t's figure; with ``other``, both runs side by side, each headed by its bias correction."""
    if other is None:
        presentation.chart(step_figure(landscape, g, run, t), key=f"{PREFIX}_step_chart", config={"displaylogo": False})
        return
    for column, shown in zip(st.columns(2), (run, other), strict=True):
        with column:
            state = "on" if shown.bias_correction else "off"
            st.markdown(f"**bias correction {state}**")
            presentation.chart(step_figure(landscape, g, shown, t, height=320), key=f"{PREFIX}_step_chart_{state}",
                  config={"displaylogo": False})
