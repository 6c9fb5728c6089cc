"""The cloud's table and reading, from hand-made clouds."""

import numpy as np

from optimizers.clouds import cloud
from viz.clouds import CloudRun, cloud_reading, cloud_table, distribution_figure


def _run(label: str, finals: list[float], diverged: list[int] | None = None) -> CloudRun:
    k = len(finals)
    loss = np.vstack([np.full(k, 10.0), np.asarray(finals, dtype=float)])
    at = np.asarray(diverged if diverged is not None else [-1] * k)
    loss[1, at >= 0] = np.nan
    path = np.zeros((2, k, 2))
    path[1, at >= 0] = np.nan
    return CloudRun(label, "#0072B2", cloud(path, loss, at))


def test_a_clear_winner_on_most_seeds():
    adam = _run("Adam", [0.1, 0.2, 0.3, 0.4, 0.5])
    sgd = _run("SGD", [1.0, 2.0, 3.0, 4.0, 0.05])
    text = cloud_reading([sgd, adam])
    assert text.startswith("Over 5 seeds, Adam ended lowest at the median; it beat SGD on 4 of 5 seeds")
    assert "a difference the noise does not explain" in text


def test_a_close_call_says_either_order_is_possible():
    a = _run("A", [0.1, 0.2, 0.3, 0.9, 0.8])
    b = _run("B", [0.2, 0.1, 0.4, 0.3, 0.7])
    assert "close enough that one seed's run could show either order" in cloud_reading([a, b])


def test_diverged_seeds_are_counted_apart_everywhere():
    run = _run("SGD", [0.1, 0.2, 0.3, 0.4], diverged=[-1, -1, 1, 1])
    row = cloud_table([run], 0.0, 1e-3).iloc[0]
    assert row["diverged"] == "2 of 4" and row["10–90% of seeds"] == "0.1 – diverged"
    assert "SGD diverged on 2 of 4 seeds" in cloud_reading([run])
    box = distribution_figure([run], 0.0).to_dict()["data"][0]
    assert box["name"] == "SGD<br>2 of 4 diverged"


def test_every_seed_diverged():
    run = _run("SGD", [1.0, 1.0, 1.0], diverged=[1, 1, 1])
    assert cloud_table([run], None, 1e-3).iloc[0]["10–90% of seeds"] == "—"
    assert cloud_reading([run]) == "Over 3 seeds, every optimizer diverged on most of them."
