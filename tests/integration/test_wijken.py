"""The wijk level: areas, wijk indicators computed with the same method, the one small-number
rule (with complementary suppression), coverage per municipality of a cut table, the pages and
the region's wijk sheet.

Expected values were computed by hand from the mirror's CSVs (cbs/85995NED.csv, cbs/85984NED.csv
and the StatLine KWB export with inhabitants), as the comments show; the tests also recompute
them with the csv module, independently of Zichtop's loaders."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from zichtop.core.config import REPO_ROOT
from zichtop.indicators.registry import area_indicators
from zichtop.method.privacy import MIN_NUMERATOR, complementary

KWB_EXPORT = "statline/kwb-2024-bevolking-85984/Kerncijfers_wijken_en_buurten_2024_geslachten.csv"


def _rows(path, delimiter=";"):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@pytest.fixture(scope="module")
def raw(mirror):
    inhabitants = {}
    with open(mirror / KWB_EXPORT, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        for row in reader:
            inhabitants[row[3].strip()] = float(row[5])
    wmo = {(r["Financieringsvorm"], r["Codering_3"].strip()): r["WmoClienten_5"]
           for r in _rows(mirror / "cbs" / "85995NED.csv")}
    kwb = {r["Codering_3"].strip(): r for r in _rows(mirror / "cbs" / "85984NED.csv")}
    return inhabitants, wmo, kwb


def value(con, indicator, code):
    rows = con.execute("SELECT value, parent_value, parent_index, national_value, category, "
                       "suppressed, status_label FROM area_results WHERE indicator = ? AND "
                       "region_code = ?", [indicator, code]).fetchall()
    assert len(rows) == 1, (indicator, code, rows)
    return rows[0]


# --- areas -------------------------------------------------------------------------------


def test_every_wijk_and_buurt_is_an_area_with_its_parent(con, raw):
    inhabitants, _, _ = raw
    counts = dict(con.execute("SELECT level, count(*) FROM areas GROUP BY level").fetchall())
    wk = sum(c.startswith("WK") for c in inhabitants)
    bu = sum(c.startswith("BU") for c in inhabitants)
    assert (counts["GM"], counts["WK"], counts["BU"]) == (342, wk, bu) == (342, 3393, 14574)
    orphans = con.execute("""SELECT count(*) FROM areas a LEFT JOIN areas p
                             ON p.code = a.parent_code WHERE a.level IN ('WK', 'BU')
                             AND (p.code IS NULL OR p.level <> CASE a.level WHEN 'WK' THEN 'GM'
                                                                    ELSE 'WK' END)""")
    assert orphans.fetchall()[0][0] == 0
    # inhabitants as the export gives them: Wijk 05 Oostburg (Sluis) 4,690
    assert con.execute("SELECT inhabitants FROM areas WHERE code = 'WK171405'").fetchall() == \
        [(inhabitants["WK171405"],)] == [(4690.0,)]


def test_wijk_boundaries_cover_every_wijk_and_are_sent_per_municipality(con):
    shapes = con.execute("SELECT count(*) FROM boundaries WHERE level = 'WK'").fetchall()[0][0]
    assert shapes == 3393  # the 82 water/'Buitenland' wijken of the file are left out
    layers = con.execute("SELECT municipality_code, geojson, bytes FROM area_layers "
                         "WHERE level = 'WK'").fetchall()
    assert len(layers) == 342
    amsterdam = next(json.loads(g) for m, g, _ in layers if m == "GM0363")
    codes = [f["id"] for f in amsterdam["features"]]
    assert len(codes) == 110 and all(c.startswith("WK0363") for c in codes)
    assert max(b for *_, b in layers) < 200_000  # one municipality, never the 3.8 MB file


# --- hand-computed values ----------------------------------------------------------------


def test_wmo_per_1000_for_three_wijken(con, raw):
    inhabitants, wmo, _ = raw
    cases = {
        "WK171405": 525 / 4690 * 1000,  # Sluis, Wijk 05 Oostburg: 111.94
        "WK168000": 245 / 3590 * 1000,  # Aa en Hunze, Wijk 00 Annen: 68.25
        "WK0363AA": 610 / 9180 * 1000,  # Amsterdam, Haarlemmerbuurt: 66.45
    }
    for code, expected in cases.items():
        from_csv = float(wmo[("Totaal", code)]) / inhabitants[code] * 1000
        assert from_csv == pytest.approx(expected)
        got, parent_value, parent_index, *_ = value(con, "wijk_wmo_per_1000", code)
        assert got == pytest.approx(expected)
    # against its own municipality: Sluis 2,035 clients / 23,150 inhabitants (KWB) = 87.90
    _, parent_value, parent_index, *_ = value(con, "wijk_wmo_per_1000", "WK171405")
    assert parent_value == pytest.approx(2035 / 23150 * 1000)
    assert parent_index == pytest.approx((525 / 4690) / (2035 / 23150) * 100)  # 127.3


def test_kwb_indicators_for_three_wijken(con, raw):
    inhabitants, _, kwb = raw
    # Haarlemmerbuurt: 515 establishments in G+I, 125 in K-L, 9,180 inhabitants
    assert float(kwb["WK0363AA"]["GIHandelEnHoreca_105"]) == 515
    got, parent_value, parent_index, national, *_ = value(con, "wijk_handel_horeca_per_1000",
                                                         "WK0363AA")
    assert got == pytest.approx(515 / 9180 * 1000)  # 56.10
    assert parent_value == pytest.approx(30865 / 931298 * 1000)  # Amsterdam 33.14
    # CBS's national row: 419,330 / 17,942,942 = 23.370 per 1 000, published as 23.37
    assert national == pytest.approx(23.37)
    assert value(con, "wijk_financieel_vastgoed_per_1000", "WK0363AA")[0] == \
        pytest.approx(125 / 9180 * 1000)  # 13.62
    # published figures (a mean and a percentage) are taken as CBS gives them
    assert value(con, "wijk_overige_verhuurders", "WK168000")[0] == 7.0  # Annen 7%
    assert value(con, "wijk_woz", "WK0363AA")[0] == 610_000.0  # 610 x 1 000 euro
    # a buurt against its wijk: Oosterdokseiland (BU0363AF01) 40 G+I on 555 inhabitants
    got, parent_value, *_ = value(con, "wijk_handel_horeca_per_1000", "BU0363AF01")
    assert got == pytest.approx(40 / 555 * 1000)
    assert parent_value == pytest.approx(550 / 10010 * 1000)  # Nieuwmarkt/Lastage


def test_pgb_counts_cbs_left_empty_are_te_klein_cbs(con, raw):
    _, wmo, _ = raw
    pgb = "Uitsluitend PersoonsGebondenBudget (PGB)"
    assert wmo[(pgb, "WK171405")] == ""
    got, *_, suppressed, label = value(con, "wijk_pgb_per_1000", "WK171405")
    assert got is None and suppressed and label == "te klein (CBS)"
    # Haarlemmerbuurt: 20 of 610 Wmo clients with only a pgb = 3.28%
    assert (wmo[(pgb, "WK0363AA")], wmo[("Totaal", "WK0363AA")]) == ("20.0", "610.0")
    assert value(con, "wijk_pgb_aandeel", "WK0363AA")[0] == pytest.approx(20 / 610 * 100)


# --- coverage of a cut table -------------------------------------------------------------


def test_kwb_figures_only_where_the_loaded_table_holds_every_wijk(con, raw):
    _, _, kwb = raw
    status = dict(con.execute(
        "SELECT municipality_code, status FROM area_coverage WHERE indicator = "
        "'wijk_overige_verhuurders' AND level = 'WK'").fetchall())
    assert len(status) == 342
    assert status["GM0363"] == "volledig"  # Amsterdam lies between Aa en Hunze and Maasdriel
    assert status["GM1714"] == "niet geladen"  # Sluis lies after Maasdriel
    assert status["GM0263"] == "niet geladen"  # Maasdriel itself was cut mid-way
    in_dump = {c[2:6] for c in kwb if c.startswith("GM")}
    complete = {m[2:] for m, s in status.items() if s == "volledig"}
    assert complete == in_dump - {"0263"} and len(complete) == 171
    # a municipality not loaded has no wijk rows at all (never a partial table)
    assert con.execute("SELECT count(*) FROM area_results WHERE municipality_code IN "
                       "('GM1714', 'GM0263') AND indicator = 'wijk_woz'").fetchall()[0][0] == 0


def test_wmo_wijken_cover_the_municipalities_that_deliver(con, raw):
    _, wmo, _ = raw
    status = dict(con.execute(
        "SELECT status, count(*) FROM area_coverage WHERE indicator = 'wijk_wmo_per_1000' "
        "GROUP BY status").fetchall())
    delivering = {c[2:6] for (_f, c) in wmo if c.startswith("WK")}
    assert status == {"volledig": len(delivering), "geen cijfers": 342 - len(delivering)}
    assert len(delivering) == 333


# --- privacy -----------------------------------------------------------------------------


def test_no_hidden_wijk_figure_is_stored_and_none_can_be_subtracted(con):
    leaked = con.execute("SELECT count(*) FROM area_results WHERE suppressed AND (value IS NOT "
                         "NULL OR numerator IS NOT NULL OR index IS NOT NULL OR parent_index "
                         "IS NOT NULL OR category IS NOT NULL)").fetchall()[0][0]
    assert leaked == 0
    # where a municipality's (or wijk's) own figure is shown, never exactly one child hidden
    # while all the others are shown
    lone = con.execute("""
        SELECT indicator, parent_code FROM area_results
        WHERE indicator IN (SELECT indicator FROM area_results WHERE z IS NOT NULL)
        GROUP BY ALL
        HAVING max(parent_value) IS NOT NULL AND count(*) > 1
           AND count(*) FILTER (WHERE suppressed) = 1
           AND count(*) FILTER (WHERE NOT suppressed AND value IS NULL) = 0
        """).fetchall()  # (a municipality of one wijk: that wijk is the municipality)
    assert lone == []
    small = con.execute("SELECT count(*) FROM area_results WHERE NOT suppressed AND "
                        "numerator < ? AND indicator LIKE '%per_1000'",
                        [MIN_NUMERATOR]).fetchall()[0][0]
    assert small == 0


def test_complementary_suppression_hides_the_smallest_other_member():
    groups = ["A", "A", "A", "B", "B", "C", "C"]
    hidden = [True, False, False, True, True, True, False]
    counts = [5, 40, 20, 0, 5, 5, 30]
    published = [True, True, True, True, True, False, False]
    extra = complementary(groups, hidden, counts, published)
    # A: one hidden, total shown -> the 20 goes too; B: two hidden already; C: total not shown
    assert extra.tolist() == [False, False, True, False, False, False, False]


# --- method ------------------------------------------------------------------------------


def test_funnel_categories_for_counts_and_no_test_for_published_means(con):
    counted = con.execute("SELECT count(*), count(DISTINCT category), any_value(overdispersion) "
                          "FROM area_results WHERE indicator = 'wijk_wmo_per_1000' AND "
                          "level = 'WK' AND NOT suppressed AND value IS NOT NULL").fetchall()[0]
    assert counted[0] > 2900 and counted[1] == 5 and counted[2] > 1
    means = con.execute("SELECT DISTINCT category FROM area_results WHERE indicator = "
                        "'wijk_woz' AND value IS NOT NULL").fetchall()
    assert means == [("geen toets",)]


def test_every_area_indicator_is_documented_and_tested():
    text = (REPO_ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    here = Path(__file__).read_text(encoding="utf-8")
    for ind_id in area_indicators():
        assert ind_id in text, f"{ind_id} is not in docs/indicators.md (zichtop docs)"
        assert f'"{ind_id}"' in here, f"{ind_id} has no test here"


# --- the region's wijk sheet -------------------------------------------------------------


def test_region_pack_has_a_wijk_sheet(built_db):
    from zichtop.web.app import create_app

    app = create_app(built_db)
    with app.server.app_context():
        from zichtop.read.exports import to_xlsx_bytes
        from zichtop.web.packs import export_pack

        _flat, sheets, definitions = export_pack("RE08")
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(sheets, definitions)))
    sheet = book["Wijken"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    oostburg = [r for r in rows if r["Code"] == "WK171405"
                and r["Indicator"].startswith("Wmo-cliënten per")]
    assert len(oostburg) == 1 and oostburg[0]["Waarde"] == pytest.approx(111.94, abs=0.005)
    assert {r["Toelichting"] for r in rows if r["Gemeente"] == "Sluis"
            and r["Thema"] == "Vastgoed"} == {"geen wijkcijfers in deze installatie"}
    assert all(r["Waarde"] is None for r in rows if r["Toelichting"])
    assert np.all([r["Bron"].startswith("CBS 859") for r in rows])


def test_no_buurt_gives_a_hidden_wijk_back(con):
    """On the real store: no buurt row carries the figure of a wijk that is "te klein", and no
    buurt of such a wijk is shown (their sum would give the wijk back; before this rule 155 buurt
    rows carried a hidden wijk's figure and 330 buurten of hidden wijken were shown)."""
    carried, shown = con.execute(
        """SELECT count(*) FILTER (WHERE bu.parent_value IS NOT NULL OR bu.parent_index IS NOT NULL),
                  count(*) FILTER (WHERE NOT bu.suppressed)
           FROM area_results bu JOIN area_results wk
             ON wk.indicator = bu.indicator AND wk.region_code = bu.parent_code
            AND wk.period_key = bu.period_key
           WHERE bu.level = 'BU' AND wk.suppressed""").fetchone()
    assert (carried, shown) == (0, 0)
    hidden_wijken = con.execute("SELECT count(*) FROM area_results WHERE level = 'WK' AND "
                                "suppressed AND region_code IN (SELECT parent_code FROM "
                                "area_results WHERE level = 'BU')").fetchone()[0]
    assert hidden_wijken > 0  # the rule was exercised


def test_one_count_is_hidden_in_every_indicator_that_shows_it(con):
    """pgb clients per 1 000 inhabitants and as a share of Wmo clients share their count: an
    area hidden in one is hidden in the other (323 wijk-periods differed before, e.g. WK010601
    whose pgb count followed from the shown share times the shown Wmo count)."""
    differ, both = con.execute(
        """SELECT count(*) FILTER (WHERE x.suppressed <> y.suppressed), count(*)
           FROM area_results x JOIN area_results y USING (level, region_code, period_key)
           WHERE x.indicator = 'wijk_pgb_per_1000' AND y.indicator = 'wijk_pgb_aandeel'""",
    ).fetchone()
    assert both > 3000 and differ == 0
    assert con.execute("SELECT bool_and(suppressed) FROM area_results WHERE region_code = "
                       "'WK010601' AND indicator LIKE 'wijk_pgb%' AND period_key = "
                       "'2024HJ01'").fetchone()[0]
    # the coverage counts follow: shown + hidden + missing = the wijken of each municipality
    bad = con.execute("SELECT count(*) FROM area_coverage WHERE status = 'volledig' AND "
                      "n_value + n_small + n_missing <> n_areas").fetchone()[0]
    assert bad == 0
