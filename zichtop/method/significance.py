"""Significance of each area's figure against its reference. The funnel test of a count (limits
widened for over-dispersion and CBS's rounding), as docs/method.md states it, for the kinds
that count events; "geen toets" for those that do not."""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Counted, Figures


def no_test(figures: Figures) -> dict[str, np.ndarray]:
    """A kind without a count of events: "geen toets" for every figure."""
    n = len(figures.value)
    none = np.full(n, np.nan)
    return {"category": np.full(n, statistics.NO_TEST, dtype=object), "overdispersion": none,
            "lower95": none, "upper95": none, "lower998": none, "upper998": none, "z": none}


def funnel(kind: Counted, figures: Figures, reference: np.ndarray, rounding: int,
           tested_over: np.ndarray, shown_from: float = 0.0,
           plain_if_unknown: bool = False) -> dict[str, np.ndarray]:
    """z-score, category, limits in the indicator's unit and the over-dispersion factor
    (estimated over the `tested_over` rows); "geen toets" where no test can be made.

    The `tested_over` rows (areas under the small-number rule) are shown only from a count of
    `shown_from` on, so their limits are those of the count *given* that it is shown: where an
    area expects two events, a shown figure is ten or more by construction, and the plain limits
    would call most shown figures significant on evidence the selection itself made (one in
    three in a simulation under the null for the home -> logies conversion). Regions' totals are
    not selected and keep the plain limits. `plain_if_unknown`: where the set is too small to
    estimate the over-dispersion, the plain limits (phi = 1, `overdispersion` NaN) instead of no
    test, where the caller says so (a user's own figures, method/own.py)."""
    num, den, scale = figures.numerator, figures.denominator, figures.scale
    known = ~np.isnan(figures.value)
    n = len(num)
    none = np.full(n, np.nan)
    if np.isnan(reference).all():
        return no_test(figures)
    expected, variance = kind.null(den, reference, scale)
    phi = statistics.overdispersion(num[tested_over], expected[tested_over],
                                    variance[tested_over])
    estimated = phi is not None
    if phi is None and plain_if_unknown:
        phi = 1.0
    z = statistics.z_scores(num, expected, variance, phi or 1.0, rounding)
    if phi is None:
        category = np.full(n, None, dtype=object)
        category[known] = statistics.NO_TEST
        return {"category": category,
                "overdispersion": none, "lower95": none, "upper95": none, "lower998": none,
                "upper998": none, "z": z}
    at_least = np.where(tested_over, shown_from, 0.0)
    limits = statistics.widen(kind.limits(den, reference, scale, at_least), expected, variance,
                              phi, rounding)
    in_unit = statistics.value_limits(limits, den, scale)
    return {"category": statistics.categorise(num, limits),
            "overdispersion": np.full(n, phi if estimated else np.nan),
            "lower95": in_unit["95"][0], "upper95": in_unit["95"][1],
            "lower998": in_unit["998"][0], "upper998": in_unit["998"][1], "z": z}
