"""A count of events per denominator (per 1 000 inwoners): tested against Poisson limits."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Figures, Limits
from zichtop.method.kinds import counts
from zichtop.method.significance import funnel


class Rate:
    name = "rate"
    label = "rate (Poisson limits)"
    label_nl = "aantal per noemer (Poisson-grenzen)"
    decimals = 2
    has_denominator = True
    counted = True
    cbs_empty_needs_base = False  # a count per inhabitants: CBS's empty count says it all

    value = staticmethod(counts.value)

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        return counts.hidden(numerator, denominator)

    def pool(self, members: Array, numerator: Array, denominator: Array, weight: Array,
             scale: float) -> tuple[Array, Array, Array]:
        return counts.pool(members, numerator, denominator, scale)

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        return counts.rounded_reference(numerator, denominator, scale)

    def null(self, denominator: Array, reference: Array | float,
             scale: float) -> tuple[Array, Array]:
        """Poisson(den x ref / scale): the variance is the expected count."""
        expected = np.asarray(denominator, float) * (np.asarray(reference, float) / scale)
        return expected, expected

    def limits(self, denominator: Array, reference: Array | float, scale: float) -> Limits:
        expected = np.asarray(denominator, float) * (np.asarray(reference, float) / scale)
        return {name: (statistics.poisson_quantile(low, expected),
                       statistics.poisson_quantile(high, expected))
                for name, (low, high) in statistics.LIMITS.items()}


    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        return funnel(self, figures, reference, rounding, tested_over)


KIND = Rate()
