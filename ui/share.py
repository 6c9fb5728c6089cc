"""Links that reproduce a page: widgets bound to the URL, a note for link values that were dropped, Copy link.

Pages bind their widgets with ``bind=BIND`` (Streamlit keeps the value in the query parameter named
by the widget's key and silently drops one it cannot use). The router takes the query before the
page runs and compares it with the widgets' values after, so a dropped value gets a visible note.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

BIND = "query-params"
NOTES = "share_link_notes"


def current_query() -> dict[str, list[str]]:
    """Every query parameter with all its values (``to_dict`` keeps only the last)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def url_number(key: str) -> float | None:
    """The finite number the URL holds for ``key``, if any: lets a slider offer a linked value off its grid."""
    raw = st.query_params.get(key)
    try:
        value = float(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _agrees(raw: str, value: object) -> bool:
    if isinstance(value, bool):
        return raw.lower() in ((str(value).lower(), str(int(value))))
    if isinstance(value, int | float):
        try:
            return math.isclose(float(raw), float(value), rel_tol=1e-9, abs_tol=1e-12)
        except ValueError:
            return False
    return raw.lower() == str(value).lower()


def dropped_values(linked: Mapping[str, list[str]], now: Mapping[str, list[str]],
                   state: Mapping[str, object]) -> list[str]:
    """A note per linked widget value the widget did not take.

    A value took if the URL still holds it after the run (``now``), or if it left the URL because
    it equals the widget's default (Streamlit keeps only non-default values there).
    """
    notes = []
    for key, raw in linked.items():
        if key not in state or now.get(key) == raw:
            continue
        value = state[key]
        values = list(value) if isinstance(value, list | tuple) else [value]
        if len(raw) != len(values) or not all(_agrees(r, v) for r, v in zip(raw, values, strict=False)):
            notes.append(f"“{key}={','.join(raw)}” ignored: not a value this control offers")
    return notes


def check_link(linked: Mapping[str, list[str]], page: str, more_notes: list[str]) -> None:
    """After ``page`` ran: remember a note for each value of its link that did not take (and ``more_notes``).

    The notes stay while the page is open: the values they describe have left the URL by the next rerun.
    """
    if notes := dropped_values(linked, current_query(), st.session_state) + more_notes:
        st.session_state[NOTES] = (page, notes)
    elif st.session_state.get(NOTES, ("", []))[0] != page:
        st.session_state.pop(NOTES, None)


def show_link_notes(slot, page: str) -> None:
    """The notes about the link ``page`` was opened with, in ``slot``."""
    shown_page, notes = st.session_state.get(NOTES, ("", []))
    if notes and shown_page == page:
        slot.warning("Part of this link was not used: " + "; ".join(notes), icon=":material/link_off:")


def page_link_text(query: Mapping[str, list[str]]) -> str:
    """The address of this page with ``query``: what Copy link offers."""
    base = str(st.context.url or "").split("?")[0]
    return base + ("?" + urlencode(query, doseq=True) if query else "")


def copy_link(extra: Mapping[str, list[str]]) -> None:
    """A "Copy link" popover: the address that reopens this view (plus ``extra``), in a code box with a copy icon."""
    with st.popover("Copy link", icon=":material/link:", key="share_copy_link"):
        st.caption("This address reopens the page as you see it (the copy icon is on the right):")
        st.code(page_link_text({**current_query(), **extra}), language=None, wrap_lines=True)
