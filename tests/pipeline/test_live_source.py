"""The live path: the real cbsodata client against a local HTTPS server in CBS's OData v3 layout.
Both paths must give the same tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.odata_server import GEBIEDEN, ODataTable, region_keys, serve
from zichtop.core.errors import SourceError
from zichtop.indicators.catalog import TABLES
from zichtop.pipeline.normalise import normalise
from zichtop.pipeline.regions import GEBIEDEN as YEARS
from zichtop.pipeline.regions import Gebieden, RegionResolver
from zichtop.pipeline.sources import (
    LiveClient,
    read_mirror_table,
    read_statline_extract,
    read_titled_export,
)

pytestmark = pytest.mark.live


# Sluis's wijken are not in the mirror's cut KWB dump; the test server serves them with these
# made-up counts of G+I establishments, so a live build must give Sluis wijk figures
SLUIS_GI = {f"WK1714{n:02d}": 5 * (n + 3) for n in range(15)}


def kwb_live_table(mirror: Path, folder: Path) -> Path:
    """85984NED as live CBS serves it, for every municipality: each area of the complete
    StatLine export (codes as region keys, inhabitants) with the variables of the cut dump where
    it has them, and SLUIS_GI for Sluis's wijken."""
    spec = TABLES["85984NED_gebieden"]
    areas = read_titled_export(mirror / spec.mirror_extract, mirror / spec.mirror_metadata,
                               spec.id, spec.columns).frame
    dump = pd.read_csv(mirror / "cbs" / "85984NED.csv", sep=";", dtype=str,
                       keep_default_na=False, encoding="utf-8-sig")
    dump["Codering_3"] = dump["Codering_3"].str.strip()
    variables = [m.key for m in TABLES["85984NED"].measures]
    areas["Codering_3"] = areas["Codering_3"].str.strip()
    table = areas.merge(dump[["Codering_3", *variables]], on="Codering_3", how="left").fillna("")
    sluis = table["Codering_3"].isin(list(SLUIS_GI))
    table.loc[sluis, "GIHandelEnHoreca_105"] = table.loc[sluis, "Codering_3"].map(
        lambda c: str(float(SLUIS_GI[c])))
    table.insert(0, "ID", range(len(table)))
    path = folder / "85984NED.csv"
    table.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def odata(mirror: Path, tmp_path_factory: pytest.TempPathFactory):
    cbs = mirror / "cbs"
    keys = region_keys(cbs)
    tables = {t: ODataTable(cbs / f"{t}.csv", [], "RegioS", keys) for t in GEBIEDEN}
    extracts = tmp_path_factory.mktemp("extracts")
    for spec in TABLES.values():
        path = cbs / f"{spec.id}.csv"
        if spec.id == "85984NED":
            path = kwb_live_table(mirror, extracts)
        elif spec.mirror_extract:  # served live as CBS serves it: the reshaped StatLine export
            path = extracts / f"{spec.id}.csv"
            read_statline_extract(mirror / spec.mirror_extract, spec.id, spec.measures[0].key
                                  ).frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
        tables[spec.id] = ODataTable(path, list(spec.dimensions), spec.region_column, keys,
                                     spec.region_code_column)
    with serve(tables, tmp_path_factory.mktemp("tls"), static=mirror / "geo") as served:
        yield served


@pytest.fixture(scope="module")
def resolver(mirror: Path) -> RegionResolver:
    return RegionResolver([Gebieden.from_raw(y, read_mirror_table(mirror / "cbs", t))
                           for y, t in YEARS.items()])


@pytest.mark.parametrize("table_id", ["86054NED", "85655NED", "85995NED", "85146NED",
                                      "85472NED", "81064ned"])
