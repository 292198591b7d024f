"""The store built from the real mirror, checked against figures looked up by hand in the CSVs
(values quoted from ../shared/data/cbs with grep; see the comments)."""

import csv

import pytest

from zichtop.core.config import DEFAULT_MIRROR


def value(con, table, measure, region, period, dims="{}"):
    row = con.execute("SELECT value FROM observations WHERE table_id=? AND measure=? AND "
                      "region_code=? AND period_key=? AND dims=?",
                      [table, measure, region, period, dims]).fetchone()
    return None if row is None else row[0]


def test_tables_exist(con):
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
             .fetchall()}
    assert {"observations", "gm_observations", "regions", "population", "boundaries",
            "boundary_layers", "provenance", "build_info", "results", "indicator_status",
            "composites", "85655NED", "85755NED"} <= names


def test_hand_checked_counts(con):
    # 85655NED.csv line 556: 10000;Totaal mannen en vrouwen;Amsterdam;2024;9280.0;...;1170.0 (_6)
    assert value(con, "85655NED", "VerdachtenVanDrugsmisdrijven_6", "GM0363", "2024JJ00") == 1170
    # 83648NED.csv line 556: Misdrijven, totaal;Amsterdam;2024;83290.0;100.0;89.4
    assert value(con, "83648NED", "TotaalGeregistreerdeMisdrijven_1", "GM0363", "2024JJ00") == 83290
    assert value(con, "83648NED", "GeregistreerdeMisdrijvenPer1000Inw_3", "NL01", "2024JJ00") == 45.2
    # 82900NED.csv: Totaal;Amsterdam;2024;480852.0;...;146189.0;739.0
    assert value(con, "82900NED", "EigendomOnbekend_6", "GM0363", "2024JJ00") == 739


def test_units_are_scaled_to_euros(con):
    # 85036NED: Nederland;Totaal;2019;250.0 (x 1 000 euro)
    assert value(con, "85036NED", "GemiddeldeWOZWaardeVanWoningen_1", "NL01", "2019JJ00",
                 '{"Eigendom": "Totaal"}') == 250_000
    # 84580NED: Totaal;Nederland;2017;;;4597228.0 (x 1 000 euro)
    assert value(con, "84580NED", "GerealiseerdeUitgaven_3", "NL01", "2017JJ00",
                 '{"MaatwerkvoorzieningenType": "Totaal"}') == 4_597_228_000
    unit = con.execute("SELECT DISTINCT unit FROM observations WHERE table_id='85655NED' AND "
                       "measure='VerdachtenVanDrugsmisdrijven_13'").fetchone()[0]
    assert unit == "per 10 000 inwoners"


def test_half_years_from_both_spellings(con):
    # 85099NED writes "1e half jaar 2024", 86050NED "1e halfjaar 2024": both become 2024HJ01
    for table in ("85099NED", "86050NED"):
        periods = {r[0] for r in con.execute(
            "SELECT DISTINCT period_key FROM observations WHERE table_id = ?", [table]).fetchall()}
        assert "2024HJ01" in periods


def test_region_dimension_matches_independent_geometry(con):
    """gemeente_regio_2024_DERIVED.csv assigns RIEC regions by polygon overlap, independently
    of the Gebieden table: both must agree for all 342 municipalities."""
    path = DEFAULT_MIRROR / "geo" / "gemeente_regio_2024_DERIVED.csv"
    with path.open(encoding="utf-8") as f:
        derived = {r["gemeentecode"]: (r["politie_regionale_eenheid_code"], r["provinciecode"])
                   for r in csv.DictReader(f)}
    ours = {c: (re, pv) for c, re, pv in con.execute(
        "SELECT code, riec_code, province_code FROM regions WHERE level = 'GM'").fetchall()}
    assert len(ours) == 342
    assert ours == derived
    counts = dict(con.execute("SELECT riec_code, count(*) FROM regions WHERE level='GM' "
                              "GROUP BY 1").fetchall())
    assert counts == {"RE01": 40, "RE02": 76, "RE03": 38, "RE04": 32, "RE05": 6, "RE06": 27,
                      "RE07": 23, "RE08": 37, "RE09": 32, "RE10": 31}


def test_inhabitants_per_year(con):
    # 85755NED Inwonertal_56 Amsterdam = 931298; 85385NED (2023) = 918117
    got = dict(con.execute("SELECT year, inhabitants FROM population WHERE region_code='GM0363'")
               .fetchall())
    assert got[2024] == 931298 and got[2023] == 918117
    assert set(got) == set(range(2016, 2026))
    # 2016 on 2024 boundaries: Amsterdam 833 624 plus Weesp 18 572 (83287NED Inwonertal_52)
    assert got[2016] == 833624 + 18572


def test_truncated_slices_recorded(con):
    prov = {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT table_id, truncated, complete_slice FROM provenance").fetchall()}
    assert prov["85655NED"] == (True, "Geslacht=Totaal mannen en vrouwen")
    assert prov["86054NED"][0] is False
    # rows outside the complete slice never reach observations
    assert con.execute("SELECT count(*) FROM observations WHERE table_id='83648NED' AND "
                       "dims LIKE '%Vermogens%'").fetchone()[0] == 0


def test_every_observation_traces_to_table_measure_period(con):
    missing = con.execute("SELECT count(*) FROM observations WHERE table_id IS NULL OR measure "
                          "IS NULL OR period_key IS NULL OR region_code IS NULL").fetchone()[0]
    assert missing == 0
    unknown = con.execute("SELECT count(*) FROM observations o WHERE NOT EXISTS (SELECT 1 FROM "
                          "provenance p WHERE p.table_id = o.table_id)").fetchone()[0]
    assert unknown == 0


def test_crosswalk_weesp_into_amsterdam(con):
    """2021 figures on 2024 boundaries: Weesp (GM0457) merged into Amsterdam in 2022.
    85655NED 2021 drug suspects: Amsterdam 900, Weesp 10; crosswalk 2021->2024 gives weight 1
    for both into GM0363, so Amsterdam-2024 in 2021 = 910."""
    row = con.execute("SELECT value, status FROM gm_observations WHERE table_id='85655NED' AND "
                      "measure='VerdachtenVanDrugsmisdrijven_6' AND region_code='GM0363' AND "
                      "period_key='2021JJ00'").fetchone()
    assert row == (910.0, "converted")


def test_unconvertible_years_are_marked_never_guessed(con):
    rows = con.execute("SELECT DISTINCT status FROM gm_observations WHERE year < 2016").fetchall()
    assert rows == [("unconverted",)]
    nulls = con.execute("SELECT count(*) FROM gm_observations WHERE status='unconverted' AND "
                        "value IS NOT NULL").fetchone()[0]
    assert nulls == 0


def test_boundaries_for_the_web(con):
    layers = dict(con.execute("SELECT level, bytes FROM boundary_layers").fetchall())
    assert set(layers) == {"GM", "PV", "RE"}
    assert layers["GM"] < 250_000  # what the browser receives once per page
    n = dict(con.execute("SELECT level, count(*) FROM boundaries GROUP BY 1").fetchall())
    assert n == {"GM": 342, "PV": 12, "RE": 10, "WK": 3393}


@pytest.mark.parametrize("table", ["85655NED", "83648NED", "82900NED", "86054NED"])
def test_all_342_municipalities_in_latest_year(con, table):
    n = con.execute("SELECT count(DISTINCT region_code) FROM gm_observations WHERE table_id=? "
                    "AND year = (SELECT max(year) FROM gm_observations WHERE table_id=?)",
                    [table, table]).fetchone()[0]
    assert n == 342
