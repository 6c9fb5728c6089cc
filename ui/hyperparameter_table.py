"""The hyperparameter page: the article's table of AdamW's knobs, each with a Playground view that shows it.

Every prepared view holds all but one knob at a value where the difference is easy to see and
varies that one; the views are plain data, so their links are testable without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import optimizers

from .controls import fmt, hyperparameter_input
from .links import playground_link
from .share import BIND
from .view import RunSpec, View

PREFIX = "hyperparameters"
OPTIMIZER = "adamw"
LANDSCAPE = "rosenbrock"
STEPS = 2000


@dataclass(frozen=True)
class Knob:
    """One row of the article's table and the view that shows what the knob does."""

    name: str
    description: str
    common: float
    demo: str
    explanation: str
    view: View


def _compare(name: str, values: tuple[float, ...], optimizer: str = "adam", landscape: str = LANDSCAPE,
             steps: int = 1000, extra: tuple[RunSpec, ...] = (), **fixed: float) -> View:
    runs = tuple(RunSpec.of(optimizer, **fixed, **{name: value}) for value in values)
    return View(landscape=landscape, steps=steps, runs=runs + extra)


KNOBS = (
    Knob("lr", "Learning rate", 1e-3, "Adam, α = 0.001 · 0.01 · 0.1",
         "Rosenbrock, 1,000 steps: the smallest crawls, the largest reaches the minimum",
         _compare("lr", (1e-3, 1e-2, 1e-1))),
    Knob("beta1", "Momentum", 0.9, "Adam, β₁ = 0 · 0.9 · 0.99",
         "Rosenbrock, α = 0.02: no averaging, the usual, and so much averaging that it overshoots",
         _compare("beta1", (0.0, 0.9, 0.99), lr=0.02)),
    Knob("beta2", "RMSprop", 0.999, "Adam, β₂ = 0.9 · 0.999 · 0.9999",
         "Rosenbrock, α = 0.02: how fast the per-axis scale follows the gradient's size",
         _compare("beta2", (0.9, 0.999, 0.9999), lr=0.02)),
    Knob("eps", "Prevent division by 0", 1e-8, "Adam, ε = 1e-8 · 0.1 · 1",
         "Six-hump camel, α = 0.05: once ε outweighs √v̂, Adam is Momentum and lands where Momentum does",
         _compare("eps", (1e-8, 1e-1, 1.0), landscape="six_hump_camel", steps=200, lr=0.05,
                  extra=(RunSpec.of("momentum", lr=0.05),))),
    Knob("weight_decay", "Weight decay", 1e-2, "AdamW, λ = 0 · 0.1 · 1",
         "Rosenbrock, α = 0.05, 2,000 steps: the decay pulls the end point from (1, 1) towards the origin",
         _compare("weight_decay", (0.0, 0.1, 1.0), optimizer="adamw", steps=STEPS, lr=0.05)),
)


def input_key(name: str) -> str:
    return f"{PREFIX}_{name}"


def table() -> dict[str, float]:
    """The article's table, one row per knob with its current value and a link to its demo; the values."""
    spec = optimizers.get(OPTIMIZER)
    widths = [1.5, 0.9, 1.7, 2.6]
    for column, title in zip(st.columns(widths), ("Parameter", "Common value", "Your value", "See what it does"),
                             strict=True):
        column.markdown(f"**{title}**")
    values = {}
    for knob in KNOBS:
        hyperparameter = spec.hyperparameter(knob.name)
        parameter, common, value, demo = st.columns(widths, vertical_alignment="center")
        parameter.markdown(f"${hyperparameter.symbol}$ &nbsp; {knob.description}")
        common.markdown(f"`{fmt(knob.common)}`")
        with value:
            values[knob.name] = hyperparameter_input(hyperparameter, input_key(knob.name), bind=BIND,
                                                     default=knob.common)
        with demo:
            playground_link(knob.view, knob.demo, help=knob.explanation)
    return values


def current_view(values: dict[str, float]) -> View:
    """AdamW with the table's values on Rosenbrock: the Playground view of this page's figure."""
    return View(landscape=LANDSCAPE, steps=STEPS, runs=(RunSpec.of(OPTIMIZER, **values),))


def multiline_call(call: str) -> str:
    """``f(a, b=(1, 2))`` laid out one argument per line, as the article writes its AdamW example."""
    head, _, body = call.partition("(")
    arguments, depth, current = [], 0, ""
    for char in body[:-1]:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            arguments.append(current.strip())
            current = ""
        else:
            current += char
    arguments.append(current.strip())
    return head + "(\n" + "".join(f"    {argument},\n" for argument in arguments) + ")"


def pytorch_example(values: dict[str, float]) -> str:
    """The article's PyTorch AdamW example, generated from ``values`` by the optimizer's own spec."""
    # Every argument: the page is about each of them, defaults included.
    call = optimizers.get(OPTIMIZER).pytorch(optimizers.get(OPTIMIZER).settings(**values), every_argument=True)
    return "import torch\n\noptimizer = " + multiline_call(call) + "\n"
