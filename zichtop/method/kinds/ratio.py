"""An amount per denominator (euro per inwoner): no count of events, so no funnel test; the
small-number rule reads only the base, and the country's reference is not rounded (an amount,
not a count: nothing to read back)."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Figures
from zichtop.method.kinds.counts import Counts
from zichtop.method.significance import no_test


class Ratio(Counts):
    name = "ratio"
    label = "ratio (no test)"
    label_nl = "bedrag per noemer (geen toets)"
    counted = False

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        return super().hidden(np.full(np.shape(denominator), np.nan), denominator, inhabitants)

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        return statistics.national_rate(numerator, denominator, scale)

    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        return no_test(figures)


KIND = Ratio()
