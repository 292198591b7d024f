"""Survey estimates (the Veiligheidsmonitor) in the real store: CBS's value and 95% interval
as published, the difference test worked out by hand, CBS's own figure for every region (never
an average of gemeenten), and the politie-eenheid's figure for a gemeente CBS does not publish,
labelled as such.

Hand values: read with grep from ../shared/data/cbs (the lines are quoted)."""

from __future__ import annotations

import math

import pytest

from zichtop.indicators.registry import indicators
from zichtop.read import estimates

# (indicator, area, period) -> (value, lower, upper), from the CSV
PUBLISHED = {
    # 85146NED Drugshandel_30, 2023: "Waarde;Nederland;2023;...;3.5" and its two margin rows
    ("leefbaarheid_drugshandel", "NL01", "2023JJ00"): (3.5, 3.4, 3.6),
    ("leefbaarheid_drugshandel", "GM0917", "2023JJ00"): (10.7, 7.4, 15.1),  # Heerlen (GM)
    ("leefbaarheid_drugshandel", "RE10", "2023JJ00"): (5.2, 4.7, 5.8),  # Limburg (RE)
    # 85472NED TotaalSlachtoffers_1, 2023
    ("digitaal_slachtoffers", "NL01", "2023JJ00"): (15.6, 15.4, 15.9),
    ("digitaal_slachtoffers", "GM0363", "2023JJ00"): (18.0, 16.9, 19.2),  # Amsterdam (GM)
    # 85146NED Drugshandel_30, 2021, Heerlen: 10.1 (7.2-14.1)
    ("leefbaarheid_drugshandel", "GM0917", "2021JJ00"): (10.1, 7.2, 14.1),
}


def _row(con, indicator: str, code: str, period: str) -> dict:
    frame = con.execute("SELECT * FROM results WHERE indicator = ? AND region_code = ? AND "
                        "period_key = ?", [indicator, code, period]).df()
    assert len(frame) == 1, (indicator, code, period)
    return frame.iloc[0].to_dict()


@pytest.mark.parametrize("key", list(PUBLISHED))
def test_value_and_interval_are_cbs_own(con, key):
    row = _row(con, *key)
    assert (row["value"], row["estimate_lower"], row["estimate_upper"]) == \
        pytest.approx(PUBLISHED[key], abs=1e-9)


def test_heerlen_drug_dealing_is_significantly_higher_by_hand(con):
    """Heerlen 10.7 (7.4-15.1) against NL 3.5 (3.4-3.6): the sides facing each other give
    se = (10.7 - 7.4) / 1.96 = 1.684 and (3.6 - 3.5) / 1.96 = 0.051, so
    z = 7.2 / sqrt(1.684^2 + 0.051^2) = 4.27 > 3.09: significantly higher."""
    row = _row(con, "leefbaarheid_drugshandel", "GM0917", "2023JJ00")
    z = 7.2 / math.hypot(3.3 / 1.959964, 0.1 / 1.959964)
    assert row["z"] == pytest.approx(z, rel=1e-6) and 4.2 < z < 4.3
    assert row["category"] == "significant hoger"
    assert row["national_value"] == pytest.approx(3.5)
    assert row["index"] == pytest.approx(10.7 / 3.5 * 100)


def test_amsterdam_online_crime_by_hand(con):
    """18.0 (16.9-19.2) against 15.6 (15.4-15.9): z = 2.4 / sqrt((1.1/1.96)^2 + (0.3/1.96)^2)
    = 4.13: significantly higher."""
    row = _row(con, "digitaal_slachtoffers", "GM0363", "2023JJ00")
    assert row["z"] == pytest.approx(2.4 / math.hypot(1.1 / 1.959964, 0.3 / 1.959964), rel=1e-6)
    assert row["category"] == "significant hoger"


def test_a_region_carries_cbs_estimate_never_an_average(con):
    """Every province, politie-eenheid and the country: the value CBS published for it, with
    coverage 1; no gemeente row of a survey indicator pools into it."""
    for ind_id in sorted(estimates.estimate_ids()):
        source = indicators()[ind_id][1].numerator
        got = con.execute(
            """SELECT r.value, o.value, r.coverage FROM results r JOIN observations o
                 ON o.region_code = r.region_code AND o.period_key = r.period_key
               WHERE r.indicator = ? AND r.level IN ('RE', 'PV', 'NL') AND o.table_id = ?
                 AND o.measure = ? AND o.dims = '{"Marges": "MW00000"}'""",
            [ind_id, source.table, source.measure]).fetchall()
        assert len(got) == 2 * 23, ind_id  # 10 politie-eenheden, 12 provinces, NL; 2 years
        for value, cbs, coverage in got:
            assert (value is None and cbs is None) or value == pytest.approx(cbs), ind_id
            assert coverage == 1.0


def test_only_the_55_gemeenten_cbs_publishes_have_an_own_figure(con):
    own = con.execute(
        """SELECT indicator, count(*) FILTER (WHERE value IS NOT NULL) FROM results
           WHERE level = 'GM' AND period_key = '2023JJ00' AND list_contains(?, indicator)
           GROUP BY indicator""", [sorted(estimates.estimate_ids())]).fetchall()
    for indicator, n in own:
        assert n <= 55, indicator
    assert dict(own)["leefbaarheid_drugshandel"] == 55


def test_a_change_is_flagged_only_when_significant(con):
    """Heerlen's drug dealing 10.1 (7.2-14.1) -> 10.7 (7.4-15.1): z = 0.6 / sqrt((3.3/1.96)^2 +
    (4.0/1.96)^2) = 0.23, no flag; the country's online crime 16.9 (16.7-17.2) -> 15.6
    (15.4-15.9): z = -1.3 / sqrt((0.2/1.96)^2 + (0.3/1.96)^2) = -7.0, flagged."""
    assert not _row(con, "leefbaarheid_drugshandel", "GM0917", "2023JJ00")["yoy_flag"]
    assert _row(con, "digitaal_slachtoffers", "NL01", "2023JJ00")["yoy_flag"]


def test_region_export_carries_bounds_and_whose_figure(built_db, monkeypatch):
    """The RIEC pack of Limburg: Heerlen's own estimate with its interval, Vaals's row the
    politie-eenheid's, said so in 'Cijfer van'; the region's own row CBS's estimate."""
    monkeypatch.setenv("ZICHTOP_DB", str(built_db))
    from zichtop.indicators.registry import indicators as registry
    from zichtop.web.packs import export_pack

    flat, _, _ = export_pack("RE10")
    label = registry()["leefbaarheid_drugshandel"][1].label
    rows = flat[flat["Indicator"] == label].set_index("Code")
    heerlen, vaals, region = rows.loc["GM0917"], rows.loc["GM0981"], rows.loc["RE10"]
    assert (heerlen["Waarde"], heerlen["Ondergrens (95%-interval)"],
            heerlen["Bovengrens (95%-interval)"], heerlen["Cijfer van"]) == \
        (10.7, 7.4, 15.1, "gemeente")
    assert (vaals["Waarde"], vaals["Ondergrens (95%-interval)"], vaals["Cijfer van"]) == \
        (5.2, 4.7, "politie-eenheid Limburg")
    assert "publiceert alleen grote gemeenten" in vaals["Toelichting"]
    assert (region["Waarde"], region["Cijfer van"], region["Dekking (% inwoners)"]) == \
        (5.2, "politie-eenheid", 100)
