"""Export packs: Dutch CSV and XLSX; suppressed cells as 'te klein'."""

import io

import openpyxl
import pandas as pd

from zichtop.exports import definitions_frame, export_frame, to_csv_bytes, to_xlsx_bytes


def rows():
    return pd.DataFrame({
        "name": ["Amsterdam", "Diemen"], "region_code": ["GM0363", "GM0384"],
        "indicator": ["drugs_verdachten", "drugs_verdachten"], "period_key": ["2024JJ00"] * 2,
        "value": [1.2563, 0.91], "unit": ["per 1 000 inwoners"] * 2,
        "national_value": [0.6515, 0.6515], "index": [192.8, 139.7],
        "category": ["significant hoger", "rond gemiddelde"], "peer_index": [128.0, 92.0],
        "suppressed": [False, True]})


def test_csv_is_dutch_spreadsheet_ready():
    data = to_csv_bytes(export_frame(rows()))
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";")[:4] == ["Gemeente", "Code", "Indicator", "Periode"]
    assert "1,256" in lines[1] and "1.256" not in lines[1]  # decimal comma, no point
    diemen = lines[2].split(";")
    assert diemen[4] == "te klein" and diemen[8] == "te klein"  # value and category
    assert "0,91" not in text and "139,7" not in text


def test_xlsx_has_theme_sheets_definitions_and_date():
    frame = export_frame(rows())
    data = to_xlsx_bytes({"Drugs": frame}, definitions_frame("Amsterdam", {
        "built_at": "2026-11-23", "source": "mirror"}))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Drugs", "Definities en bronnen"]
    sheet = book["Drugs"]
    assert sheet["E2"].value == 1.256 and sheet["E3"].value == "te klein"
    defs = [r[0] for r in book["Definities en bronnen"].iter_rows(values_only=True)]
    assert "Exportdatum" in defs and "Te klein" in defs
