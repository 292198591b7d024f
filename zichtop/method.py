"""The Zicht op method as pure functions on arrays: rates, deviation from the national average,
significance (funnel limits), categories, peer comparison, year-over-year flags, composites.
Formulas and a worked example: docs/method.md."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import stats

from zichtop.themes.model import RATE, SHARE

# Five categories, from low to high; Dutch labels as shown.
CATEGORIES = ("significant lager", "lager", "rond gemiddelde", "hoger", "significant hoger")
NO_TEST = "geen toets"
LIMITS = {"95": (0.025, 0.975), "998": (0.001, 0.999)}

Array = npt.NDArray[np.float64]


def rate(numerator: npt.ArrayLike, denominator: npt.ArrayLike, scale: float) -> Array:
    num, den = np.asarray(numerator, float), np.asarray(denominator, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den * scale, np.nan)


def national_rate(numerator: npt.ArrayLike, denominator: npt.ArrayLike, scale: float) -> float:
    """Summed counts over summed denominators, over the regions where both are known
    (never the mean of rates, never CBS's rounded relative column)."""
    num, den = np.asarray(numerator, float), np.asarray(denominator, float)
    known = ~np.isnan(num) & ~np.isnan(den)
    total = den[known].sum()
    return float(num[known].sum() / total * scale) if total > 0 else float("nan")


def index(value: npt.ArrayLike, reference: npt.ArrayLike) -> Array:
    """100 = the reference (national or peer) average."""
    v, r = np.asarray(value, float), np.asarray(reference, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r > 0, v / r * 100.0, np.nan)


def log_ratio(value: npt.ArrayLike, reference: npt.ArrayLike) -> Array:
    """log2(value / reference), for diverging colour scales; 0 for zero values is undefined."""
    v, r = np.asarray(value, float), np.asarray(reference, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((v > 0) & (r > 0), np.log2(v / r), np.nan)


def count_limits(kind: str, denominator: npt.ArrayLike, reference: float,
                 scale: float) -> dict[str, tuple[Array, Array]]:
    """Funnel limits on the *count* expected for each denominator at the reference value:
    Poisson(den x ref/scale) for rates, Binomial(den, ref/scale) for shares."""
    den = np.asarray(denominator, float)
    p = reference / scale
    out = {}
    for name, (low_q, high_q) in LIMITS.items():
        if kind == RATE:
            mu = den * p
            low, high = stats.poisson.ppf(low_q, mu), stats.poisson.ppf(high_q, mu)
        elif kind == SHARE:
            n = np.round(den)
            low, high = stats.binom.ppf(low_q, n, p), stats.binom.ppf(high_q, n, p)
        else:
            low = high = np.full(den.shape, np.nan)
        out[name] = (np.asarray(low, float), np.asarray(high, float))
    return out


def expected_and_variance(kind: str, denominator: npt.ArrayLike, reference: float,
                          scale: float) -> tuple[Array, Array]:
    """Expected count at the reference value and its variance (Poisson or binomial)."""
    den = np.asarray(denominator, float)
    p = reference / scale
    expected = den * p
    return expected, (expected * (1 - p) if kind == SHARE else expected)


def overdispersion(count: npt.ArrayLike, expected: npt.ArrayLike, variance: npt.ArrayLike,
                   winsor: float = 0.10) -> float:
    """Spiegelhalter's multiplicative over-dispersion factor phi >= 1: the mean squared
    z-score after winsorising the 10% most extreme on each side. Municipalities differ far more
    than Poisson or binomial chance allows (other causes than chance); phi widens the limits so
    that 'significant' keeps its meaning."""
    c, e, v = (np.asarray(x, float) for x in (count, expected, variance))
    known = ~np.isnan(c) & ~np.isnan(e) & (v > 0)
    if known.sum() < 10:
        return 1.0
    z = (c[known] - e[known]) / np.sqrt(v[known])
    low, high = np.percentile(z, [100 * winsor, 100 * (1 - winsor)])
    return float(max(np.mean(np.clip(z, low, high) ** 2), 1.0))


def widen(limits: dict[str, tuple[Array, Array]], expected: npt.ArrayLike,
          phi: float) -> dict[str, tuple[Array, Array]]:
    """Stretch exact limits around the expected count by sqrt(phi)."""
    e = np.asarray(expected, float)
    f = np.sqrt(phi)
    return {name: (np.maximum(e - (e - low) * f, 0.0), e + (high - e) * f)
            for name, (low, high) in limits.items()}


def categorise(count: npt.ArrayLike, limits: dict[str, tuple[Array, Array]],
               rounding: int) -> np.ndarray:
    """Five categories from the observed count against the limits. CBS rounded the count to a
    multiple of `rounding`, so the true count lies within +/- rounding/2: a municipality is only
    called higher (lower) when even the lowest (highest) possible true count is beyond a limit."""
    c = np.asarray(count, float)
    half = rounding / 2.0 if rounding > 1 else 0.0
    low_true, high_true = np.maximum(c - half, 0), c + half
    (l95, u95), (l998, u998) = limits["95"], limits["998"]
    result = np.full(c.shape, CATEGORIES[2], dtype=object)
    result[low_true > u95] = CATEGORIES[3]
    result[low_true > u998] = CATEGORIES[4]
    result[high_true < l95] = CATEGORIES[1]
    result[high_true < l998] = CATEGORIES[0]
    untestable = np.isnan(c) | np.isnan(u95)
    result[untestable] = None
    return result


def value_limits(kind: str, limits: dict[str, tuple[Array, Array]], denominator: npt.ArrayLike,
                 scale: float) -> dict[str, tuple[Array, Array]]:
    """The same limits expressed in the indicator's unit (for charts)."""
    return {name: (rate(low, denominator, scale), rate(high, denominator, scale))
            for name, (low, high) in limits.items()}


def category_step(category: object) -> float:
    return float(CATEGORIES.index(category)) if category in CATEGORIES else float("nan")


def yoy_flag(previous: object, current: object) -> bool:
    """Flag a move of two or more categories, or crossing into or out of the limits."""
    a, b = category_step(previous), category_step(current)
    if np.isnan(a) or np.isnan(b):
        return False
    crossed = (a == 2) != (b == 2)
    return bool(abs(a - b) >= 2 or crossed)


def standardise(values: npt.ArrayLike) -> Array:
    v = np.asarray(values, float)
    known = ~np.isnan(v)
    if known.sum() < 2:
        return np.full(v.shape, np.nan)
    sd = v[known].std(ddof=1)
    return (v - v[known].mean()) / sd if sd > 0 else np.zeros(v.shape)


def composite(z_scores: dict[str, Array], weights: dict[str, float]) -> Array:
    """Weighted mean of standardised log ratios over the indicators a region has."""
    ids = [i for i in z_scores if weights.get(i, 0) > 0]
    if not ids:
        raise ValueError("a composite needs at least one indicator with a positive weight")
    matrix = np.vstack([z_scores[i] for i in ids])
    w = np.array([weights[i] for i in ids])[:, None] * ~np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        return np.where(w.sum(0) > 0, np.nansum(matrix * w, 0) / w.sum(0), np.nan)


KINDS_WITH_LIMITS = (RATE, SHARE)
