"""A count of events per denominator (per 1 000 inwoners): tested against Poisson limits."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Limits
from zichtop.method.kinds.counts import Counts


class Rate(Counts):
    name = "rate"
    label = "rate (Poisson limits)"
    label_nl = "aantal per noemer (Poisson-grenzen)"
    cbs_empty_needs_base = False  # a count per inhabitants: CBS's empty count says it all

    def null(self, denominator: Array, reference: Array | float,
             scale: float) -> tuple[Array, Array]:
        """Poisson(den x ref / scale): the variance is the expected count."""
        expected = np.asarray(denominator, float) * (np.asarray(reference, float) / scale)
        return expected, expected

    def limits(self, denominator: Array, reference: Array | float, scale: float,
               at_least: Array | float = 0.0) -> Limits:
        expected = np.asarray(denominator, float) * (np.asarray(reference, float) / scale)
        # only the upper limit is conditioned: a shown count below its expectation implies a
        # large expectation, where being shown is almost certain anyway
        return {name: (statistics.poisson_quantile(low, expected),
                       statistics.poisson_quantile(high, expected, at_least))
                for name, (low, high) in statistics.LIMITS.items()}


KIND = Rate()
