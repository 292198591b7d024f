"""A survey estimate with CBS's 95% interval (the Veiligheidsmonitor: % of residents aged 15
or older, or a mark): no count, so no funnel and no small-number rule; the interval is the
uncertainty.

- The standard error of each side is read from the interval: (estimate - lower) / 1.96 below,
  (upper - estimate) / 1.96 above (CBS's intervals of a percentage are not symmetric: a small
  percentage's interval reaches further up than down).
- Against a reference with its own interval (the country's estimate): z = difference /
  sqrt(se_area^2 + se_reference^2), each side's error taken on the side facing the other.
  Outside 1.96 "hoger"/"lager", outside 3.09 (99.8%) "significant hoger/lager", the same five
  categories as a count. The area's respondents are part of the country's sample; ignoring
  that covariance makes the test slightly conservative for the largest gemeenten.
- Members never pool into a region's figure: a region's figure is CBS's own estimate for it
  (zichtop/method/municipal.py takes it from the table), never an average of gemeenten.
"""

from __future__ import annotations

import numpy as np

from zichtop.method import statistics
from zichtop.method.hookspecs import Array, Figures

Z95, Z998 = 1.959964, 3.090232


def side_errors(value: Array, lower: Array, upper: Array) -> tuple[Array, Array]:
    """The standard error below and above each estimate, from its 95% interval."""
    value, lower, upper = (np.asarray(a, float) for a in (value, lower, upper))
    return (value - lower) / Z95, (upper - value) / Z95


def difference_z(value: Array, lower: Array, upper: Array, other: Array, other_lower: Array,
                 other_upper: Array) -> Array:
    """z of the difference between two estimates with their intervals (NaN where either
    interval is unknown)."""
    below, above = side_errors(value, lower, upper)
    o_below, o_above = side_errors(other, other_lower, other_upper)
    higher = np.asarray(value, float) >= np.asarray(other, float)
    se = np.sqrt(np.where(higher, below, above) ** 2 + np.where(higher, o_above, o_below) ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (np.asarray(value, float) - np.asarray(other, float)) / se
    return np.where(se > 0, z, np.where(np.asarray(value) == np.asarray(other), 0.0, np.nan))


# CBS rounds estimates and bounds to one decimal, so a difference can land exactly on a limit
# (7.7 (7.6-7.8) against 7.6 (7.6-7.6): z = 1.959964 up to float noise): on the limit is not
# beyond it
TIE = 1e-9


def categories(z: Array) -> np.ndarray:
    """The five categories from z (None where z is unknown); beyond a limit means beyond it by
    more than rounding noise."""
    lower, below, middle, above, upper = statistics.CATEGORIES
    out = np.full(len(z), None, dtype=object)
    known = ~np.isnan(z)
    out[known] = middle
    out[known & (z > Z95 + TIE)] = above
    out[known & (z < -Z95 - TIE)] = below
    out[known & (z > Z998 + TIE)] = upper
    out[known & (z < -Z998 - TIE)] = lower
    return out


class Estimate:
    name = "estimate"
    label = "survey estimate (CBS's 95% interval, difference test)"
    label_nl = "steekproefschatting met het 95%-interval van CBS (verschiltoets)"
    decimals = 1
    has_denominator = False
    counted = False
    cbs_empty_needs_base = True  # no base: an empty estimate is "geen gegevens"
    pools = False  # a region's figure is CBS's own estimate

    def value(self, numerator: Array, denominator: Array, scale: float) -> Array:
        return np.asarray(numerator, float)

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        # no count to protect: CBS publishes an estimate only where its sample suffices
        return np.zeros(np.shape(numerator), bool)

    def pool(self, members: Array, numerator: Array, denominator: Array, weight: Array,
             scale: float) -> tuple[Array, Array, Array]:
        none = np.full(np.shape(members)[0], np.nan)
        return none, none, none  # never an average of gemeenten

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        return published  # CBS's estimate for the country

    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        n = len(figures.value)
        lower = figures.lower if figures.lower is not None else np.full(n, np.nan)
        upper = figures.upper if figures.upper is not None else np.full(n, np.nan)
        ref = np.asarray(reference, float)
        ref_lower = np.full(n, figures.published_lower)
        ref_upper = np.full(n, figures.published_upper)
        z = difference_z(figures.value, lower, upper, ref, ref_lower, ref_upper)
        z = np.where(figures.shown, z, np.nan)
        # the band of estimates that would not differ from the reference, in the unit
        below, above = side_errors(figures.value, lower, upper)
        r_below, r_above = side_errors(ref, ref_lower, ref_upper)
        up = np.sqrt(below ** 2 + r_above ** 2)
        down = np.sqrt(above ** 2 + r_below ** 2)
        return {"category": categories(z), "z": z, "overdispersion": np.full(n, np.nan),
                "lower95": ref - Z95 * down, "upper95": ref + Z95 * up,
                "lower998": ref - Z998 * down, "upper998": ref + Z998 * up}


KIND = Estimate()
