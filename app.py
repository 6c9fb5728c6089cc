"""Optimizer Playground: the router."""

import streamlit as st

from ui.layout import compact

st.set_page_config(page_title="Optimizer Playground", page_icon="📉", layout="wide")
compact()

pages = {
    "Explore": [
        st.Page("app_pages/playground.py", title="Playground", icon=":material/scatter_plot:", default=True),
        st.Page("app_pages/sweeps.py", title="Sweeps", icon=":material/grid_on:", url_path="sweeps"),
        st.Page("app_pages/fair_fight.py", title="Fair fight", icon=":material/balance:", url_path="fair-fight"),
    ],
    "Learn": [
        st.Page("app_pages/ema.py", title="Moving averages", icon=":material/show_chart:", url_path="ema"),
        st.Page("app_pages/sgd_to_adam.py", title="From SGD to Adam", icon=":material/grid_view:",
                url_path="sgd-to-adam"),
        st.Page("app_pages/inside_adam.py", title="Inside Adam", icon=":material/footprint:", url_path="inside-adam"),
        st.Page("app_pages/weight_decay.py", title="L2 vs weight decay", icon=":material/compress:",
                url_path="weight-decay"),
        st.Page("app_pages/hyperparameters.py", title="Hyperparameters", icon=":material/tune:",
                url_path="hyperparameters"),
    ],
}
st.navigation({section: entries for section, entries in pages.items() if entries}).run()
