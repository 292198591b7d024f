"""Unit tests on hand-made rows, as dbt's unit tests: given rows -> expected rows, without the
mirror: the method on frames in hand (no database), one indicator on three municipalities,
one on four wijken."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from zichtop.indicators.registry import indicators
from zichtop.method import areas as area_method
from zichtop.method import municipal
from zichtop.method.municipalities import Municipalities


def _municipalities() -> tuple[pd.DataFrame, Municipalities]:
    """Three municipalities: A and B in PV01, C in PV02, all three in RE01; their rows of drug
    suspects and inhabitants as the method takes them (no database)."""
    suspects = {"GM0001": 30.0, "GM0002": 40.0, "GM0003": 5.0}
    inhabitants = {"GM0001": 10_000.0, "GM0002": 20_000.0, "GM0003": 5_000.0}
    codes = list(suspects)
    rows = pd.DataFrame({"region_code": codes, "period_key": "2024JJ00",
                         "numerator": list(suspects.values()),
                         "denominator": list(inhabitants.values()), "row_present": True,
                         "boundary_status": "native", "missing_share": np.nan})
    members = pd.DataFrame({"province_code": ["PV01", "PV01", "PV02"],
                            "riec_code": ["RE01"] * 3}, index=codes)
    population = pd.DataFrame({2024: list(inhabitants.values())}, index=codes)
    return rows, Municipalities(codes, members, population, np.ones((3, 3)) - np.eye(3))


def test_one_indicator_by_hand():
    """Drug suspects per 1 000 inhabitants on three municipalities, computed on paper:
    national = 75 / 35 000 x 1 000 = 2.14, published rounded to 1 (half a step x 35 000 /
    1 000 >= 10 needs a step of 1): 2.0. C has 5 suspects: te klein. A = 3.0 (index 150),
    B = 2.0 (index 100). PV01 = (30 + 40) / 30 000 x 1 000 = 2.33 on all its inhabitants;
    PV02 and RE01 rest on 0% and 85.7% of their inhabitants: onvolledig (85%: a coverage is
    rounded down, never up to the 95% it fails). Fewer than 20
    municipalities expect 5 or more events: no test; A's funnel z = (30 - 20) / sqrt(20 +
    100/12) = 1.879. The method runs on the frame in hand: no database."""
    rows, area = _municipalities()
    theme, ind = indicators()["drugs_verdachten"]
    out = municipal.compute(rows, ind, area, theme.id).set_index("region_code")
    assert set(out["national_value"]) == {2.0}
    a, b, c = out.loc["GM0001"], out.loc["GM0002"], out.loc["GM0003"]
    assert a["value"] == pytest.approx(3.0) and a["index"] == pytest.approx(150.0)
    assert b["value"] == pytest.approx(2.0) and b["index"] == pytest.approx(100.0)
    assert c["suppressed"] and c["status_label"] == "te klein" and pd.isna(c["value"])
    assert pd.isna(c["numerator"]) and pd.isna(c["z"])  # nothing to recompute it from
    assert a["category"] == b["category"] == "geen toets"
    assert a["z"] == pytest.approx(10 / math.sqrt(20 + 100 / 12))
    assert (a["rank"], b["rank"]) == (1.0, 2.0)
    pv01, pv02, re01 = out.loc["PV01"], out.loc["PV02"], out.loc["RE01"]
    assert pv01["value"] == pytest.approx(70 / 30_000 * 1000) and pv01["coverage"] == 1.0
    assert pv01["numerator"] == 70.0  # the shown members only
    assert pv02["status_label"] == "onvolledig (0% van de inwoners)" and pd.isna(pv02["value"])
    assert re01["status_label"] == "onvolledig (85% van de inwoners)"  # 85.7%, rounded down
    assert re01["coverage"] == pytest.approx(30_000 / 35_000)
    assert out["peer_value"].isna().all()  # fewer than 5 neighbours with a shown figure


def test_one_wijk_indicator_by_hand():
    """Wmo clients per 1 000 inhabitants in four wijken of one municipality, on paper:
    W1 40 / 2 000, W2 5 / 1 000 (te klein), W3 15 / 500, W4 60 / 3 000; the municipality
    120 / 6 500 x 1 000 = 18.46. No national row: the sum over municipalities, 18.46, published
    in steps of 10 (half a step x 6 500 / 1 000 >= 10): 20. W2 is the only hidden wijk while the
    municipality's own figure is shown, so the smallest shown count, W3 (15), is hidden too:
    120 - 40 - 60 would otherwise give W2 + W3 = 20, and W3 alone shown would give W2."""
    from zichtop.indicators.registry import area_indicators

    counts = {"GM0001": 120.0, "WK000101": 40.0, "WK000102": 5.0, "WK000103": 15.0,
              "WK000104": 60.0}
    people = {"GM0001": 6500.0, "WK000101": 2000.0, "WK000102": 1000.0, "WK000103": 500.0,
              "WK000104": 3000.0}
    rows = pd.DataFrame({"region_code": list(counts), "region_level": [c[:2] for c in counts],
                         "period_key": "2024HJ01", "numerator": list(counts.values()),
                         "denominator": [people[c] for c in counts], "row_present": True})
    areas = pd.DataFrame({"code": list(people), "name": list(people),
                          "level": [c[:2] for c in people],
                          "parent_code": [None, "GM0001", "GM0001", "GM0001", "GM0001"],
                          "municipality_code": "GM0001", "inhabitants": list(people.values()),
                          "inhabitants_source": "hand"})
    theme, ind = area_indicators()["wijk_wmo_per_1000"]
    out, coverage = area_method.compute(rows, ind, areas, theme.id, by_municipality=False)
    out = out.set_index("region_code")
    w1, w2, w3, w4 = (out.loc[f"WK00010{i}"] for i in range(1, 5))
    assert set(out["national_value"]) == {20.0}
    assert w1["value"] == pytest.approx(20.0) and w1["index"] == pytest.approx(100.0)
    assert w1["parent_value"] == pytest.approx(120 / 6500 * 1000)
    assert w1["parent_index"] == pytest.approx(20 / (120 / 6500 * 1000) * 100)  # 108.3
    assert w4["value"] == pytest.approx(20.0)
    for hidden in (w2, w3):
        assert hidden["suppressed"] and hidden["status_label"] == "te klein"
        assert pd.isna(hidden["value"]) and pd.isna(hidden["numerator"])
    assert w1["category"] == "geen toets"  # fewer than 20 wijken expect 5 or more
    assert w1["z"] == pytest.approx(0.0)  # 40 observed, 2 000 x 20 / 1 000 = 40 expected
    assert coverage[["status", "n_areas", "n_value", "n_small"]].to_dict("records") == [
        {"status": "volledig", "n_areas": 4, "n_value": 2, "n_small": 2}]


def test_the_buurten_of_a_hidden_wijk_are_hidden_by_hand():
    """Establishments in one municipality, four wijken, buurten under W3 and W1, on paper:
    W2 has 5 (te klein) and is the only hidden wijk while the municipality is shown, so W3
    (15, the smallest shown) is hidden too. W3's buurten B1 (10) and B2 (5) would give W3 back
    (10 + 5 = 15) and with it W2 (120 - 40 - 60 - 15 = 5): they are hidden, and no buurt of W3
    carries W3's figure. W1's buurten (20 and 20) stay, with W1 as their parent (40 / 2 000)."""
    from zichtop.indicators.registry import area_indicators

    counts = {"GM0001": 120.0, "WK000101": 40.0, "WK000102": 5.0, "WK000103": 15.0,
              "WK000104": 60.0, "BU00010301": 10.0, "BU00010302": 5.0, "BU00010101": 20.0,
              "BU00010102": 20.0}
    people = {"GM0001": 6500.0, "WK000101": 2000.0, "WK000102": 1000.0, "WK000103": 500.0,
              "WK000104": 3000.0, "BU00010301": 300.0, "BU00010302": 200.0,
              "BU00010101": 1000.0, "BU00010102": 1000.0}
    rows = pd.DataFrame({"region_code": list(counts), "region_level": [c[:2] for c in counts],
                         "period_key": "2024JJ00", "numerator": list(counts.values()),
                         "denominator": [people[c] for c in counts], "row_present": True})
    parents = {c: ("GM" + c[2:6] if c.startswith("WK") else "WK" + c[2:8]) for c in people
               if c != "GM0001"}
    areas = pd.DataFrame({"code": list(people), "name": list(people),
                          "level": [c[:2] for c in people],
                          "parent_code": [parents.get(c) for c in people],
                          "municipality_code": "GM0001", "inhabitants": list(people.values()),
                          "inhabitants_source": "hand"})
    theme, ind = area_indicators()["wijk_handel_horeca_per_1000"]
    out, _ = area_method.compute(rows, ind, areas, theme.id, by_municipality=False)
    out = out.set_index("region_code")
    assert out.loc["WK000102", "suppressed"] and out.loc["WK000103", "suppressed"]
    for code in ("BU00010301", "BU00010302"):
        b = out.loc[code]
        assert b["suppressed"] and b["status_label"] == "te klein"
        assert pd.isna(b["value"]) and pd.isna(b["parent_value"]) and pd.isna(b["parent_index"])
    b1 = out.loc["BU00010101"]
    assert not b1["suppressed"] and b1["value"] == pytest.approx(20.0)
    assert b1["parent_value"] == pytest.approx(20.0) and b1["parent_index"] == pytest.approx(100)


def test_a_significant_rise_by_hand():
    """From 40 to 70 events on the same 10 000 inhabitants: 110 events, the later period's
    share expected 55 with variance 110 x 0.5 x 0.5 = 27.5, so z = (70 - 55) / 5.244 = 2.86:
    a significant rise. From 40 to 50: z = (50 - 45) / sqrt(22.5) = 1.05: not. From 40 on
    10 000 to 70 on 20 000 inhabitants (the same rate): no rise. Counts rounded to tens add
    100 / 12 to the variance: z = 15 / sqrt(27.5 + 8.33) = 2.51, still a rise."""
    from zichtop.method.trends import rise_z, rising

    z = rise_z([40, 40, 40, 40], [1e4, 1e4, 1e4, 1e4], [70, 50, 70, 0], [1e4, 1e4, 2e4, 1e4])
    assert z[0] == pytest.approx(15 / np.sqrt(27.5))
    assert z[1] == pytest.approx(5 / np.sqrt(22.5))
    assert z[2] == pytest.approx((70 - 110 * 2 / 3) / np.sqrt(110 * 2 / 9))
    assert list(rising([40, 40, 40], [1e4] * 3, [70, 50, 70], [1e4, 1e4, 2e4])) == \
        [True, False, False]
    assert rise_z([40], [1e4], [70], [1e4], rounding=10)[0] == pytest.approx(
        15 / np.sqrt(27.5 + 100 / 12))
    assert np.isnan(rise_z([0], [1e4], [0], [1e4])[0])
