"""Presentation mode (``present=1``) and hidden controls (``hide=name,name``) for any page.

Presentation mode is the router's toggle, bound to the URL parameter ``present`` and kept in the
session, so it stays on from page to page; Copy link adds ``present=1`` while it is on. A bound
switch reads only ``true``/``false``; ``is_on`` also takes the ``present=1`` of a link.
``hide=`` names widget keys, which are also the names of their URL parameters, so a lesson link
can show a class only the controls it needs.
"""

from __future__ import annotations

import re

import streamlit as st

from ui.share import BIND
from viz.figure import SpecFigure
from viz.presentation import enlarge

PRESENT = "present"
HIDE = "hide"
LINKED = "present_from_link"
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
</style>
"""


def is_on() -> bool:
    """Whether presentation mode is on: the toggle's state, else the link's ``present`` (``1`` or ``true``).

    The bound toggle reads only ``true``, so a ``present=1`` link turns it on in a second run
    (``settle_link``), through the session.
    """
    if st.session_state.pop(LINKED, False):
        st.session_state[PRESENT] = True
    elif PRESENT not in st.session_state and st.query_params.get(PRESENT, "") == "1":
        st.session_state[LINKED] = True
        return True
    if PRESENT in st.session_state:
        return bool(st.session_state[PRESENT])
    return st.query_params.get(PRESENT, "").lower() == "true"


def settle_link() -> None:
    """After the first run of a ``present=1`` link: run again so the toggle turns on (see ``is_on``)."""
    if st.session_state.get(LINKED):
        st.rerun()


def toggle() -> bool:
    """The Present toggle, bound to ``present`` in the URL (as ``true``; a link's ``present=1`` is read by is_on)."""
    return st.toggle("Present", key=PRESENT, bind=BIND,
                     help="Large chart text and thick lines, sidebar and menus out of the way (present=1 in a link)")


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
