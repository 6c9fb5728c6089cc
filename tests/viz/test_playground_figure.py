"""The Playground figure's parts, from arrays: simplified paths, cut divergences, the loss axis, the replay."""

import json
import struct
import zlib

import numpy as np
import pytest

import landscapes
import optimizers
from viz.backdrop import backdrop_image, bands, contour_png
from viz.contour import grid
from viz.figure import decode
from viz.paths import RunPath, edge_point, simplify
from viz.playground import loss_axis, playground_figure, replay_steps, run_layers, shown_path


def run_path(optimizer: str, land, steps: int = 1000, label: str | None = None, **settings) -> RunPath:
    t = optimizers.run(optimizer, land, steps=steps, **settings)
    return RunPath(label or optimizer, "#0072B2", t.path, t.loss, int(t.diverged_at))


def test_simplify_keeps_ends_and_stays_within_tolerance():
    x = np.linspace(0, 1, 2001)
    points = np.stack([x, 0.01 * np.sin(40 * x)], axis=-1)
    kept = simplify(points, 1e-3)
    assert kept[0] == 0 and kept[-1] == len(points) - 1 and len(kept) < 300
    line = np.interp(x, x[kept], points[kept, 1])
    assert np.max(np.abs(line - points[:, 1])) <= 1e-3 + 1e-12


def test_simplify_keeps_a_zigzag_it_can_see():
    zigzag = np.stack([np.arange(50.0), np.tile([0.0, 1.0], 25)], axis=-1)
    assert len(simplify(zigzag, 0.1)) == 50


def test_a_diverged_path_stops_at_the_view_edge():
    land = landscapes.get("quadratic", condition=100.0)
    run = run_path("sgd", land, lr=0.03)
    assert run.diverged_at > 0
    points, cross = shown_path(run, land.bounds)
    (x0, x1), (y0, y1) = land.bounds
    assert np.all((points[:, 0] >= x0 - 1e-9) & (points[:, 0] <= x1 + 1e-9))
    assert np.all((points[:, 1] >= y0 - 1e-9) & (points[:, 1] <= y1 + 1e-9))
    assert np.array_equal(cross, points[-1])
    assert min(abs(cross[0] - x0), abs(cross[0] - x1), abs(cross[1] - y0), abs(cross[1] - y1)) < 1e-9


def test_edge_point_lies_on_the_segment_and_the_edge():
    point = edge_point(np.array([0.0, 0.0]), np.array([4.0, 1.0]), ((-2, 2), (-2, 2)))
    np.testing.assert_allclose(point, [2.0, 0.5])


def test_loss_axis_is_capped_to_the_runs_that_did_not_diverge():
    land = landscapes.get("quadratic", condition=100.0)
    layers = [run_layers(run_path("sgd", land, lr=0.03), land.minimum_value, 1000, land.bounds),
              run_layers(run_path("momentum", land, lr=0.01), land.minimum_value, 1000, land.bounds)]
    axis = loss_axis(layers, log=True)
    bottom, top = axis["range"]
    assert top <= 3  # the diverged SGD reaches 1e10 and more; Momentum starts near 10
    assert (top - bottom) / axis["dtick"] <= 8 + 1


def test_replay_has_200_frames_for_1000_steps_and_every_step_when_fewer():
    assert len(replay_steps(1000)) == 201 and replay_steps(1000)[-1] == 1000
    assert list(replay_steps(50)) == list(range(51))


def test_the_replay_moves_only_the_markers_and_keeps_the_landscape():
    land = landscapes.get("rosenbrock")
    runs = [run_path("adam", land, lr=0.05, label="Adam"), run_path("momentum", land, lr=0.01, label="Momentum")]
    layers = [run_layers(run, land.minimum_value, 1000, land.bounds) for run in runs]
    spec = playground_figure(land, backdrop_image("/media/x.png", land.bounds), layers, (-1.5, 2.0), 1000).spec
    assert spec["layout"]["images"][0]["source"] == "/media/x.png"
    assert len(spec["frames"]) == 201
    moved = {index for frame in spec["frames"] for index in frame["traces"]}
    assert all(spec["data"][index]["mode"] == "markers" for index in moved) and len(moved) == 2
    middle = spec["frames"][100]
    assert middle["data"][0]["x"][0] == pytest.approx(runs[0].path[500, 0], rel=1e-4)
    assert middle["data"][1]["x"] == [500, 500]
    assert len(json.dumps(spec)) < 100_000
    momentum = next(t for t in spec["data"] if t.get("name") == "Momentum")
    assert len(decode(momentum["x"])) < 400


def test_backdrop_is_a_png_with_the_bands_of_the_grid():
    g = grid(landscapes.get("himmelblau"), 64)
    data = contour_png(g)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (64, 64)
    length = struct.unpack(">I", data[33:37])[0]
    raw = np.frombuffer(zlib.decompress(data[41:41 + length]), dtype=np.uint8).reshape(64, 1 + 128)
    grey = raw[:, 1::2]
    assert grey.min() < 220 and grey.max() == 255


def test_bands_mark_undefined_values():
    z = np.array([[0.0, 1.0], [np.nan, 0.5]])
    assert bands(z, 10).tolist() == [[0, 9], [-1, 5]]
