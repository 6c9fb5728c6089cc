"""A cloud of noisy runs: one run per seed (``optimizers.run(..., seed=np.arange(K))``), summarised.

The median run is taken step by step over the seeds still running:

    θ̃ₜ = median_k θₜ⁽ᵏ⁾ (per coordinate),  f̃ₜ = median_k f(θₜ⁽ᵏ⁾)  (a diverged seed counts as f = +∞)

and it ends (diverges) at the first step where more than half of the seeds have diverged, since a
median of the survivors alone would hide the blow-ups. Every optimizer sees the same noise for the
same seed, so two clouds can be compared seed by seed (``wins``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

BAND = (0.1, 0.9)  # the loss band: the 10th to the 90th percentile over seeds


@dataclass(frozen=True)
class Cloud:
    """K runs of one optimizer: paths ``(T + 1, K, 2)``, losses ``(T + 1, K)``, and their median run."""

    path: np.ndarray
    loss: np.ndarray
    diverged_at: np.ndarray  # (K,), −1 for never
    median_path: np.ndarray  # (T + 1, 2), NaN once most seeds have diverged
    median_loss: np.ndarray  # (T + 1,)
    band: np.ndarray  # (2, T + 1): the BAND percentiles of the loss, +∞ where that many seeds diverged
    median_diverged_at: int  # the first step where more than half the seeds have diverged, −1 for never
    final_loss: np.ndarray  # (K,): each seed's last loss, +∞ for a seed that diverged
    best_loss: np.ndarray  # (K,): each seed's lowest loss on the way (+∞ if none was finite)

    @property
    def seeds(self) -> int:
        return len(self.diverged_at)

    @property
    def diverged(self) -> int:
        return int(np.count_nonzero(self.diverged_at >= 0))

    def thinned(self, steps: np.ndarray) -> Cloud:
        """The same cloud with every seed's path and loss kept at ``steps`` only (the summaries stay whole)."""
        return replace(self, path=self.path[steps], loss=self.loss[steps])


def cloud(path: np.ndarray, loss: np.ndarray, diverged_at: np.ndarray) -> Cloud:
    """The cloud of a seed batch's path ``(T + 1, K, 2)``, loss ``(T + 1, K)`` and ``diverged_at`` ``(K,)``."""
    alive = np.isfinite(loss)
    majority = 2 * alive.sum(axis=1) > loss.shape[1]
    ranked = np.where(alive, loss, np.inf)
    # inverted_cdf picks an actual seed's value: no interpolation between a finite loss and +∞.
    median_loss = np.quantile(ranked, 0.5, axis=1, method="inverted_cdf")
    band = np.quantile(ranked, BAND, axis=1, method="inverted_cdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN steps, masked just below
        median_path = np.nanmedian(path, axis=1)
    median_path[~majority] = np.nan
    median_loss = np.where(majority, median_loss, np.nan)
    ended = np.flatnonzero(~majority)
    diverged_at = np.asarray(diverged_at)
    return Cloud(path, loss, diverged_at, median_path, median_loss, band, int(ended[0]) if ended.size else -1,
                 np.where(diverged_at < 0, ranked[-1], np.inf), ranked.min(axis=0))


def wins(first: Cloud, second: Cloud) -> int:
    """On how many seeds ``first`` ended lower than ``second`` (the same seed gives both the same noise)."""
    return int(np.count_nonzero(first.final_loss < second.final_loss))
