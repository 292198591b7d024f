"""What the kinds that divide one amount by another share (rate, share, ratio): a value is
numerator over denominator times the scale, members pool by summing both (never the mean of
their rates), and the country's reference is summed counts over summed denominators."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Figures, Limits
from zichtop.method.privacy import MIN_NUMERATOR, is_suppressed
from zichtop.method.significance import funnel


class Counts:
    """A count of events over a denominator: the small-number rule reads the count, the
    country's reference is rounded so no hidden count can be read back, and significance is the
    funnel test of the count. A subclass says which distribution (`null`, `limits`)."""

    name = label = label_nl = ""
    decimals = 2
    has_denominator = True
    counted = True
    cbs_empty_needs_base = True
    pools = True

    def value(self, numerator: Array, denominator: Array, scale: float) -> Array:
        return statistics.rate(numerator, denominator, scale)

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        return is_suppressed(numerator, denominator)

    def pool(self, members: Array, numerator: Array, denominator: Array, weight: Array,
             scale: float) -> tuple[Array, Array, Array]:
        num = members @ np.nan_to_num(numerator, nan=0.0)
        den = members @ np.nan_to_num(denominator, nan=0.0)
        return statistics.rate(num, den, scale), num, den

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        """Summed counts over summed denominators where both are known, rounded to the step
        that keeps any hidden count from being read back (statistics.national_step)."""
        reference = statistics.national_rate(numerator, denominator, scale)
        known = ~np.isnan(numerator) & ~np.isnan(denominator)
        step = statistics.national_step(float(denominator[known].sum()), scale, MIN_NUMERATOR)
        return float(np.round(reference / step) * step) if step > 0 else reference

    def null(self, denominator: Array, reference: Array | float,
             scale: float) -> tuple[Array, Array]:
        raise NotImplementedError

    def limits(self, denominator: Array, reference: Array | float, scale: float,
               at_least: Array | float = 0.0) -> Limits:
        raise NotImplementedError

    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        return funnel(self, figures, reference, rounding, tested_over, MIN_NUMERATOR)
