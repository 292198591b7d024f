"""What the kinds that divide one amount by another share: a value is numerator over denominator
times the scale, and members pool by summing both (never the mean of their rates)."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array
from zichtop.method.privacy import MIN_NUMERATOR, is_suppressed


def value(numerator: Array, denominator: Array, scale: float) -> Array:
    return statistics.rate(numerator, denominator, scale)


def pool(members: Array, numerator: Array, denominator: Array,
         scale: float) -> tuple[Array, Array, Array]:
    num = members @ np.nan_to_num(numerator, nan=0.0)
    den = members @ np.nan_to_num(denominator, nan=0.0)
    return statistics.rate(num, den, scale), num, den


def hidden(numerator: Array, denominator: Array) -> np.ndarray:
    return is_suppressed(numerator, denominator)


def rounded_reference(numerator: Array, denominator: Array, scale: float) -> float:
    """Summed counts over summed denominators where both are known, rounded to the step that
    keeps any hidden count from being read back (statistics.national_step)."""
    reference = statistics.national_rate(numerator, denominator, scale)
    known = ~np.isnan(numerator) & ~np.isnan(denominator)
    step = statistics.national_step(float(denominator[known].sum()), scale, MIN_NUMERATOR)
    return float(np.round(reference / step) * step) if step > 0 else reference