def test_live_and_mirror_give_the_same_table(odata, mirror, resolver, table_id):
    """Also the Veiligheidsmonitor: live, its `Marges` are keys (MW00000, MOG0095, MBG0095)
    and its regions carry keys, in the dump titles ("Heerlen (GM)", "Betrouwbaarheidsmarge
    ondergrens"): one normalisation makes them the same observations."""
    host, cert, *_ = odata
    spec = TABLES[table_id]
    live_raw = LiveClient(host, str(cert), timeout=30).fetch(table_id, spec.slice)
    assert live_raw.source == "live" and live_raw.region_keys  # codes kept from the metadata
    live, _ = normalise(live_raw, spec, resolver.with_keys(live_raw.region_keys))
    mirror_raw = read_mirror_table(mirror / "cbs", table_id)
    mine, _ = normalise(mirror_raw, spec, resolver.with_keys(mirror_raw.region_keys))
    # the live server keys only GM and Nederland rows (and wijken where the table names them)
    keep = mine["region_level"].isin(set(live["region_level"]))
    mine = mine[keep & mine["region_code"].isin(set(live["region_code"]))]
    cols = ["measure", "dims", "region_code", "period_key", "value", "unit"]
    a = live[cols].sort_values(cols[:4]).reset_index(drop=True)
    b = mine[cols].sort_values(cols[:4]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) > 1000
    if spec.member_keys:  # the survey: the interval's members as keys, regions as codes
        assert set(a["dims"]) == {'{"Marges": "MBG0095"}', '{"Marges": "MOG0095"}',
                                  '{"Marges": "MW00000"}'}
        assert {"RE10", "PV31", "NL01"} <= set(a["region_code"])
        # police districts by their declared codes (core/police.py), basisteams left out
        assert set(live.loc[live["region_level"] == "PD", "region_code"]) == \
            {f"PD{n:02d}" for n in range(1, 44)}
        assert not live["region_level"].isin(["BT"]).any()
    if table_id == "85146NED":  # Heerlen, drug dealing 2023: 10.7 (7.4-15.1)
        heerlen = a[(a["region_code"] == "GM0917") & (a["period_key"] == "2023JJ00") &
                    (a["measure"] == "Drugshandel_30")]
        assert sorted(heerlen["value"]) == [7.4, 10.7, 15.1]


def test_http_error_names_the_table(odata):
    host, cert, *_ = odata
    with pytest.raises(SourceError, match=r"table 500ERROR: CBS request failed: .*500"):
        LiveClient(host, str(cert), timeout=10).fetch("500ERROR")


def test_timeout_names_the_table(odata):
    host, cert, *_ = odata
    with pytest.raises(SourceError, match=r"table SLOWNED: CBS did not answer within 0.5 s"):
        LiveClient(host, str(cert), timeout=0.5).fetch("SLOWNED")


