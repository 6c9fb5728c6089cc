"""Page-wide layout tweaks shared by every page."""

import streamlit as st

_COMPACT = """
<style>
.block-container {padding-top: 2.2rem; padding-bottom: 2rem;}
h1 {padding-top: 0 !important;}
</style>
"""


def compact() -> None:
    """Less empty space above the title, so the main figure fits a projector's 1440×900."""
    st.markdown(_COMPACT, unsafe_allow_html=True)
