"""The stack's floor for benchmarks/browser.py: one slider, one small chart, nothing else."""

import numpy as np
import streamlit as st

frequency = st.slider("frequency", 1, 100, 50, key="frequency")
x = np.linspace(0.0, 1.0, 200)
st.plotly_chart({"data": [{"type": "scatter", "x": x.tolist(), "y": np.sin(frequency * x).tolist()}],
                 "layout": {"height": 400}})
