"""Lessons: ready scenarios a lecturer clicks through in order, each with a question and the engine's answer."""

import streamlit as st

from ui.lessons import LESSONS

st.title("Lessons")
st.caption(f"{len(LESSONS)} short scenarios in teaching order. Open one, let the class predict, run it, then reveal "
           "what the engine says happens — every number below is computed with the settings the link opens.")

columns = st.columns(3)
for number, lesson in enumerate(LESSONS, start=1):
    with columns[(number - 1) % 3], st.container(border=True, key=f"lesson_{number}"):
        st.markdown(f"**{number}. {lesson.title}**")
        st.markdown(f"*Predict, then run.* {lesson.prompt}")
        st.page_link(lesson.page, label="Open this lesson", icon=":material/play_circle:",
                     query_params=lesson.query)
        with st.expander("What you should see"):
            st.markdown(lesson.answer())
