"""An amount per denominator (euro per inwoner): no count of events, so no funnel test; the
small-number rule reads only the base."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Figures
from zichtop.method.kinds import counts
from zichtop.method.significance import no_test


class Ratio:
    name = "ratio"
    label = "ratio (no test)"
    label_nl = "bedrag per noemer (geen toets)"
    decimals = 2
    has_denominator = True
    counted = False
    cbs_empty_needs_base = True

    value = staticmethod(counts.value)

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        return counts.hidden(np.full(np.shape(denominator), np.nan), denominator)

    def pool(self, members: Array, numerator: Array, denominator: Array, weight: Array,
             scale: float) -> tuple[Array, Array, Array]:
        return counts.pool(members, numerator, denominator, scale)

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        # an amount, not a count: nothing to read back, so not rounded
        return statistics.national_rate(numerator, denominator, scale)

    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        return no_test(figures)  # no count of events: no funnel


KIND = Ratio()
