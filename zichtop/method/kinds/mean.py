"""A published average (WOZ value, % of dwellings as a mean): the index of the means, no test;
members pool as the mean weighted by the declared weight (else by inhabitants); the country's
reference is CBS's own average where it publishes one."""

from __future__ import annotations

import numpy as np

from zichtop.method.hookspecs import Array, Figures
from zichtop.method.privacy import is_suppressed
from zichtop.method.significance import no_test


class Mean:
    name = "mean"
    label = "published mean (index of means, no test)"
    label_nl = "gepubliceerd gemiddelde (geen toets)"
    decimals = 2
    has_denominator = False
    counted = False
    cbs_empty_needs_base = True  # a mean has no base: CBS's empty value is "geen gegevens"
    pools = True

    def value(self, numerator: Array, denominator: Array, scale: float) -> Array:
        return np.asarray(numerator, float)

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        # no count to protect; an average over too few inhabitants is not shown
        return is_suppressed(np.full(np.shape(inhabitants), np.nan), inhabitants)

    def pool(self, members: Array, numerator: Array, denominator: Array, weight: Array,
             scale: float) -> tuple[Array, Array, Array]:
        use = ~np.isnan(weight) & ~np.isnan(numerator)
        total = members @ np.where(use, weight, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(total > 0, (members @ np.where(use, numerator * weight, 0.0))
                             / total, np.nan)
        none = np.full(len(value), np.nan)
        return value, none, none

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        if not np.isnan(published):
            return published
        known = ~np.isnan(numerator) & ~np.isnan(weight)
        total = weight[known].sum()
        return float((numerator[known] * weight[known]).sum() / total) if total > 0 else np.nan

    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        return no_test(figures)  # no count of events: no funnel


KIND = Mean()
