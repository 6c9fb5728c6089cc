"""Widgets for hyperparameters: log-scale sliders where a knob spans decades."""

from __future__ import annotations

import numpy as np
import streamlit as st

from optimizers.spec import Hyperparameter

from .share import bound_default, url_number

BETA_STEPS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999,
              0.9995, 0.9999)


def log_grid(low: float, high: float, mantissas=(1.0, 2.0, 5.0)) -> list[float]:
    """Round numbers from ``low`` to ``high``: 1, 2, 5 per decade (or the given mantissas)."""
    decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    values = [float(f"{m * 10.0 ** e:.6g}") for e in decades for m in mantissas]
    return [v for v in values if low * (1 - 1e-9) <= v <= high * (1 + 1e-9)]


def options(h: Hyperparameter, current: float) -> list[float]:
    """The values a slider offers for ``h``, always including ``current`` (from a link, say)."""
    low, high = h.slider
    if h.name == "lr":
        grid = log_grid(low, high, (1.0, 1.5, 2.0, 3.0, 5.0, 7.0))
    elif h.name == "eps":
        grid = log_grid(low, high, (1.0, 3.0))
    elif h.log:
        grid = [0.0, *log_grid(low, high)]
    elif h.high == 1.0 and not h.high_inclusive:
        grid = list(BETA_STEPS)
    else:
        grid = [float(v) for v in np.round(np.linspace(low, high, 21), 6)]
    return sorted({*grid, float(current)})


def fmt(value: float) -> str:
    return f"{value:g}"


def _linked_value(h: Hyperparameter, key: str) -> float | None:
    """The link's value for ``key`` if it is valid for ``h``: the slider then offers it even off its grid."""
    value = url_number(key)
    try:
        return float(h.validate(value)) if value is not None else None
    except ValueError:
        return None


def hyperparameter_input(h: Hyperparameter, key: str, label_prefix: str = "", persist: bool = False,
                         bind: str | None = None, default: float | bool | None = None) -> float | bool:
    """A checkbox for a switch, else a select-slider over ``options`` (log-spaced where it suits).

    ``persist`` keeps the value in the session while the widget is not drawn (e.g. in a closed expander);
    ``bind=share.BIND`` keeps it in the URL parameter named ``key``, leaving it out while it equals
    ``default`` (the page's default for it; the knob's own if None).
    """
    label = f"{label_prefix}{h.name} ${h.symbol}$"
    scope = "session" if persist else None
    own = {"value": bound_default(key, h.default if default is None else default)} if bind else {}
    if h.kind == "bool":
        return st.checkbox(h.name, key=key, help=h.help, persist_state=scope, bind=bind, **own)
    value = st.session_state.get(key, h.default)
    offered = options(h, value)
    if own:
        offered = sorted({*offered, own["value"]})
        if (linked := _linked_value(h, key)) is not None:
            offered = sorted({*offered, linked})
    return st.select_slider(label, options=offered, key=key, format_func=fmt, help=h.help,
                            persist_state=scope, bind=bind, **own)