def test_full_build_from_live_cbs(odata, built_db, tmp_path):
    """`zichtop build --source live` through cbsodata gives the mirror build's results."""
    host, cert, *_ = odata
    db = tmp_path / "live.duckdb"
    env = {**os.environ, "ZICHTOP_CBS_URL": host, "ZICHTOP_CBS_VERIFY": str(cert),
           "ZICHTOP_DB": str(db)}
    result = subprocess.run([sys.executable, "-m", "zichtop.cli", "build", "--source", "live",
                             "--quiet"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "bron = live" in result.stdout and "CBS live (OData)" in result.stdout
    live = duckdb.connect(str(db), read_only=True)
    mirror = duckdb.connect(str(built_db), read_only=True)
    query = ("SELECT indicator, region_code, period_key, value, category FROM results "
             "WHERE level = 'GM' ORDER BY ALL")
    pd.testing.assert_frame_equal(live.execute(query).df(), mirror.execute(query).df())
    assert live.execute("SELECT DISTINCT source FROM provenance").fetchall() == [("live",)]
    # wijken: the mirror's municipalities give the same figures; live CBS has Sluis too
    query = ("SELECT indicator, region_code, value, national_value FROM area_results WHERE "
             "municipality_code = 'GM0363' ORDER BY ALL")
    pd.testing.assert_frame_equal(live.execute(query).df(), mirror.execute(query).df())
    sluis = dict(live.execute("SELECT r.region_code, r.value FROM area_results r WHERE "
                              "indicator = 'wijk_handel_horeca_per_1000' AND "
                              "municipality_code = 'GM1714' AND value IS NOT NULL").fetchall())
    inhabitants = dict(live.execute("SELECT code, inhabitants FROM areas WHERE "
                                    "parent_code = 'GM1714'").fetchall())
    assert len(sluis) >= 10
    for code, got in sluis.items():  # e.g. Wijk 05 Oostburg: 40 / 4 690 x 1 000
        assert got == pytest.approx(SLUIS_GI[code] / inhabitants[code] * 1000)
    assert live.execute("SELECT status FROM area_coverage WHERE municipality_code = 'GM1714' "
                        "AND indicator = 'wijk_handel_horeca_per_1000' AND level = 'WK'"
                        ).fetchall() == [("volledig",)]
    assert mirror.execute("SELECT status FROM area_coverage WHERE municipality_code = 'GM1714' "
                          "AND indicator = 'wijk_handel_horeca_per_1000' AND level = 'WK'"
                          ).fetchall() == [("niet geladen",)]


def test_live_http_error_keeps_previous_db(odata, built_db, tmp_path):
    host, cert, *_ = odata
    from tests.conftest import copy_db
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = db.read_bytes()
    env = {**os.environ, "ZICHTOP_CBS_URL": host + "/nope", "ZICHTOP_CBS_VERIFY": str(cert),
           "ZICHTOP_DB": str(db), "ZICHTOP_CBS_TIMEOUT": "5"}
    result = subprocess.run([sys.executable, "-m", "zichtop.cli", "build", "--source", "live",
                             "--quiet"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    first = YEARS[min(YEARS)]  # the first table a build asks for
    assert f"zichtop: fout: table {first}: CBS request failed" in result.stderr
    assert db.read_bytes() == before


def test_fresh_machine_without_mirror(odata, tmp_path):
    """No ../shared at all: tables come from live CBS, boundaries from the boundary URL, and
    without a crosswalk earlier years are marked unconverted, never guessed."""
    host, cert, *_ = odata
    db = tmp_path / "fresh.duckdb"
    empty = tmp_path / "no-mirror"
    empty.mkdir()
    env = {**os.environ, "ZICHTOP_CBS_URL": host, "ZICHTOP_CBS_VERIFY": str(cert),
           "ZICHTOP_DB": str(db), "ZICHTOP_MIRROR": str(empty),
           "ZICHTOP_BOUNDARIES_URL": f"https://{host}/wgs84", "ZICHTOP_SOURCE": "auto"}
    result = subprocess.run([sys.executable, "-m", "zichtop.cli", "build", "--quiet"], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "bron = live" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM boundaries WHERE level='GM'").fetchone()[0] == 342
    statuses = dict(con.execute("SELECT year < 2024, list(DISTINCT status) FROM gm_observations "
                                "GROUP BY 1").fetchall())
    assert statuses[True] == ["unconverted"]
    assert con.execute("SELECT boundary_conversion FROM build_info").fetchone()[0].startswith(
        "geen")
    value = con.execute("SELECT value FROM results WHERE indicator='drugs_verdachten' AND "
                        "region_code='GM0363' AND period_key='2024JJ00'").fetchone()[0]
    assert value == pytest.approx(1170 / 931298 * 1000)


def test_live_fetch_asks_only_for_the_complete_slice(odata):
    """A truncated table's slice travels as an OData $filter on member keys."""
    host, cert, seen = odata
    spec = TABLES["83648NED"]
    raw = LiveClient(host, str(cert), timeout=30).fetch("83648NED", spec.slice)
    assert set(raw.frame["SoortMisdrijf"]) == {"Misdrijven, totaal"}
    assert any(f.startswith("83648NED: (SoortMisdrijf eq 'T") for f in seen), seen


def test_live_kwb_fetch_asks_only_for_the_columns_it_uses(odata):
    """A KWB table has over a hundred columns: the request names the few it needs ($select),
    and the region keys are the KWB codes (GM, WK, BU)."""
    host, cert, seen = odata
    spec = TABLES["85984NED_gebieden"]
    raw = LiveClient(host, str(cert), timeout=60).fetch("85984NED", spec.slice, spec.columns)
    assert set(raw.frame.columns) <= {*spec.columns, "ID"}
    assert any(f.startswith("85984NED: $select=") for f in seen), seen
    assert {k[:2] for k in raw.region_keys.values()} >= {"GM", "WK", "BU"}
