"""Moving averages: the EMA behind Momentum and Adam, and why its first steps need bias correction."""

import streamlit as st

from ui import ema_controls as controls
from ui.ema_stream import cached_moving_averages
from ui.links import playground_link
from ui.presentation import chart
from viz.ema import ema_equation, ema_figure, warmup_figure

st.title("Moving averages")
st.caption("A noisy gradient stream with occasional spikes, and its exponential moving average. "
           "vₜ is the Momentum optimizer's buffer and v̂ₜ Adam's bias-corrected m̂ with β₁ = β, fed this stream.")

beta, step = controls.beta_and_step()
series = cached_moving_averages(beta)

main, side = st.columns([1.8, 1])
with main:
    chart(ema_figure(series, step), key="ema_chart", config={"displaylogo": False})
with side:
    chart(warmup_figure(series), key="ema_warmup_chart", config={"displaylogo": False})
    st.latex(ema_equation(series, step))

st.markdown(
    "**What to try**\n"
    "- Raise β from 0.9 to 0.99: the line gets smoother but lags the drift, and the window in the bars grows to 100.\n"
    "- Set t = 1 and step forward: v starts at 0 and needs about 1/(1 − β) steps to catch up; "
    "v̂ is right from step 1 because it divides by 1 − βᵗ.\n"
    "- Put t just after a spike: with β = 0.5 the spike dominates v, with β = 0.95 it barely moves it."
)
playground_link(controls.playground_view(beta), "Open noisy gradients with this β in the Playground")
