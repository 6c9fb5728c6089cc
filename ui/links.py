"""Links into the Playground that open a prepared view."""

from __future__ import annotations

import streamlit as st

from .view import View, to_query

PLAYGROUND = "app_pages/playground.py"


def playground_link(view: View, label: str = "Open these settings in the Playground", **kwargs) -> None:
    """A page link that opens the Playground showing exactly ``view``."""
    st.page_link(PLAYGROUND, label=label, icon=":material/open_in_new:", query_params=to_query(view), **kwargs)
