"""The one normalisation on a small hand-made table, as dbt's unit tests: given rows ->
expected rows, without the mirror."""

from __future__ import annotations

import math

import pandas as pd

from zichtop.indicators.catalog import TABLES
from zichtop.pipeline.normalise import normalise
from zichtop.pipeline.sources import RawTable


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
