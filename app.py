"""Optimizer Playground: the router."""

import streamlit as st

st.set_page_config(page_title="Optimizer Playground", page_icon="📉", layout="wide")
st.title("Optimizer Playground")
st.write("The engine is in place; the pages are coming.")
