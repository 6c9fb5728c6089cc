"""Lessons: ready scenarios to click through in class."""

import streamlit as st

st.title("Lessons")
