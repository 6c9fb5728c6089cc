"""Presentation mode (``present=1``) and hidden controls (``hide=name,name``) for any page.

Presentation mode is the router's toggle, kept in the session, so it stays on from page to page,
and written to every page's address as ``present=1`` while it is on (so Copy link carries it).
``hide=`` names widget keys, which are also the names of their URL parameters, so a lesson link
can show a class only the controls it needs.
"""

from __future__ import annotations

import re

import streamlit as st

from viz.figure import SpecFigure
from viz.presentation import enlarge

PRESENT = "present"
HIDE = "hide"
LESSON_AREA = "lesson_controls"
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")

_PRESENT_CSS = """
<style>
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stAppDeployButton"] {display: none !important;}
header[data-testid="stHeader"] {background: transparent;}
.block-container {padding-top: 0.8rem !important;}
[data-testid="stMain"] h1 {font-size: 2rem;}
/* The page's subtitle is the lecturer's to say: its room goes to the figure. */
.stElementContainer:has(h1) + .stElementContainer:has([data-testid="stCaptionContainer"]) {display: none;}
[data-testid="stMain"] p, [data-testid="stMain"] li {font-size: 1.15rem;}
[data-testid="stMain"] [data-testid="stWidgetLabel"] p {font-size: 1.2rem;}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: 1.05rem;}
/* The controls in the main area in large type (slider values are paragraphs, above): a class reads them
   from the back row. */
[data-testid="stMain"] [data-testid="stSelectbox"] input, [data-testid="stMain"] [data-baseweb="select"] *,
[data-testid="stMain"] .stButton button p, [data-testid="stSelectboxVirtualDropdown"] [role="option"],
[data-testid="stMain"] [data-testid="stSliderThumbValue"] {font-size: 1.15rem;}
/* The Playground's panel beside the figure has no room for a landscape's description: the lecturer says it. */
.st-key-slide_panel [data-testid="stCaptionContainer"] {display: none;}
</style>
"""


def is_on() -> bool:
    """Whether presentation mode is on: the Present toggle's state, which a link's ``present=1`` starts."""
    if PRESENT not in st.session_state:
        st.session_state[PRESENT] = st.query_params.get(PRESENT, "").lower() in ("1", "true")
    return bool(st.session_state[PRESENT])


def toggle() -> bool:
    """The Present toggle; while it is on, every page's address carries ``present=1``.

    The router writes the parameter on every run rather than binding the toggle to it: a bound
    toggle reads only ``true``, and a page switch starts the new page's address without it.
    """
    on = st.toggle("Present", key=PRESENT,
                   help="Large chart text and thick lines, sidebar and menus out of the way (present=1 in a link)")
    if on and st.query_params.get(PRESENT) != "1":
        st.query_params[PRESENT] = "1"
    elif not on and PRESENT in st.query_params:
        del st.query_params[PRESENT]
    return on


def lesson_area():
    """A place in the main area, under the title, for the few controls a lesson needs: only when presenting.

    Pages put those controls in the sidebar otherwise; ``lesson_slots`` hands out their places.
    """
    return st.container(key=LESSON_AREA) if st.session_state.get(PRESENT) else None


def lesson_slots(area, widths: list[float]) -> list:
    """Places for a lesson's controls: side by side in ``area`` (``widths`` apart) when presenting, else the sidebar."""
    return area.columns(widths, vertical_alignment="bottom") if area is not None else [st.sidebar] * len(widths)


def hidden_names() -> list[str]:
    """The control names ``hide=`` lists (comma-separated or repeated), keeping only well-formed ones."""
    names = [name.strip() for raw in st.query_params.get_all(HIDE) for name in raw.split(",")]
    return [name for name in names if _NAME.match(name)]


def style(on: bool, hidden: list[str]) -> None:
    """The page CSS for presentation mode and for the hidden controls (``.st-key-<key>`` is the widget's box)."""
    rules = "".join(f".st-key-{name} {{display: none !important;}}" for name in hidden)
    css = (_PRESENT_CSS if on else "") + (f"<style>{rules}</style>" if rules else "")
    if css:
        st.html(css)


def unknown_hidden(hidden: list[str]) -> list[str]:
    """Names in ``hide=`` that are no control on this page, for a note."""
    return [f"“hide={name}”: no control of that name here" for name in hidden if name not in st.session_state]


def chart(figure: SpecFigure, **kwargs) -> None:
    """``st.plotly_chart`` for every page's figures: enlarged for a projector in presentation mode."""
    st.plotly_chart(enlarge(figure) if st.session_state.get(PRESENT) else figure, **kwargs)
