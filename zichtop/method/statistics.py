"""The statistics of the method as pure functions on arrays: rates, index against a reference,
quantiles for funnel limits, over-dispersion, categories, year-over-year flags, composites.
What differs by kind of figure lives in zichtop/method/kinds/. Formulas and a worked example:
docs/method.md."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Five categories, from low to high; Dutch labels as shown.
# the middle category names itself: within the normal spread between municipalities, so an
# index of 60 with it does not read as a contradiction
CATEGORIES = ("significant lager", "lager", "binnen de normale spreiding", "hoger",
              "significant hoger")
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


def _quantile(q: Array, cdf, start: Array, top: Array) -> Array:  # type: ignore[no-untyped-def]
    """Smallest integer k in [0, top] with cdf(k) >= q, vectorised over all areas: from a start
    near it (normal approximation with skew correction), a bracket found in doubling steps,
    then halved until it is one wide. The CDF is monotone, so this is the same k as stepping
    one at a time, in a few dozen CDF evaluations at most instead of one per step."""
    q = np.broadcast_to(np.asarray(q, float), np.shape(start))
    top = np.broadcast_to(np.asarray(top, float), np.shape(start))
    k = np.clip(np.floor(np.nan_to_num(np.asarray(start, float), nan=0.0, posinf=0.0,
                                       neginf=0.0)), 0, top)
    k = np.where(np.isfinite(k), k, 0.0)
    reached = cdf(k) >= q
    # the bracket: cdf(lo) < q <= cdf(hi); lo = -1 stands for "below 0" (cdf 0)
    lo = np.where(reached, -1.0, k)
    hi = np.where(reached, k, top)
    step = np.ones(k.shape)
    probe = k.copy()
    for _ in range(64):  # down from a k that reaches q, up from one that does not
        moving = np.where(reached, probe > 0, probe < top) & (hi - lo > 1)
        if not moving.any():
            break
        probe = np.where(moving, np.where(reached, np.maximum(k - step, 0),
                                          np.minimum(k + step, top)), probe)
        at = cdf(probe) >= q
        hi = np.where(moving & at, np.minimum(hi, probe), hi)
        lo = np.where(moving & ~at, np.maximum(lo, probe), lo)
        # the search stops on the side where the bracket closed
        done = np.where(reached, ~at, at)
        step = np.where(moving & ~done, step * 2, step)
        probe = np.where(moving & done, np.where(reached, 0.0, top), probe)
    for _ in range(128):
        open_ = hi - lo > 1
        if not open_.any():
            break
        mid = np.floor((lo + hi) / 2)
        at = cdf(mid) >= q
        hi = np.where(open_ & at, mid, hi)
        lo = np.where(open_ & ~at, mid, lo)
    return hi


def poisson_quantile(q: float, mu: npt.ArrayLike, at_least: npt.ArrayLike = 0.0) -> Array:
    """The q-quantile of Poisson(mu), element-wise: the numbers scipy.stats.poisson.ppf gives,
    found with the fast CDF instead of scipy's generic inversion (a buurt-level build asks for
    millions of them). With `at_least` (per element): the quantile of the count given that it
    is at least that (a figure is shown only from the small-number threshold on)."""
    from scipy import special  # imported here: only the build computes limits

    m = np.asarray(mu, float)
    t = np.broadcast_to(np.asarray(at_least, float), m.shape)
    out = np.full(m.shape, np.nan)
    ok = np.isfinite(m) & (m > 0)
    # each distinct (mean, threshold) once: areas of one size share it (inhabitants are
    # rounded to fives)
    pairs, back = np.unique(np.column_stack([m[ok], t[ok]]), axis=0, return_inverse=True)
    x, least = pairs[:, 0], pairs[:, 1]
    qs = _given_at_least(q, np.where(least > 0, special.pdtr(least - 1, x), 0.0))
    z = special.ndtri(qs)
    out[ok] = _quantile(qs, lambda k: special.pdtr(k, x),
                        x + z * np.sqrt(x) + (z * z - 1) / 6,
                        np.full(x.shape, np.inf))[back.reshape(-1)]
    out[np.isfinite(m) & (m == 0)] = 0.0  # all mass at 0 (as scipy gives)
    return out


def _given_at_least(q: float, below: Array) -> Array:
    """The unconditional probability level of the q-quantile given X >= t, where `below` is
    P(X < t): P(X <= k | X >= t) >= q  <=>  F(k) >= P(X < t) + q (1 - P(X < t)). With t = 0
    (below = 0) this is q itself, exactly."""
    return below + q * (1.0 - below)


def binomial_quantile(q: float, n: npt.ArrayLike, p: npt.ArrayLike,
                      at_least: npt.ArrayLike = 0.0) -> Array:
    """The q-quantile of Binomial(n, p), element-wise (`p` one for all, or one per element):
    the numbers scipy.stats.binom.ppf gives; with `at_least`, given that the count is at least
    that (see poisson_quantile)."""
    from scipy import special

    size = np.asarray(n, float)
    prob = np.broadcast_to(np.asarray(p, float), size.shape)
    t = np.broadcast_to(np.asarray(at_least, float), size.shape)
    out = np.full(size.shape, np.nan)
    ok = np.isfinite(size) & (size > 0) & (prob > 0) & (prob < 1)
    triples, back = np.unique(np.column_stack([size[ok], t[ok], prob[ok]]), axis=0,
                              return_inverse=True)
    x, least, pp = triples[:, 0], triples[:, 1], triples[:, 2]  # each distinct case once
    qs = _given_at_least(q, np.where(least > 0, special.bdtr(least - 1, x, pp), 0.0))
    z = special.ndtri(qs)
    out[ok] = _quantile(qs, lambda k: special.bdtr(k, x, pp),
                        x * pp + z * np.sqrt(x * pp * (1 - pp)) + (z * z - 1) * (1 - 2 * pp) / 6,
                        x)[back.reshape(-1)]
    rest = np.isfinite(size) & np.isfinite(prob) & ~ok
    if rest.any():  # no trials, or p at 0 or 1: scipy's own answer
        from scipy import stats

        out[rest] = stats.binom.ppf(q, size[rest], prob[rest])
    return out


MIN_EXPECTED = 5.0  # municipalities whose expected count is at least this estimate phi
MIN_TESTABLE = 20  # fewer such municipalities: no test for that indicator and period


def overdispersion(count: npt.ArrayLike, expected: npt.ArrayLike, variance: npt.ArrayLike,
                   winsor: float = 0.10) -> float | None:
    """Spiegelhalter's multiplicative over-dispersion factor phi >= 1: the mean squared z-score
    after winsorising the 10% most extreme on each side, over the municipalities whose expected
    count is at least 5 (there a z-score is close to normal under the null; with a handful of
    expected events it is not, and where 93-96% count 0 the winsorised mean collapses to 1).
    None when fewer than 20 municipalities qualify: then no test is made (docs/method.md)."""
    c, e, v = (np.asarray(x, float) for x in (count, expected, variance))
    known = ~np.isnan(c) & ~np.isnan(e) & (v > 0) & (e >= MIN_EXPECTED)
    if known.sum() < MIN_TESTABLE:
        return None
    z = (c[known] - e[known]) / np.sqrt(v[known])
    low, high = np.percentile(z, [100 * winsor, 100 * (1 - winsor)])
    return float(max(np.mean(np.clip(z, low, high) ** 2), 1.0))


def total_variance(variance: npt.ArrayLike, phi: float, rounding: int) -> Array:
    """Variance of an observed count under the null: phi x Poisson/binomial variance, plus the
    variance CBS's rounding to multiples of `rounding` adds (uniform: rounding^2 / 12)."""
    v = np.asarray(variance, float)
    return phi * v + (rounding ** 2 / 12.0 if rounding > 1 else 0.0)


