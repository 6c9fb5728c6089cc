"""Optimizer Playground: the router."""

import streamlit as st

from ui import presentation, share
from ui.layout import compact, top_bar

present = presentation.is_on()
st.set_page_config(page_title="Optimizer Playground", page_icon="📉", layout="wide",
                   initial_sidebar_state="collapsed" if present else "auto")
compact()

pages = {
    "Explore": [
        st.Page("app_pages/playground.py", title="Playground", icon=":material/scatter_plot:", default=True),
        st.Page("app_pages/sweeps.py", title="Sweeps", icon=":material/grid_on:", url_path="sweeps"),
        st.Page("app_pages/fair_fight.py", title="Fair fight", icon=":material/balance:", url_path="fair-fight"),
    ],
    "Learn": [
        st.Page("app_pages/lessons.py", title="Lessons", icon=":material/school:", url_path="lessons"),
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
page = st.navigation({section: entries for section, entries in pages.items() if entries})
linked = share.current_query()
hidden = presentation.hidden_names()
notes_slot = st.container()
presentation.style(present, hidden)
with top_bar():
    presentation.toggle()
    share.copy_link()
page.run()
if page.url_path:  # the Playground decodes its own link, with its own notes
    share.check_link(linked, page.url_path, presentation.unknown_hidden(hidden))
share.show_link_notes(notes_slot, page.url_path)
