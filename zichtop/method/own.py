"""The method on a user's own counts (the page and command "eigen gegevens"), on frames in hand.

`compute(rows)` takes one row per area and period (region_code, period_key, numerator,
denominator) and a flag whether the denominator is the user's own base (then the figure is a
share of it, %, binomial limits) or the area's inhabitants (then a rate per 1 000, Poisson
limits): the kinds of zichtop/method/kinds/. Per period:
- the one small-number rule (zichtop/method/privacy.py, as the kind applies it): a hidden
  figure is "te klein" and counts nowhere;
- the reference is the user's own set: the shown rows of the period pooled by the kind (never a
  hidden count, so no total lets one subtract one back), rounded as the country's reference;
- significance: the funnel of zichtop/method/significance.py, its over-dispersion estimated
  over the user's areas. Where fewer than 20 areas expect 5 or more events the spread between
  areas cannot be estimated; CBS figures then get no test, a user's own set gets the plain
  limits (Poisson or binomial), and says so (`widened` False): with a handful of wijken that is
  the only test there can be, and the note keeps it honest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zichtop.method import statistics
from zichtop.method.hookspecs import Figures
from zichtop.method.kinds import rate, share
from zichtop.method.privacy import LABEL, MIN_NUMERATOR
from zichtop.method.significance import funnel

OWN_COLUMNS = ["region_code", "period_key", "value", "numerator", "denominator", "reference",
               "index", "lower95", "upper95", "lower998", "upper998", "category", "z",
               "suppressed", "status_label", "widened", "unit"]
RATE_UNIT, SHARE_UNIT = "per 1 000 inwoners", "% van de noemer"


def compute(rows: pd.DataFrame, own_base: bool) -> pd.DataFrame:
    """The user's figures against their own set, one row per input row (OWN_COLUMNS)."""
    kind = share.KIND if own_base else rate.KIND
    scale = 100.0 if own_base else 1000.0
    parts = []
    for period_key, group in rows.groupby("period_key", sort=True):
        num = group["numerator"].to_numpy(float)
        den = group["denominator"].to_numpy(float)
        value = kind.value(num, den, scale)
        hidden = np.asarray(kind.hidden(num, den, den), bool)
        shown = ~hidden & ~np.isnan(value)
        # pooled over the shown rows only: a hidden count is in no total, so the reference
        # needs no rounding to keep it from being read back (as the country's does)
        reference = float(kind.pool(shown[None, :].astype(float), np.where(shown, num, 0.0),
                                    np.where(shown, den, 0.0), den, scale)[0][0])
        figures = Figures(value=value, numerator=num, denominator=den, weight=den,
                          shown=shown, scale=scale)
        # as the kind tests a count (shown from the small-number threshold on); too few
        # areas to estimate the spread between them: the plain limits, said so (`widened`)
        tested = funnel(kind, figures, np.full(len(num), reference), 1, shown, MIN_NUMERATOR,
                        plain_if_unknown=True)
        widened = not np.isnan(tested["overdispersion"]).all()
        out = pd.DataFrame({
            "region_code": group["region_code"].to_numpy(), "period_key": period_key,
            "value": value, "numerator": num, "denominator": den, "reference": reference,
            "index": statistics.index(value, reference), **{
                c: tested[c] for c in ("lower95", "upper95", "lower998", "upper998", "category",
                                       "z")},
            "suppressed": hidden,
            "status_label": pd.Series(hidden).map({True: LABEL, False: None}).to_numpy(),
            "widened": widened, "unit": SHARE_UNIT if own_base else RATE_UNIT})
        for column in ("value", "numerator", "index", "lower95", "upper95", "lower998",
                       "upper998", "z"):
            out.loc[hidden, column] = np.nan
        out.loc[hidden, "category"] = None
        parts.append(out)
    return pd.concat(parts, ignore_index=True)[OWN_COLUMNS] if parts else \
        pd.DataFrame(columns=OWN_COLUMNS)