def widen(limits: dict[str, tuple[Array, Array]], expected: npt.ArrayLike,
          variance: npt.ArrayLike, phi: float, rounding: int = 1) -> dict[str, tuple[Array, Array]]:
    """Stretch exact limits around the expected count by sqrt(total variance / variance)."""
    e, v = np.asarray(expected, float), np.asarray(variance, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.sqrt(np.where(v > 0, total_variance(v, phi, rounding) / v, phi))
    return {name: (np.maximum(e - (e - low) * f, 0.0), e + (high - e) * f)
            for name, (low, high) in limits.items()}


def z_scores(count: npt.ArrayLike, expected: npt.ArrayLike, variance: npt.ArrayLike,
             phi: float, rounding: int = 1) -> Array:
    """Funnel z-score of every municipality with a count, zeros included: (O - E) / sd under
    the over-dispersed null. Positive means more than expected."""
    c, e = np.asarray(count, float), np.asarray(expected, float)
    sd = np.sqrt(total_variance(variance, phi, rounding))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd > 0, (c - e) / sd, np.nan)


def categorise(count: npt.ArrayLike, limits: dict[str, tuple[Array, Array]]) -> np.ndarray:
    """Five categories from the observed (CBS-rounded) count against the limits; the rounding
    is in the limits already (total_variance)."""
    c = np.asarray(count, float)
    (l95, u95), (l998, u998) = limits["95"], limits["998"]
    result = np.full(c.shape, CATEGORIES[2], dtype=object)
    result[c > u95] = CATEGORIES[3]
    result[c > u998] = CATEGORIES[4]
    result[c < l95] = CATEGORIES[1]
    result[c < l998] = CATEGORIES[0]
    untestable = np.isnan(c) | np.isnan(u95)
    result[untestable] = None
    return result


