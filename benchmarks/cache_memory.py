"""How much memory the app's caches can hold: bytes per entry at the largest settings, times max_entries.

Every cache is bounded by its number of entries; what an entry weighs depends on its arguments.
Each is measured at the largest settings its page allows (5,000 steps, a 200 × 200 map, …):
``shared_cache`` entries (ui/runs.py, kept as Python objects) by their arrays' and containers'
sizes, ``st.cache_data`` entries (kept pickled) by their pickle's length.

    python benchmarks/cache_memory.py
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import landscapes  # noqa: E402
from optimizers.sweeps import Axis  # noqa: E402
from ui import clouds, curvature, ema_stream, inside_adam, runs, sweeps_runs  # noqa: E402
from ui.sweeps_view import CurvesRequest, MapRequest, compute_curves, compute_map  # noqa: E402
from ui.view import MAX_CLOUD, MAX_NOISE, MAX_STEPS, View  # noqa: E402


def deep_bytes(value, seen: set[int] | None = None) -> int:
    """Memory held by ``value``: arrays by their buffers, containers and dataclasses with their contents."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes + sys.getsizeof(np.empty(0))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        return size + sum(deep_bytes(k, seen) + deep_bytes(v, seen) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(deep_bytes(item, seen) for item in value)
    fields = getattr(value, "__dataclass_fields__", None) or getattr(value, "__slots__", ())
    return size + sum(deep_bytes(getattr(value, name), seen) for name in fields if hasattr(value, name))


def max_entries(cached) -> int:
    """The entry limit of a shared_cache (functools) or st.cache_data function."""
    if hasattr(cached, "cache_parameters"):
        return cached.cache_parameters()["maxsize"]
    return cached._info.max_entries


def row(name: str, cached, entry_bytes: int, what: str) -> int:
    limit = max_entries(cached)
    print(f"| {name} | {what} | {entry_bytes / 1e3:,.0f} kB | {limit} | {entry_bytes * limit / 1e6:,.1f} MB |")
    return entry_bytes * limit


def main() -> None:
    view = View(steps=MAX_STEPS)
    landscape = runs.build_landscape(runs.landscape_key(view))
    arguments, label, color = next(runs.each_run(view, landscape, None))
    key = runs.landscape_key(view)
    # Noise makes a jagged path, whose simplified trace keeps the most points (too much leaves the view).
    layers = max(deep_bytes(runs._cached_layers((*arguments[:5], noise, *arguments[6:]), label, color, "diverged"))
                 for noise in (0.0, 0.3, 1.0, 3.0, MAX_NOISE))
    keys = [(name, (), "") for name in landscapes.names()]
    print("| cache | entry at its largest | bytes per entry | max_entries | at most |\n|---|---|---|---|---|")
    total = row("Playground run (`cached_run`)", runs.cached_run, deep_bytes(runs.cached_run(*arguments)),
                f"{MAX_STEPS:,} steps")
    total += row("Playground figure layers (`_cached_layers`)", runs._cached_layers,
                 layers, f"{MAX_STEPS:,} steps, the noise that weighs most")
    noisy = (*arguments[:5], 1.0, *arguments[6:])
    total += row("Playground cloud (`cached_cloud`)", clouds.cached_cloud,
                 deep_bytes(clouds.cached_cloud(noisy, MAX_CLOUD)), f"{MAX_CLOUD} seeds × {MAX_STEPS:,} steps")
    total += row("Playground sharpness (`cached_sharpness`)", curvature.cached_sharpness,
                 deep_bytes(curvature.cached_sharpness(arguments)), f"{MAX_STEPS:,} steps")
    total += row("contour grid (`cached_grid`)", runs.cached_grid,
                 max(deep_bytes(runs.cached_grid(k)) for k in keys), "largest landscape")
    total += row("landscape picture (`_backdrop_png`)", runs._backdrop_png,
                 max(deep_bytes(runs._backdrop_png(k)) for k in keys), "largest landscape, 480 px")
    adam = inside_adam._recorded_adam.__wrapped__(key, (-1.5, 2.0), max(inside_adam.STEP_CHOICES), 0.05, 0.9, 0.999,
                                                  1e-8, True)
    total += row("Inside Adam's run (`_recorded_adam`, pickled)", inside_adam._recorded_adam, len(pickle.dumps(adam)),
                 f"{max(inside_adam.STEP_CHOICES):,} steps, every state")
    start = tuple(float(v) for v in landscape.start)
    # A map's memory does not depend on its steps: each cell keeps five numbers.
    side = 200
    request = MapRequest(key, start, 10, "adam", Axis("lr", 1e-4, 1.0, side, True),
                         Axis("beta1", 0.0, 0.99, side, False), (), 1e-3)
    total += row("Sweeps map (`_cached_map`, pickled)", sweeps_runs._cached_map,
                 len(pickle.dumps(compute_map(request))), f"{side} × {side} cells")
    curves = CurvesRequest(key, start, 10, ("sgd", "momentum", "rmsprop", "adam", "adamw", "nadam"),
                           Axis("lr", 1e-4, 10.0, 100, True), 1.0, 20)
    total += row("Sweeps curves (`_cached_curves`, pickled)", sweeps_runs._cached_curves,
                 len(pickle.dumps(compute_curves(curves))), "6 optimizers × 100 α × 20 seeds")
    total += row("Moving averages (`cached_moving_averages`, pickled)", ema_stream.cached_moving_averages,
                 len(pickle.dumps(ema_stream.cached_moving_averages.__wrapped__(0.9))), "any β")
    print(f"\nThese caches together: at most {total / 1e6:,.0f} MB (Fair fight's, L2 vs weight decay's and From SGD to "
          "Adam's small caches are not counted).")


if __name__ == "__main__":
    main()
