"""Export packs that can be handed on: theme column, registry order, readable periods, rounded
values, national value kept for te klein, explicit rows for missing figures, source, licence,
method version and date; XLSX with number formats, widths, frozen header and filters."""

import io
from datetime import date

import openpyxl
import pandas as pd

from zichtop import __version__
from zichtop.indicators.registry import indicators
from zichtop.read.exports import (
    COLUMNS,
    definitions_frame,
    export_frame,
    to_csv_bytes,
    to_xlsx_bytes,
)


def rows():
    return pd.DataFrame({
        "name": ["Amsterdam", "Diemen"], "region_code": ["GM0363", "GM0384"],
        "indicator": ["drugs_verdachten", "drugs_verdachten"], "period_key": ["2024JJ00"] * 2,
        "value": [1.2563, None], "national_value": [0.65, 0.65], "index": [193.28, None],
        "category": ["significant hoger", None], "peer_index": [127.68, None],
        "suppressed": [False, True], "status_label": [None, "te klein"], "note": [None, None],
        "coverage": [1.0, 1.0], "level": ["GM", "GM"]})


AREAS = [("GM0363", "Amsterdam", "GM"), ("GM0384", "Diemen", "GM"),
         ("GM0437", "Ouder-Amstel", "GM")]
STATUS = pd.DataFrame({"available": [True] * len(indicators())}, index=list(indicators()))


def test_every_indicator_and_area_has_a_row_in_registry_order():
    frame = export_frame(rows(), AREAS, STATUS)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == len(indicators()) * len(AREAS)
    assert list(dict.fromkeys(frame["Indicator"])) == [i.label for _, i in indicators().values()]
    assert frame["Thema"].iloc[0] == "Drugs"
    assert set(frame["Exportdatum"]) == {date.today().isoformat()}
    assert set(frame["Methode"]) == {f"Zichtop {__version__}"}
    assert set(frame["Licentie"]) == {"Bron: CBS, CC BY 4.0"}


def test_values_rounded_te_klein_keeps_national_and_missing_rows_say_why():
    frame = export_frame(rows(), AREAS, STATUS)
    drugs = frame[frame["Indicator"] == indicators()["drugs_verdachten"][1].label]
    ams, diemen, ouder = (drugs.iloc[i] for i in range(3))
    assert ams["Waarde"] == 1.26 and ams["Index (NL = 100)"] == 193.0
    assert ams["Periode"] == "2024" and "85655NED" in ams["Bron"] and "2024" in ams["Bron"]
    assert pd.isna(diemen["Waarde"]) and diemen["Toelichting"] == "te klein"
    assert diemen["Nederland"] == 0.65  # kept where the municipality is te klein
    assert ouder["Toelichting"] == "geen gegevens" and ouder["Nederland"] == 0.65


def test_csv_is_dutch_spreadsheet_ready():
    data = to_csv_bytes(export_frame(rows(), AREAS, STATUS))
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:4] == ["Thema", "Indicator", "Eenheid", "Gebied"]
    amsterdam = lines[1].split(";")
    at = {name: n for n, name in enumerate(lines[0].split(";"))}
    assert amsterdam[at["Waarde"]] == "1,26" and amsterdam[at["Nederland"]] == "0,65"  # rounded
    assert "2024JJ00" not in data.decode("utf-8-sig") and "NL01" not in lines[1]


def test_xlsx_has_formats_widths_frozen_header_filters_and_definitions():
    frame = export_frame(rows(), AREAS, STATUS)
    data = to_xlsx_bytes({"Drugs": frame[frame["Thema"] == "Drugs"]},
                         definitions_frame("Amsterdam", {"built_at": "2026-11-23",
                                                         "source": "mirror"}))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Drugs", "Definities en bronnen"]
    sheet = book["Drugs"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    value = COLUMNS.index("Waarde") + 1
    assert sheet.cell(row=2, column=value).value == 1.26
    assert sheet.cell(row=2, column=value).number_format == "#,##0.00"
    assert sheet.column_dimensions["B"].width > 20
    defs = [r[0] for r in book["Definities en bronnen"].iter_rows(values_only=True)]
    for needed in ("Exportdatum", "Te klein", "Index (NL = 100)", "Categorie",
                   "Index t.o.v. vergelijkbare gemeenten", "Periode", "Dekking (% inwoners)"):
        assert needed in defs
