"""Every build step on a small hand-made mirror (tests/fixture_mirror.py): given rows ->
expected rows, as dbt's unit tests state a model's input and output. Each expected number is
worked out by hand in the comment beside it; the build runs in well under a second."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from tests.fixture_mirror import MUNICIPALITIES, TABLE, write_mirror
from zichtop.core.config import Settings
from zichtop.indicators.catalog import TABLES
from zichtop.pipeline.regions import GEBIEDEN
from zichtop.pipeline.run import STEPS, build

INDICATOR = "vakantie_recreatiewoningen"  # 85383NED NietWoningMetFunctieLogies_38 / inhabitants


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    root = write_mirror(tmp_path_factory.mktemp("fixture_mirror"))
    db = tmp_path_factory.mktemp("fixture_store") / "zichtop.duckdb"
    steps: list[str] = []
    summary = build(Settings(source="mirror", mirror_dir=root, db_path=db), tables=[TABLE],
                    on_step=lambda s: steps.append(s.name))
    return root, db, summary, steps


@pytest.fixture(scope="module")
def fcon(fixture_build):
    return duckdb.connect(str(fixture_build[1]), read_only=True)


def _one(con: duckdb.DuckDBPyConnection, sql: str, *args: object) -> tuple:
    rows = con.execute(sql, list(args)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_every_step_runs_on_the_hand_made_rows(fixture_build):
    _, _, summary, steps = fixture_build
    assert steps == [s.name for s in STEPS]
    assert summary.source == "mirror"
    # 20 municipalities x 2 periods, plus 21 (Zwanenburg still apart) in 2023; x 10 measures
    assert [(t["table_id"], t["rows_in"], t["observations"]) for t in summary.tables] == [
        (TABLE, 61, 610)]


def test_load_keeps_each_table_as_obtained_with_its_fingerprint(fixture_build, fcon):
    root = fixture_build[0]
    types = {t for (t,) in fcon.execute(
        "SELECT DISTINCT data_type FROM duckdb_columns() WHERE schema_name = 'raw'").fetchall()}
    assert types == {"VARCHAR"}
    assert _one(fcon, f'SELECT count(*) FROM raw."{TABLE}"') == (61,)
    # as obtained: the padded title is kept (staging trims it); only the declared columns, as
    # a live build asks CBS for only those (the file's ID column is not one)
    assert _one(fcon, f'SELECT RegioS FROM raw."{TABLE}" WHERE StatusCijfer = \'Definitief\' '
                      "AND Perioden = '2024' AND RegioS LIKE '%Aadorp%'") == (" Aadorp ",)
    columns = [c for (c,) in fcon.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
        "ORDER BY column_index", [TABLE]).fetchall()]
    assert sorted(columns) == sorted(TABLES[TABLE].columns)
    fingerprint, rows = _one(fcon, "SELECT fingerprint, rows FROM provenance WHERE table_id = ?",
                             TABLE)
    assert fingerprint == hashlib.sha256((root / "cbs" / f"{TABLE}.csv").read_bytes()).hexdigest()
    assert rows == 61
    assert fcon.execute("SELECT count(*) FROM provenance").fetchall()[0][0] == len(GEBIEDEN) + 1


def test_stage_gives_one_row_per_measure_region_and_period(fcon):
    definitief = json.dumps({"StatusCijfer": "Definitief"})
    # Quatrebras, 2024, Definitief: 1,200 recreational homes; the title " Quatrebras " trimmed
    assert _one(fcon, """SELECT region_code, region_level, period_type, year, value, unit
                         FROM observations WHERE table_id = ? AND measure = ? AND dims = ?
                         AND region_title = 'Quatrebras' AND year = 2024""",
                TABLE, "NietWoningMetFunctieLogies_38", definitief) == (
        "GM9017", "GM", "JJ", 2024, 1200.0, "objecten")
    # CBS's '.' is no figure: NULL, for all 61 rows of the low-income column
    assert _one(fcon, "SELECT count(*), count(value) FROM observations WHERE measure = ?",
                "HuishoudensMetRelatiefLaagInkomen_21") == (61, 0)
    # the Voorlopig 2025 rows are twice the 2024 ones (tests/fixture_mirror.py)
    assert _one(fcon, """SELECT value FROM observations WHERE measure = ? AND period_key =
                         '2025JJ00' AND region_code = 'GM9001'""",
                "NietWoningMetFunctieLogies_38") == (240.0,)


def test_stage_population_and_regions(fcon):
    # 2024 and 2025 share the reference boundaries; 2023 is re-expressed on them: Aadorp
    # 11,880 (12,000 x 0.99) plus Zwanenburg 297 (300 x 0.99), all of whose homes went to Aadorp
    assert fcon.execute("""SELECT year, inhabitants, status FROM population
                           WHERE region_code = 'GM9001' AND year IN (2023, 2024, 2025)
                           ORDER BY year""").fetchall() == [
        (2023, 12177.0, "converted"), (2024, 12000.0, "native"), (2025, 12000.0, "native")]
    assert _one(fcon, "SELECT name, last_year, to_code FROM former_names WHERE code = 'GM9021'"
                ) == ("Zwanenburg", 2023, "GM9001")
    assert fcon.execute("SELECT level, count(*) FROM regions GROUP BY level ORDER BY level"
                        ).fetchall() == [("GM", 20), ("NL", 1), ("PV", 2), ("RE", 2)]
    assert _one(fcon, "SELECT province_code, riec_code, vr_code, size_class, urbanity FROM "
                      "regions WHERE code = 'GM9012'") == ("PV92", "RE91", "VR92", 3, 2)


def test_stage_converts_earlier_years_to_todays_boundaries(fcon):
    """2023 on 2024 boundaries: of Aadorp's 5,100 addresses 5,000 were Aadorp's and 100
    Zwanenburg's; a count adds the parts (weight: each part's share of its own addresses, here
    1), an average weighs them by their share of the new area (weight_to)."""
    def converted(measure: str, code: str = "GM9001") -> tuple:
        return _one(fcon, """SELECT value, status, missing_share FROM gm_observations
                             WHERE measure = ? AND region_code = ? AND year = 2023
                             AND dims = ?""", measure, code,
                    json.dumps({"StatusCijfer": "Definitief"}))

    assert converted("NietWoningMetFunctieLogies_38") == (105.0, "converted", None)  # 100 + 5
    value, status, _ = converted("Omgevingsadressendichtheid_71")
    # (500 x 5,000 + 800 x 100) / 5,100
    assert (value, status) == (pytest.approx(2_580_000 / 5100), "converted")
    # Zwanenburg has no figure ('.'): 100 / 5,100 = 1.96% of the addresses lack one, under
    # 2.5%: the sum of the parts with a figure, marked approximate with that share
    value, status, missing = converted("WoningMetFunctieLogies_37")
    assert (value, status, missing) == (3.0, "approximate", pytest.approx(100 / 5100))
    # a flow of 3 addresses from Beekdal to Calslagen is noise: both kept their boundaries
    assert converted("NietWoningMetFunctieLogies_38", "GM9002")[1:] == ("unchanged", None)
    assert converted("NietWoningMetFunctieLogies_38", "GM9003")[1:] == ("unchanged", None)
    # the former municipality itself has no row on 2024 boundaries
    assert _one(fcon, "SELECT count(*) FROM gm_observations WHERE region_code = 'GM9021'") == (0,)
    # the indicator in 2023 over the converted count and inhabitants: 105 / 12,177 x 1,000
    rate = _one(fcon, "SELECT value FROM results WHERE indicator = ? AND region_code = 'GM9001' "
                      "AND period_key = '2023JJ00'", INDICATOR)[0]
    assert rate == pytest.approx(105 / 12177 * 1000)


def test_boundaries_of_every_level_in_the_data(fcon):
    assert fcon.execute("SELECT level, count(*) FROM boundaries GROUP BY level ORDER BY level"
                        ).fetchall() == [("GM", 20), ("PV", 2), ("RE", 2)]
    assert [lv for (lv,) in fcon.execute("SELECT level FROM boundary_layers ORDER BY level")
            .fetchall()] == ["GM", "PV", "RE"]
    assert fcon.execute("SELECT level, count(*) FROM map_sketch GROUP BY level ORDER BY level"
                        ).fetchall() == [("GM", 20), ("PV", 2), ("RE", 2)]
    assert _one(fcon, "SELECT count(*) FROM area_layers") == (0,)  # no wijken in this mirror


def _row(con: duckdb.DuckDBPyConnection, code: str) -> dict:
    frame = con.execute("SELECT * FROM results WHERE indicator = ? AND region_code = ? "
                        "AND period_key = '2024JJ00'", [INDICATOR, code]).df()
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def test_one_indicator_given_rows_expected_rows(fcon):
    # national: all 20 municipalities with a figure, hidden ones included:
    # 4,447 / 335,000 x 1,000 = 13.2746; national_step(335,000): 2 x 10 x 1,000 / 335,000 =
    # 0.0597 -> step 0.1 -> 13.3
    aadorp = _row(fcon, "GM9001")
    assert aadorp["national_value"] == pytest.approx(13.3)
    assert aadorp["value"] == pytest.approx(10.0)  # 120 / 12,000 x 1,000
    assert aadorp["index"] == pytest.approx(10.0 / 13.3 * 100)  # 75.19
    assert aadorp["rank"] == 2  # 19 shown; all but Quatrebras tie at 10.0
    assert aadorp["peers_shown"] == 15 and aadorp["peer_value"] == pytest.approx(10.0)

    far = _row(fcon, "GM9017")  # 1,200 / 4,000 x 1,000 = 300: the highest, far above
    assert (far["value"], far["rank"], far["category"]) == (
        pytest.approx(300.0), 1, "significant hoger")

    small = _row(fcon, "GM9012")  # 7 < 10: hidden, and so is everything that gives it back
    assert (small["suppressed"], small["status_label"]) == (True, "te klein")
    for column in ("value", "numerator", "denominator", "index", "rank", "z", "category"):
        assert small[column] is None or small[column] != small[column], column

    # aggregates over the shown members only
    pv91 = _row(fcon, "PV91")  # members 1-10: 1,700 / 170,000
    assert (pv91["numerator"], pv91["denominator"], pv91["coverage"]) == (1700, 170000, 1.0)
    assert pv91["value"] == pytest.approx(10.0)
    pv92 = _row(fcon, "PV92")  # members 11-20 without Lemelerveld: 2,740 / 158,000
    assert (pv92["numerator"], pv92["denominator"]) == (2740, 158000)
    assert pv92["value"] == pytest.approx(2740 / 158000 * 1000)  # 17.34
    assert pv92["coverage"] == pytest.approx(158000 / 165000)  # 95.8% >= 95%: published
    re91 = _row(fcon, "RE91")  # members 1-12 without Lemelerveld: 1,810 / 181,000
    assert (re91["numerator"], re91["coverage"]) == (1810, pytest.approx(181000 / 188000))
    nl = _row(fcon, "NL01")  # 4,440 / 328,000 shown; the index's reference stays 13.3
    assert nl["value"] == pytest.approx(4440 / 328000 * 1000)
    assert nl["coverage"] == pytest.approx(328000 / 335000)


def test_aggregates_equal_the_sum_of_their_shown_members(fcon):
    """Invariant: a published total is the sum of its shown members, so subtracting them
    leaves nothing of a hidden count."""
    rows = fcon.execute(
        """SELECT r.region_code, r.period_key, r.numerator, sum(m.numerator)
           FROM results r JOIN regions g ON r.region_code IN (g.province_code, g.riec_code)
           JOIN results m ON m.region_code = g.code AND m.indicator = r.indicator
                AND m.period_key = r.period_key
           WHERE r.indicator = ? AND r.level IN ('PV', 'RE') AND NOT m.suppressed
           GROUP BY ALL""", [INDICATOR]).fetchall()
    assert len(rows) == 8  # 2 provinces and 2 RIEC regions in 2023 and 2024
    assert all(total == members for _, _, total, members in rows)


def test_nearest_neighbours_from_the_table_the_build_loaded(fcon):
    rows = fcon.execute("SELECT region_code, count(*), count(DISTINCT peer_code), "
                        "bool_or(peer_code = region_code) FROM peers GROUP BY region_code"
                        ).fetchall()
    assert len(rows) == len(MUNICIPALITIES)
    assert all(n == 15 and distinct == 15 and not itself for _, n, distinct, itself in rows)


def test_indicators_of_tables_not_built_say_so(fcon):
    assert _one(fcon, "SELECT available, reason FROM indicator_status WHERE indicator = ?",
                "drugs_verdachten") == (False, "geen cijfers in deze installatie")
    assert _one(fcon, "SELECT available, latest_period, coverage_latest FROM indicator_status "
                      "WHERE indicator = ?", INDICATOR) == (True, "2024JJ00", 20)
    assert _one(fcon, "SELECT count(*) FROM area_results") == (0,)


def test_one_step_alone_gives_the_same_marts(fixture_build, tmp_path):
    root, db, _, _ = fixture_build
    copy = tmp_path / "zichtop.duckdb"
    copy.write_bytes(db.read_bytes())
    query = "SELECT * FROM results ORDER BY indicator, region_code, period_key"
    before = duckdb.connect(str(db), read_only=True).execute(query).df()
    build(Settings(source="mirror", mirror_dir=root, db_path=copy), tables=[TABLE],
          step="marts")
    after = duckdb.connect(str(copy), read_only=True).execute(query).df()
    assert after.equals(before)
