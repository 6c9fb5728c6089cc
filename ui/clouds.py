"""The Playground's clouds: K noisy runs per optimizer in one batched engine call, cached per run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers
from optimizers import schedules
from optimizers.clouds import Cloud, cloud
from viz.clouds import CloudRun, cloud_points, cloud_reading, cloud_table, distribution_figure
from viz.palette import run_color
from viz.paths import sample_indices
from viz.playground import RunLayers, run_layers

from .markdown import escape_markdown
from .presentation import chart
from .runs import TOLERANCE, build_landscape, read_only, shared_cache, styled_path
from .view import View

CHOICES = (0, 8, 16, 32, 64, 100)


def active(view: View) -> bool:
    """A cloud needs more than one seed and gradient noise (without noise every seed takes the same path)."""
    return view.cloud > 1 and view.noise > 0


@shared_cache(max_entries=32)
def cached_cloud(arguments: tuple, seeds: int) -> Cloud:
    """Seeds seed … seed + K − 1 of one run as one engine call; kept thinned to what the figure draws."""
    optimizer, overrides, key, start, steps, noise, seed, schedule = arguments
    t = optimizers.run(optimizer, build_landscape(key), start=start, steps=steps, noise=noise,
                       seed=seed + np.arange(seeds), schedule=schedules.make(schedule, steps), **dict(overrides))
    shown = cloud(t.path, t.loss, t.diverged_at).thinned(sample_indices(steps, cloud_points(seeds)))
    read_only(*(value for value in vars(shown).values() if isinstance(value, np.ndarray)))
    return shown


@dataclass(frozen=True)
class Clouds:
    """The median runs' figure layers and every run's cloud, in run order."""

    layers: list[RunLayers]
    runs: list[CloudRun]


def playground_clouds(view: View, each: list[tuple[tuple, str, int]]) -> Clouds:
    """Each run's cloud and the layers of its median run (which the replay follows); ``each`` holds every
    run's (cache arguments, label, colour slot) as ``ui.runs.each_run`` gives them."""
    landscape = build_landscape(each[0][0][2])
    layers, runs = [], []
    for argument, label, color in each:
        shown = cached_cloud(argument, view.cloud)
        median = styled_path(label, color, shown.median_path, shown.median_loss, shown.median_diverged_at)
        layers.append(run_layers(median, landscape.minimum_value, view.steps, landscape.bounds))
        runs.append(CloudRun(label, run_color(color), shown))
    return Clouds(layers, runs)


def results(runs: list[CloudRun], landscape) -> None:
    """The reading (who is better, seed by seed), the spread of final losses, and the table."""
    st.markdown(f"**{escape_markdown(cloud_reading(runs))}**")
    chart(distribution_figure(runs, landscape.minimum_value), config={"displaylogo": False})
    st.dataframe(cloud_table(runs, landscape.minimum_value, TOLERANCE), hide_index=True, width="stretch")
    target = "f − f*" if landscape.minimum_value is not None else "f"
    st.caption(f"Every optimizer sees the same noise for the same seed, so “beat on k of K seeds” compares like "
               f"with like. Reached tolerance: {target} ≤ {TOLERANCE:g} at some step. The bold path is the median "
               "run: the seed whose final loss is the median (a real run, so where the seeds split, as at a "
               "saddle, it follows one side); the band on the loss plot spans the 10th to the 90th percentile.")
