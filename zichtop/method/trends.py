"""Has a municipality's rate risen significantly between two comparable periods? The two counts
compared as Poisson counts over their own denominators: given the n1 + n2 events, the later
period's share of them is binomial with p = d2 / (d1 + d2) when the rate did not change; the
rise is significant where the later count lies above the one-sided 97.5% limit of that share
(z > 1.96, normal approximation, with the variance CBS's rounding to multiples of `rounding`
adds to each count). Only for kinds that count events; never across a declared series break
(the caller picks the periods)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Z_RISE = 1.96  # one-sided 97.5%


def rise_z(n1: npt.ArrayLike, d1: npt.ArrayLike, n2: npt.ArrayLike,
           d2: npt.ArrayLike, rounding: int = 1) -> np.ndarray:
    """The z-score of the later count against no change (NaN where a count or base is
    unknown or there are no events)."""
    a, b, x, y = (np.asarray(v, float) for v in (n1, d1, n2, d2))
    total = a + x
    with np.errstate(divide="ignore", invalid="ignore"):
        share = y / (b + y)
        expected = total * share
        variance = total * share * (1 - share) + (rounding ** 2 / 12.0 if rounding > 1 else 0.0)
        z = (x - expected) / np.sqrt(variance)
    return np.where((total > 0) & (b > 0) & (y > 0) & (variance > 0), z, np.nan)


def rising(n1: npt.ArrayLike, d1: npt.ArrayLike, n2: npt.ArrayLike, d2: npt.ArrayLike,
           rounding: int = 1) -> np.ndarray:
    """True where the rate rose significantly from the first period to the second."""
    z = rise_z(n1, d1, n2, d2, rounding)
    return np.nan_to_num(z, nan=-np.inf) > Z_RISE