def national_step(denominator_total: float, scale: float, threshold: float) -> float:
    """The rounding step of a published national rate: the smallest power of ten for which
    half a step, times the national denominator, is at least the small-number threshold. The
    national total then cannot be read back to within one count, and no hidden count can be
    recovered by subtracting the shown ones (docs/method.md, "Totals that keep hidden figures
    hidden")."""
    if not denominator_total > 0:
        return float("nan")
    needed = 2.0 * threshold * scale / denominator_total
    return float(10.0 ** np.ceil(np.log10(needed)))


def value_limits(limits: dict[str, tuple[Array, Array]], denominator: npt.ArrayLike,
                 scale: float) -> dict[str, tuple[Array, Array]]:
    """The same limits expressed in the indicator's unit (for charts)."""
    return {name: (rate(low, denominator, scale), rate(high, denominator, scale))
            for name, (low, high) in limits.items()}


def whole_percent_down(share: float) -> int:
    """A share as a whole percentage, rounded down: a coverage of 94.7% reads 94%, never the 95%
    it fails to reach (the tiny addition undoes binary fractions: 0.95 x 100 = 94.999...)."""
    return int(np.floor(share * 100 + 1e-9))


def category_step(category: object) -> float:
    return float(CATEGORIES.index(category)) if category in CATEGORIES else float("nan")


def yoy_flag(previous: object, current: object) -> bool:
    """Flag a move of two or more categories, or crossing into or out of the limits."""
    a, b = category_step(previous), category_step(current)
    if np.isnan(a) or np.isnan(b):
        return False
    crossed = (a == 2) != (b == 2)
    return bool(abs(a - b) >= 2 or crossed)


def yoy_flags(previous: npt.ArrayLike, current: npt.ArrayLike) -> np.ndarray:
    """`yoy_flag` over whole arrays of categories at once."""
    import pandas as pd

    steps = {c: float(n) for n, c in enumerate(CATEGORIES)}
    a = pd.Series(np.asarray(previous, dtype=object)).map(steps).to_numpy(float)
    b = pd.Series(np.asarray(current, dtype=object)).map(steps).to_numpy(float)
    known = ~np.isnan(a) & ~np.isnan(b)
    return known & ((np.abs(a - b) >= 2) | ((a == 2) != (b == 2)))


def standardise(values: npt.ArrayLike) -> Array:
    v = np.asarray(values, float)
    known = ~np.isnan(v)
    if known.sum() < 2:
        return np.full(v.shape, np.nan)
    sd = v[known].std(ddof=1)
    return (v - v[known].mean()) / sd if sd > 0 else np.zeros(v.shape)


def composite(z_scores: dict[str, Array], weights: dict[str, float]) -> Array:
    """Weighted mean of the parts' z-scores over the indicators a region has."""
    ids = [i for i in z_scores if weights.get(i, 0) > 0]
    if not ids:
        raise ValueError("a composite needs at least one indicator with a positive weight")
    matrix = np.vstack([z_scores[i] for i in ids])
    w = np.array([weights[i] for i in ids])[:, None] * ~np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        return np.where(w.sum(0) > 0, np.nansum(matrix * w, 0) / w.sum(0), np.nan)


def rank_ranges(parts: np.ndarray, weights: np.ndarray, draws: int = 1000,
                seed: int = 2024) -> tuple[Array, Array, Array]:
    """How stable each region's composite rank is when the weights vary (OECD/JRC handbook):
    `parts` is regions x indicators (NaN where missing); weights are drawn 1,000 times from a
    Dirichlet around the chosen weights. Returns the rank with the chosen weights and the 5th
    and 95th percentile of the ranks (1 = highest score)."""
    rng = np.random.default_rng(seed)
    known = ~np.isnan(parts)
    filled = np.where(known, parts, 0.0)
    base = np.asarray(weights, float)
    drawn = rng.dirichlet(np.maximum(base / base.sum(), 1e-6) * len(base) * 2, size=draws)
    every = np.vstack([base / base.sum(), drawn])  # first row: the chosen weights
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (every @ filled.T) / (every @ known.T)
    scores = np.where(np.isnan(scores), -np.inf, scores)
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order, dtype=float)
    np.put_along_axis(ranks, order, np.arange(1, parts.shape[0] + 1, dtype=float)[None, :]
                      .repeat(len(every), 0), axis=1)
    none = ~known.any(axis=1)  # regions without any part have no rank
    ranks[:, none] = np.nan
    low, high = np.full(len(none), np.nan), np.full(len(none), np.nan)
    low[~none], high[~none] = np.percentile(ranks[1:, ~none], [5, 95], axis=0)
    return ranks[0], low, high
