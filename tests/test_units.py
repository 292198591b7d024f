"""Unit tests on hand-made rows, as dbt's unit tests: given rows -> expected rows, without the
mirror. The normalisation of one small table, and one indicator's computation on three
municipalities in a DuckDB database made in memory."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from zichtop.catalog import TABLES
from zichtop.normalise import normalise
from zichtop.results import Context, compute_indicator
from zichtop.sources import RawTable
from zichtop.themes.registry import indicators


def test_normalise_a_small_table_by_hand():
    spec = TABLES["86050NED"]
    frame = pd.DataFrame({
        "ID": ["0", "1", "2", "3", "4"],
        "TypeMaatwerkvoorziening": ["Totaal ", "Totaal", "Totaal", "Totaal", "Hulp bij het huishouden"],
        "RegioS": ["Amsterdam  ", "Amsterdam", "Utrecht (gemeente)", "Nederland", "Amsterdam"],
        "Perioden": ["2024", "1e halfjaar 2024", "2024", "2024", "2024"],
        "WmoClienten_1": ["64355.0", "61000.0", ".", "1200000.0", "9999.0"],
        "WmoClientenPer1000Inwoners_2": ["69.0", "", "", "66.0", "1.0"],
    })
    raw = RawTable("86050NED", frame, "mirror", "hand-made", "-")
    codes = {"Amsterdam": "GM0363", "Utrecht (gemeente)": "GM0344", "Nederland": "NL01"}
    out, report = normalise(raw, spec, lambda title, year: codes.get(title))
    assert report.rows_in == 5 and report.rows_in_slice == 4  # the slice drops row 4
    clients = out[out["measure"] == "WmoClienten_1"].set_index(["region_code", "period_key"])
    assert clients.loc[("GM0363", "2024JJ00"), "value"] == 64355.0
    assert clients.loc[("GM0363", "2024HJ01"), "value"] == 61000.0
    assert math.isnan(clients.loc[("GM0344", "2024JJ00"), "value"])  # '.' is no figure
    assert clients.loc[("NL01", "2024JJ00"), "region_level"] == "NL"
    assert set(out["unit"]) == {"cliënten", "per 1 000 inwoners"}
    assert len(out) == 2 * 4  # two measures x four rows in the slice


def _store(con: duckdb.DuckDBPyConnection) -> Context:
    """Three municipalities: A and B in PV01, C in PV02, all three in RE01."""
    suspects = {"GM0001": 30.0, "GM0002": 40.0, "GM0003": 5.0}
    inhabitants = {"GM0001": 10_000.0, "GM0002": 20_000.0, "GM0003": 5_000.0}
    gm = pd.DataFrame({"table_id": "85655NED", "measure": "VerdachtenVanDrugsmisdrijven_6",
                       "dims": "{}", "period_key": "2024JJ00", "period_type": "JJ",
                       "part": 0, "unit": "verdachten", "year": 2024,
                       "region_code": list(suspects), "value": list(suspects.values()),
                       "status": "native", "missing_share": np.nan})
    population = pd.DataFrame({"region_code": list(inhabitants), "year": 2024,
                               "inhabitants": list(inhabitants.values()), "status": "native",
                               "missing_share": np.nan})
    con.register("_gm", gm)
    con.execute("CREATE TABLE gm_observations AS SELECT * FROM _gm")
    con.register("_pop", population)
    con.execute("CREATE TABLE population AS SELECT * FROM _pop")
    codes = list(suspects)
    members = pd.DataFrame({"province_code": ["PV01", "PV01", "PV02"],
                            "riec_code": ["RE01"] * 3}, index=codes)
    return Context(codes, members, population.pivot(index="region_code", columns="year",
                                                    values="inhabitants"),
                   np.ones((3, 3)) - np.eye(3))


def test_one_indicator_by_hand():
    """Drug suspects per 1 000 inhabitants on three municipalities, computed on paper:
    national = 75 / 35 000 x 1 000 = 2.14, published rounded to 1 (half a step x 35 000 /
    1 000 >= 10 needs a step of 1): 2.0. C has 5 suspects: te klein. A = 3.0 (index 150),
    B = 2.0 (index 100). PV01 = (30 + 40) / 30 000 x 1 000 = 2.33 on all its inhabitants;
    PV02 and RE01 rest on 0% and 86% of their inhabitants: onvolledig. Fewer than 20
    municipalities expect 5 or more events: no test; A's funnel z = (30 - 20) / sqrt(20 +
    100/12) = 1.879."""
    con = duckdb.connect()
    ctx = _store(con)
    theme, ind = indicators()["drugs_verdachten"]
    out = compute_indicator(con, theme, ind, ctx).set_index("region_code")
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
    assert re01["status_label"] == "onvolledig (86% van de inwoners)"
    assert re01["coverage"] == pytest.approx(30_000 / 35_000)
    assert out["peer_value"].isna().all()  # fewer than 5 neighbours with a shown figure
