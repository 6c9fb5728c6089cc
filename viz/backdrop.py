"""The landscape as a picture behind the Playground's paths: filled contour bands drawn once into a PNG.

A contour trace puts the whole grid into every figure the server sends and makes plotly.js trace
the contour lines again on every redraw; measured with benchmarks/browser.py it was most of the
~520 kB sent per slider change. The picture is served as a file (its URL is what the figure
carries), so the browser fetches it once per landscape and the paths redraw over it.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from .contour import Grid
from .figure import Spec

LEVELS = 30
LIGHTEST, DARKEST = 255, 190  # lighter than the contour trace's #a8a8a8: six runs' colours sit on top
LINE_LIGHTEN = 0.35  # contour lines: the band's grey moved this far towards white


def bands(z: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """The band (0 … levels − 1) each finite value falls in, evenly spaced over its range; −1 where not finite."""
    finite = np.isfinite(z)
    if not finite.any():
        return np.full(z.shape, -1)
    low, high = float(np.min(z[finite])), float(np.max(z[finite]))
    scaled = (np.where(finite, z, low) - low) / ((high - low) or 1.0)
    return np.where(finite, np.minimum((scaled * levels).astype(int), levels - 1), -1)


def contour_pixels(g: Grid, levels: int = LEVELS) -> tuple[np.ndarray, np.ndarray]:
    """(grey, alpha) uint8 images of ``g``, top row = highest y: banded fill, lighter band edges,
    transparent where f is undefined (a typed function's domain shows as white)."""
    band = bands(np.asarray(g.z, dtype=np.float64), levels)[::-1]
    grey = LIGHTEST - (LIGHTEST - DARKEST) * np.maximum(band, 0) / max(levels - 1, 1)
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    grey = np.where(edge, grey + LINE_LIGHTEN * (LIGHTEST - grey), grey)
    alpha = np.where(band >= 0, 255, 0)
    return grey.round().astype(np.uint8), alpha.astype(np.uint8)


def png(grey: np.ndarray, alpha: np.ndarray) -> bytes:
    """A greyscale-with-alpha PNG (colour type 4) of two equally shaped uint8 images."""
    height, width = grey.shape
    rows = np.dstack([grey, alpha]).reshape(height, 2 * width)
    raw = np.hstack([np.zeros((height, 1), dtype=np.uint8), rows]).tobytes()  # filter byte 0 per row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 4, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def contour_png(g: Grid, levels: int = LEVELS) -> bytes:
    return png(*contour_pixels(g, levels))


def backdrop_image(source: str, bounds) -> Spec:
    """A layout image that fills the contour axes' view exactly, below the traces."""
    (x0, x1), (y0, y1) = bounds
    return {"source": source, "xref": "x", "yref": "y", "x": x0, "y": y1, "sizex": x1 - x0, "sizey": y1 - y0,
            "sizing": "stretch", "layer": "below", "xanchor": "left", "yanchor": "top", "name": "landscape"}
