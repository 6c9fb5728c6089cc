"""Figures as plain Plotly specs (dicts), handed to Streamlit without re-validation.

Plotly's graph objects validate every property on construction: the Playground's replay
(hundreds of animation traces) took about 4 s to build that way against a few ms as dicts.
So figure builders return dicts with arrays packed as typed binary (``{"dtype", "bdata"}``,
which plotly.js 3 reads natively), and ``SpecFigure`` wraps such a dict for ``st.plotly_chart``.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

Spec = dict[str, Any]


def typed(values, dtype=np.float32) -> dict[str, str]:
    """An array as plotly.js typed-array JSON: 4 bytes a number instead of ~18 characters."""
    array = np.ascontiguousarray(values, dtype=dtype)
    code = {np.dtype(np.float32): "f4", np.dtype(np.float64): "f8", np.dtype(np.int32): "i4"}[array.dtype]
    spec = {"dtype": code, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
    if array.ndim == 2:
        spec["shape"] = f"{array.shape[0]}, {array.shape[1]}"
    return spec


def rounded(values, digits: int = 5) -> list[float | None]:
    """Short JSON numbers, e.g. for animation frames, which plotly.js takes as plain lists (NaN, ±∞ as null)."""
    return [float(f"{v:.{digits}g}") if math.isfinite(v) else None for v in np.asarray(values, dtype=float).tolist()]


def legend_below(**extra) -> dict:
    """A horizontal legend at the bottom of the figure: plotly.js grows the bottom margin to hold it, so it
    never lands on the x-axis title (a legend at a fraction of the plot's height below it did, wherever the
    plot was shorter than its domain or the text larger)."""
    return {"orientation": "h", "x": 0, "y": 0, "yref": "container", "yanchor": "bottom", **extra}


def corner_title(text: str, axes: str = "") -> dict:
    """An axis' name as a note in the top right corner of its panel (``axes`` is the subplot's suffix, "2" for
    x2/y2): where panels sit side by side, a rotated y title falls in the gap the tick labels need, and collides
    with the neighbouring panel at a projector's text size."""
    return {"text": text, "xref": f"x{axes} domain", "yref": f"y{axes} domain", "x": 1, "y": 1, "xanchor": "right",
            "yanchor": "top", "showarrow": False, "font": {"color": "#444"}, "bgcolor": "rgba(255,255,255,0.75)"}


def decode(value) -> np.ndarray:
    """The array behind a typed-array spec (or a plain list), e.g. to check a figure in tests."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = {"f4": np.float32, "f8": np.float64, "i4": np.int32}[value["dtype"]]
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        if "shape" in value:
            array = array.reshape([int(n) for n in value["shape"].split(",")])
        return array
    return np.asarray(value, dtype=np.float64)


class SpecFigure(go.Figure):
    """A prebuilt spec dressed as a Figure, so ``st.plotly_chart`` takes it as it is.

    ``st.plotly_chart`` and ``plotly.io.to_json`` only check that it is a Figure and call
    ``to_dict()``. ``go.Figure.__init__`` is not run: it copies Plotly's default template and
    took 3.5–4.3 ms for an empty figure, on every figure of every rerun. So none of go.Figure's
    own methods work on a SpecFigure; its spec is the figure.
    """

    def __init__(self, spec: Spec):  # go.Figure.__init__ is skipped on purpose (see above)
        self._spec = spec

    def __repr__(self) -> str:
        return f"SpecFigure({len(self._spec.get('data', []))} traces)"

    @property
    def spec(self) -> Spec:
        return self._spec

    def to_dict(self) -> Spec:
        return self._spec
