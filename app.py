"""Optimizer Playground: the router."""

import streamlit as st

from ui.layout import compact

st.set_page_config(page_title="Optimizer Playground", page_icon="📉", layout="wide")
compact()

pages = {
    "Playground": [st.Page("pages/playground.py", title="Playground", icon=":material/scatter_plot:", default=True)],
}
st.navigation(pages).run()
