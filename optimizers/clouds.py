"""A cloud of noisy runs: one run per seed (``optimizers.run(..., seed=np.arange(K))``), summarised.

The median run is an actual seed's run: the one whose final loss is the median over the seeds (the
lower middle for an even K; a diverged seed counts as f = +∞, so the median run diverges exactly when
at least half the seeds do). A per-coordinate median of the paths would be smoother, but where the
seeds split (a saddle, escaped upwards by some and downwards by others) it is a path no seed took.
The loss band is taken step by step: the 10th and 90th percentiles of f(θₜ⁽ᵏ⁾) over k. Every optimizer
sees the same noise for the same seed, so two clouds can be compared seed by seed (``wins``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

BAND = (0.1, 0.9)  # the loss band: the 10th to the 90th percentile over seeds


@dataclass(frozen=True)
class Cloud:
    """K runs of one optimizer: paths ``(T + 1, K, 2)``, losses ``(T + 1, K)``, and their median run."""

    path: np.ndarray
    loss: np.ndarray
    diverged_at: np.ndarray  # (K,), −1 for never
    median_seed: int  # the index (0 … K − 1) of the seed whose final loss is the median
    median_path: np.ndarray  # (T + 1, 2): that seed's path
    median_loss: np.ndarray  # (T + 1,): and its loss
    band: np.ndarray  # (2, T + 1): the BAND percentiles of the loss, +∞ where that many seeds diverged
    final_loss: np.ndarray  # (K,): each seed's last loss, +∞ for a seed that diverged
    best_loss: np.ndarray  # (K,): each seed's lowest loss on the way (+∞ if none was finite)

    @property
    def seeds(self) -> int:
        return len(self.diverged_at)

    @property
    def diverged(self) -> int:
        return int(np.count_nonzero(self.diverged_at >= 0))

    @property
    def median_diverged_at(self) -> int:
        return int(self.diverged_at[self.median_seed])

    def thinned(self, steps: np.ndarray) -> Cloud:
        """The same cloud with every seed's path and loss kept at ``steps`` only (what a faint cloud draws);
        the median run, the band and the summaries stay whole."""
        return replace(self, path=self.path[steps], loss=self.loss[steps])


def cloud(path: np.ndarray, loss: np.ndarray, diverged_at: np.ndarray) -> Cloud:
    """The cloud of a seed batch's path ``(T + 1, K, 2)``, loss ``(T + 1, K)`` and ``diverged_at`` ``(K,)``."""
    diverged_at = np.asarray(diverged_at)
    ranked = np.where(np.isfinite(loss), loss, np.inf)
    # inverted_cdf picks an actual seed's value: no interpolation between a finite loss and +∞.
    band = np.quantile(ranked, BAND, axis=1, method="inverted_cdf")
    final = np.where(diverged_at < 0, ranked[-1], np.inf)
    median_seed = int(np.argsort(final, kind="stable")[(len(final) - 1) // 2])
    return Cloud(path, loss, diverged_at, median_seed, path[:, median_seed], loss[:, median_seed], band, final,
                 ranked.min(axis=0))


def wins(first: Cloud, second: Cloud) -> int:
    """On how many seeds ``first`` ended lower than ``second`` (the same seed gives both the same noise)."""
    return int(np.count_nonzero(first.final_loss < second.final_loss))
