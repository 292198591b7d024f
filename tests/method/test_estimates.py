"""Unit: the survey estimate's difference test and the politie-eenheid's figure standing in
for a gemeente without its own (pure functions, frames made here)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from zichtop.method.kinds import estimate
from zichtop.read import presentation as p
from zichtop.read.estimates import stand_in


def test_difference_test_takes_the_sides_facing_each_other():
    # Heerlen 10.7 (7.4-15.1) against NL 3.5 (3.4-3.6): the area's lower side, NL's upper
    z = estimate.difference_z(np.array([10.7]), np.array([7.4]), np.array([15.1]),
                              np.array([3.5]), np.array([3.4]), np.array([3.6]))
    assert z[0] == pytest.approx(7.2 / math.hypot(3.3 / 1.959964, 0.1 / 1.959964))
    # lower than the reference: the area's upper side, the reference's lower side
    z = estimate.difference_z(np.array([2.0]), np.array([1.0]), np.array([4.0]),
                              np.array([3.5]), np.array([3.4]), np.array([3.6]))
    assert z[0] == pytest.approx(-1.5 / math.hypot(2.0 / 1.959964, 0.1 / 1.959964))


def test_five_categories_and_a_tie_on_the_limit_is_not_beyond_it():
    z = np.array([-4.0, -2.0, 0.0, 2.0, 4.0, 1.959964 + 1e-15, np.nan])
    assert list(estimate.categories(z)) == [
        "significant lager", "lager", "binnen de normale spreiding", "hoger",
        "significant hoger", "binnen de normale spreiding", None]


def test_a_region_never_pools_its_gemeenten():
    members = np.ones((2, 3))
    value, num, den = estimate.KIND.pool(members, np.array([1.0, 2, 3]), np.full(3, np.nan),
                                         np.ones(3), 1.0)
    assert np.isnan(value).all() and np.isnan(num).all() and np.isnan(den).all()


REGIONS = pd.DataFrame({"code": ["GM0981", "GM0917", "RE10"], "name": ["Vaals", "Heerlen",
                                                                     "Limburg"],
                        "riec_code": ["RE10", "RE10", None]})
REGIONAL = pd.DataFrame([{"indicator": "leefbaarheid_drugshandel", "region_code": "RE10",
                          "period_key": "2023JJ00", "value": 5.2, "estimate_lower": 4.7,
                          "estimate_upper": 5.8, "national_value": 3.5, "index": 148.57,
                          "category": "significant hoger", "z": 6.5}])


def _rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator": "leefbaarheid_drugshandel", "region_code": "GM0981",
         "period_key": "2023JJ00", "value": np.nan, "estimate_lower": np.nan,
         "estimate_upper": np.nan, "national_value": 3.5, "index": np.nan, "category": None,
         "z": np.nan, "note": None, "rank": np.nan},
        {"indicator": "leefbaarheid_drugshandel", "region_code": "GM0917",
         "period_key": "2023JJ00", "value": 10.7, "estimate_lower": 7.4, "estimate_upper": 15.1,
         "national_value": 3.5, "index": 305.7, "category": "significant hoger", "z": 4.27,
         "note": None, "rank": 1.0},
        {"indicator": "drugs_verdachten", "region_code": "GM0981", "period_key": "2024JJ00",
         "value": np.nan, "national_value": 0.65, "index": np.nan, "category": None,
         "z": np.nan, "note": None, "rank": np.nan}])


def test_vaals_shows_limburgs_figure_labelled_and_heerlen_its_own():
    out = stand_in(_rows(), REGIONAL, REGIONS)
    vaals, heerlen, suspects = (out.iloc[i] for i in range(3))
    assert vaals["value"] == 5.2 and vaals["estimate_lower"] == 4.7
    assert vaals["figure_of"] == "politie-eenheid Limburg" and np.isnan(vaals["rank"])
    assert "de Veiligheidsmonitor publiceert alleen grote gemeenten" in vaals["note"]
    assert heerlen["value"] == 10.7 and heerlen["figure_of"] == "gemeente"
    assert np.isnan(suspects["value"]) and pd.isna(suspects["figure_of"])  # not an estimate
    # a frame that passes twice keeps its labels
    again = stand_in(out, pd.DataFrame(), REGIONS)
    assert again.iloc[0]["figure_of"] == "politie-eenheid Limburg"


def test_the_label_travels_with_the_figure():
    from zichtop.indicators.registry import indicators

    ind = indicators()["leefbaarheid_drugshandel"][1]
    vaals = stand_in(_rows(), REGIONAL, REGIONS).iloc[0].to_dict()
    assert p.value_text(vaals, ind) == ("5,2 (4,7-5,8) % van de inwoners van 15 jaar of ouder "
                                        "(cijfer van politie-eenheid Limburg)")
    assert p.short_value_text(vaals, ind) == "5,2 (4,7-5,8)% (cijfer van politie-eenheid " \
        "Limburg)"
