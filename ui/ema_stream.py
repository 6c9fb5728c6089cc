"""The moving-average page's data: a noisy gradient stream and its averages, computed by the engine.

The article's EMA vₜ = β vₜ₋₁ + (1 − β) θₜ is exactly the Momentum optimizer's buffer v, and its
bias-corrected form is Adam's m̂ with β₁ = β; so both are read from ``optimizers.replay`` with the
stream fed in as the gradients, never recomputed here.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import optimizers
from viz.ema import EmaSeries

STEPS = 200
SEED = 7
SPIKE_RATE = 0.04


def gradient_stream(steps: int = STEPS, seed: int = SEED) -> np.ndarray:
    """A drifting signal with Gaussian noise and occasional large spikes, the same for a given seed."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, steps + 1)
    drift = 1.5 + np.sin(2.0 * np.pi * t / 150.0)
    noise = 0.6 * rng.standard_normal(steps)
    spikes = (rng.random(steps) < SPIKE_RATE) * rng.choice([-1.0, 1.0], steps) * rng.uniform(4.0, 7.0, steps)
    return drift + noise + spikes


def _averaged(optimizer: str, stream: np.ndarray, key: str, **settings) -> np.ndarray:
    """The optimizer's recorded buffer ``key`` (first axis) after being fed ``stream`` as its gradients."""
    gradients = np.stack([stream, np.zeros_like(stream)], axis=-1)
    trajectory = optimizers.replay(optimizer, start=(0.0, 0.0), gradients=gradients, record_state=True, **settings)
    return trajectory.state[key][:, 0]


def averages_of(stream: np.ndarray, beta: float) -> EmaSeries:
    """``stream``, its EMA (Momentum's v), the bias-corrected EMA (Adam's m̂), and two probe streams' EMAs."""
    ones, impulse = np.ones(len(stream)), np.eye(1, len(stream))[0]
    return EmaSeries(
        beta=beta,
        values=np.concatenate([[np.nan], stream]),
        average=_averaged("momentum", stream, "v", beta=beta),
        corrected=_averaged("adam", stream, "m_hat", beta1=beta),
        mass=_averaged("momentum", ones, "v", beta=beta),
        impulse=_averaged("momentum", impulse, "v", beta=beta),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def cached_moving_averages(beta: float) -> EmaSeries:
    """The page's stream and its averages for ``beta``."""
    return averages_of(gradient_stream(), beta)
