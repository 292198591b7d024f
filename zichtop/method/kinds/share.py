"""A count out of a larger count (% of dwellings): tested against binomial limits."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Limits
from zichtop.method.kinds.counts import Counts


class Share(Counts):
    name = "share"
    label = "share (binomial limits)"
    label_nl = "aandeel (binomiale grenzen)"
    decimals = 1

    def null(self, denominator: Array, reference: Array | float,
             scale: float) -> tuple[Array, Array]:
        """Binomial(den, ref / scale)."""
        p = np.asarray(reference, float) / scale
        expected = np.asarray(denominator, float) * p
        return expected, expected * (1 - p)

    def limits(self, denominator: Array, reference: Array | float, scale: float,
               at_least: Array | float = 0.0) -> Limits:
        trials = np.round(np.asarray(denominator, float))
        least = np.broadcast_to(np.asarray(at_least, float), trials.shape)
        p = np.broadcast_to(np.asarray(reference, float) / scale, trials.shape)
        # one reference for all, or one per area (a group's, the neighbours')
        return {name: (statistics.binomial_quantile(low, trials, p),
                       statistics.binomial_quantile(high, trials, p, least))
                for name, (low, high) in statistics.LIMITS.items()}


KIND = Share()
