"""Colours that tell runs apart, also for colour-blind readers (Okabe & Ito 2008)."""

RUN_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
RUN_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
RUN_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon", "star")
# Light greys, low values lightest: every run colour stays readable on top.
CONTOUR_SCALE = [[0.0, "#ffffff"], [1.0, "#a8a8a8"]]
START_COLOR = "#222222"
MINIMUM_COLOR = "#E6B800"


def run_color(index: int) -> str:
    return RUN_COLORS[index % len(RUN_COLORS)]
