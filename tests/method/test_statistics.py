"""The method's functions against values known independently, and its invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zichtop.method import statistics
from zichtop.method.kinds import KINDS
from zichtop.method.privacy import is_suppressed


def test_poisson_limits_match_tables():
    # Poisson(10): P(X<=3)=0.0103, P(X<=4)=0.0293 -> 2.5% quantile 4; P(X<=16)=0.9730,
    # P(X<=17)=0.9857 -> 97.5% quantile 17 (standard Poisson tables)
    limits = KINDS["rate"].limits(np.array([1000.0]), 10.0, 1000.0)
    assert limits["95"][0][0] == 4 and limits["95"][1][0] == 17


def test_binomial_limits_match_tables():
    # Binomial(100, 0.5): 2.5% quantile 40, 97.5% quantile 60
    limits = KINDS["share"].limits(np.array([100.0]), 50.0, 100.0)
    assert (limits["95"][0][0], limits["95"][1][0]) == (40, 60)


def test_categories_from_limits_and_rounding():
    limits = {"95": (np.array([4.0]), np.array([17.0])), "998": (np.array([1.0]), np.array([21.0]))}
    assert statistics.categorise([18], limits)[0] == "hoger"
    assert statistics.categorise([25], limits)[0] == "significant hoger"
    assert statistics.categorise([3], limits)[0] == "lager"
    assert statistics.categorise([0], limits)[0] == "significant lager"
    assert statistics.categorise([10], limits)[0] == "binnen de normale spreiding"
    # CBS rounding to tens adds 10^2/12 = 8.33 to the variance: around E = 10 (Poisson, phi 1)
    # the limits stretch by sqrt((10 + 8.33) / 10) = 1.354: upper 95% limit 10 + 7 x 1.354 =
    # 19.48, so a rounded 20 is "hoger" and a rounded 10 stays "binnen de normale spreiding"
    wide = statistics.widen(limits, [10.0], [10.0], 1.0, rounding=10)
    assert wide["95"][1][0] == pytest.approx(10 + 7 * np.sqrt(18.3333 / 10), abs=1e-3)
    assert statistics.categorise([20], wide)[0] == "hoger"
    assert statistics.categorise([10], wide)[0] == "binnen de normale spreiding"


def test_index_and_log_ratio():
    assert statistics.index([1.3], 0.65)[0] == pytest.approx(200)
    assert statistics.log_ratio([1.3], 0.65)[0] == pytest.approx(1.0)
    assert np.isnan(statistics.log_ratio([0.0], 0.65)[0])


def test_yoy_flags():
    assert statistics.yoy_flag("binnen de normale spreiding", "hoger")  # crosses the limit
    assert statistics.yoy_flag("lager", "hoger")  # two steps
    assert not statistics.yoy_flag("hoger", "significant hoger")
    assert not statistics.yoy_flag(None, "hoger")


def test_composite_is_weighted_mean_and_skips_missing():
    z = {"a": np.array([1.0, np.nan]), "b": np.array([3.0, 2.0])}
    assert statistics.composite(z, {"a": 1, "b": 1}).tolist() == [2.0, 2.0]
    assert statistics.composite(z, {"a": 3, "b": 1})[0] == pytest.approx(1.5)
    with pytest.raises(ValueError):
        statistics.composite(z, {"a": 0, "b": 0})


counts = st.lists(st.integers(min_value=0, max_value=5000), min_size=2, max_size=40)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_weighted_mean_of_rates_is_national_rate(data):
    den = data.draw(st.lists(st.integers(min_value=1, max_value=10**6), min_size=2, max_size=40))
    num = data.draw(st.lists(st.integers(min_value=0, max_value=5000), min_size=len(den),
                             max_size=len(den)))
    rates = statistics.rate(num, den, 1000.0)
    weighted = float(np.sum(rates * np.array(den)) / np.sum(den))
    assert weighted == pytest.approx(statistics.national_rate(num, den, 1000.0), rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(den=st.integers(min_value=100, max_value=10**6), r1=st.floats(0.01, 50),
       r2=st.floats(0.01, 50))
def test_index_rises_with_rate(den, r1, r2):
    lo, hi = sorted([r1, r2])
    assert statistics.index([lo], 5.0)[0] <= statistics.index([hi], 5.0)[0]


@settings(max_examples=200, deadline=None)
@given(count=st.integers(0, 3000), den=st.integers(100, 200_000), ref=st.floats(0.5, 30),
       rounding=st.sampled_from([1, 5, 10]), phi=st.floats(1.0, 50.0))
def test_categories_agree_with_limits(count, den, ref, rounding, phi):
    exact = KINDS["rate"].limits(np.array([float(den)]), ref, 1000.0)
    expected, variance = KINDS["rate"].null(np.array([float(den)]), ref, 1000.0)
    limits = statistics.widen(exact, expected, variance, phi, rounding)
    cat = statistics.categorise([float(count)], limits)[0]
    (l95, u95), (l998, u998) = limits["95"], limits["998"]
    # widening never narrows the exact limits
    assert u95[0] >= exact["95"][1][0] - 1e-9 and l95[0] <= exact["95"][0][0] + 1e-9
    if cat in ("hoger", "significant hoger"):
        assert count > u95[0]
    if cat == "significant hoger":
        assert count > u998[0]
    if cat in ("lager", "significant lager"):
        assert count < l95[0]
    if cat == "significant lager":
        assert count < l998[0]
    if cat == "binnen de normale spreiding":
        assert l95[0] <= count <= u95[0]


@given(st.lists(st.tuples(st.floats(0, 50), st.floats(0, 500)), min_size=1, max_size=30))
def test_suppression_rule(pairs):
    num, den = zip(*pairs, strict=True)
    hidden = is_suppressed(num, den)
    for n, d, h in zip(num, den, hidden, strict=True):
        assert h == (n < 10 or d < 100)


def test_overdispersion_by_hand():
    # z = (n - E) / sqrt(E) with E = 100: counts 120 and 80 give z = +2 and -2 for everyone,
    # so after winsorising phi = mean(z^2) = 4
    counts = [120.0, 80.0] * 10
    expected = np.full(20, 100.0)
    assert statistics.overdispersion(counts, expected, expected) == pytest.approx(4.0)
    # pure chance (all z = 0) never narrows the limits: phi is at least 1
    assert statistics.overdispersion(expected, expected, expected) == 1.0
    # fewer than 20 municipalities expecting 5 or more events: no test (None)
    assert statistics.overdispersion(counts[:19], expected[:19], expected[:19]) is None
    # municipalities expecting fewer than 5 do not count towards phi: 20 zeros at E = 0.2
    # (where the winsorised mean collapsed to 1) leave the 20 informative ones to decide
    sparse = np.full(20, 0.2)
    assert statistics.overdispersion([*counts, *np.zeros(20)], [*expected, *sparse],
                                 [*expected, *sparse]) == pytest.approx(4.0)
    assert statistics.overdispersion(np.zeros(40), sparse.repeat(2), sparse.repeat(2)) is None


def test_widen_stretches_limits_around_expected():
    limits = {"95": (np.array([80.0]), np.array([120.0]))}
    widened = statistics.widen(limits, [100.0], [100.0], 4.0)  # sqrt(4) = 2
    assert widened["95"][0][0] == 60.0 and widened["95"][1][0] == 140.0
    assert statistics.widen({"95": (np.array([10.0]), np.array([30.0]))}, [20.0], [20.0],
                        9.0)["95"][0][0] == 0


def test_national_step_keeps_the_total_unreadable():
    # 17.9 million inhabitants, per 1 000: half a step x 17 900 must be >= 10 -> step 0.01
    assert statistics.national_step(17_900_000, 1000.0, 10) == 0.01
    # 8 million dwellings, in %: half a step x 80 000 >= 10 -> step 0.001 (0.00025 rounded up)
    assert statistics.national_step(8_000_000, 100.0, 10) == 0.001


def test_z_scores_include_zeros_and_rounding():
    # E = 4, Poisson variance 4, phi 2, rounded to 5: sd = sqrt(2 x 4 + 25/12) = 3.175
    z = statistics.z_scores([0.0, 10.0], [4.0, 4.0], [4.0, 4.0], 2.0, 5)
    assert z[0] == pytest.approx(-4 / np.sqrt(8 + 25 / 12))
    assert z[1] == pytest.approx(6 / np.sqrt(8 + 25 / 12))


def test_rank_ranges_by_hand():
    # three regions, two parts: region 0 leads on both, so it ranks first under any weights;
    # regions 1 and 2 swap places as the weights move
    parts = np.array([[3.0, 3.0], [2.0, 0.0], [0.0, 2.0]])
    rank, low, high = statistics.rank_ranges(parts, np.array([1.0, 1.0]), draws=500)
    assert rank[0] == 1 and low[0] == high[0] == 1
    assert low[1] == 2 and high[1] == 3 and low[2] == 2 and high[2] == 3


def test_fast_quantiles_equal_scipys_everywhere():
    """The vectorised quantiles give exactly scipy's ppf, from tiny to huge expected counts,
    including zero and missing (a buurt-level build asks for millions of them)."""
    from scipy import stats

    rng = np.random.default_rng(7)
    mu = np.concatenate([rng.lognormal(1, 2.5, 20_000), [0, 1e-9, 0.001, 0.5, 1, 5, 1e7, np.nan]])
    n = np.round(np.concatenate([rng.lognormal(3, 2, 20_000), [0, 1, 2, np.nan]]))
    for q in (0.001, 0.025, 0.975, 0.999):
        np.testing.assert_array_equal(statistics.poisson_quantile(q, mu), stats.poisson.ppf(q, mu))
        for p in (0.001, 0.05, 0.5, 0.97):
            np.testing.assert_array_equal(statistics.binomial_quantile(q, n, p),
                                          stats.binom.ppf(q, n, p))
