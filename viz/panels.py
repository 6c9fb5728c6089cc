"""Small contour panels with one run each, titled with where the run ended."""

from __future__ import annotations

from dataclasses import replace

from .contour import Grid, contour_axes, contour_trace, head_trace, markers, path_trace
from .figure import SpecFigure
from .paths import RunPath


def panel_title(title: str, run: RunPath) -> str:
    """The panel's name and its final loss f(θ_T), or the step where it diverged."""
    if run.diverged_at >= 0:
        return f"{title}: diverged at step {run.diverged_at}"
    return f"{title}: f = {float(run.loss[-1]):.2g}"


def panel_figure(landscape, g: Grid, run: RunPath, start, title: str, height: int = 310) -> SpecFigure:
    """One run's path over the contours, compact enough for four on a screen."""
    run = replace(run, dash="solid")  # one run per panel: a dash tells nothing apart and blurs a short zigzag
    data = [contour_trace(g), path_trace(run, showlegend=False), head_trace(run, len(run.path) - 1),
            *markers(landscape, start)]
    axes = contour_axes(landscape.bounds)
    axes["xaxis"]["title"] = axes["yaxis"]["title"] = None
    axes["yaxis"].update(scaleanchor="x", constrain="domain")
    axes["xaxis"]["constrain"] = "domain"
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 32, "b": 10}, "showlegend": False,
              "title": {"text": panel_title(title, run), "font": {"size": 14}, "x": 0.02, "y": 0.97},
              "dragmode": "pan", **axes}
    return SpecFigure({"data": data, "layout": layout})

