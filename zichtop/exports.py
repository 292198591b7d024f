"""Export packs for a RIEC region or province: CSV for Dutch spreadsheets (';', decimal comma,
UTF-8 with BOM) and XLSX with a sheet per theme plus definitions and sources. A suppressed figure
is written as "te klein", never as a number."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from zichtop.crosswalk import CREDIT as CROSSWALK_CREDIT
from zichtop.geo import CREDIT as BOUNDARY_CREDIT
from zichtop.privacy import EXPLANATION, LABEL
from zichtop.themes.registry import themes

COLUMNS = {"name": "Gemeente", "region_code": "Code", "indicator_label": "Indicator",
           "period_key": "Periode", "value": "Waarde", "unit": "Eenheid",
           "national_value": "Nederland", "index": "Index (NL=100)", "category": "Categorie",
           "peer_index": "Index t.o.v. vergelijkbare gemeenten", "source": "Bron"}
NUMERIC = ("value", "national_value", "index", "peer_index")


def export_frame(results: pd.DataFrame) -> pd.DataFrame:
    """Rows of `results` (joined with region names) -> the export table, suppression applied."""
    labels = {i.id: i.label for t in themes() for i in t.indicators}
    sources = {i.id: i.numerator.describe() + (f" / {i.denominator.describe()}"
                                               if i.denominator else "")
               for t in themes() for i in t.indicators}
    out = results.copy()
    out["indicator_label"] = out["indicator"].map(labels)
    out["source"] = out["indicator"].map(sources)
    suppressed = out["suppressed"].fillna(False).astype(bool)
    out[list(NUMERIC)] = out[list(NUMERIC)].astype(object)
    for column in NUMERIC:
        out.loc[suppressed, column] = LABEL
        out[column] = [round(v, 3) if isinstance(v, float) and not pd.isna(v) else
                       ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v)
                       for v in out[column]]
    out.loc[suppressed, "category"] = LABEL
    out["category"] = out["category"].fillna("")
    return out[list(COLUMNS)].rename(columns=COLUMNS)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    # numbers get a decimal comma here; "te klein" and text stay as they are
    dutch = frame.map(lambda v: f"{v:.3f}".rstrip("0").rstrip(".").replace(".", ",")
                      if isinstance(v, float) else v)
    text = dutch.to_csv(sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def definitions_frame(region_name: str, built: dict) -> pd.DataFrame:
    rows = [{"Onderdeel": "Regio", "Toelichting": region_name},
            {"Onderdeel": "Exportdatum", "Toelichting": date.today().isoformat()},
            {"Onderdeel": "Gegevens geladen", "Toelichting": f"{built.get('built_at')} "
                                                             f"(bron: {built.get('source')})"},
            {"Onderdeel": "Te klein", "Toelichting": EXPLANATION},
            {"Onderdeel": "Let op", "Toelichting": "Een afwijking is een patroon, geen bewijs."},
            {"Onderdeel": "Bron", "Toelichting": f"Bron: CBS (CC BY 4.0). {CROSSWALK_CREDIT}. "
                                                 f"{BOUNDARY_CREDIT}."}]
    for theme in themes():
        for ind in theme.indicators:
            rows.append({"Onderdeel": f"{theme.label}: {ind.label}",
                         "Toelichting": f"{ind.description} Eenheid: {ind.unit}. Bron: "
                                        f"{ind.numerator.describe()}. {ind.caveats}"})
    return pd.DataFrame(rows)


def to_xlsx_bytes(by_theme: dict[str, pd.DataFrame], definitions: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in by_theme.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        definitions.to_excel(writer, sheet_name="Definities en bronnen", index=False)
    return buffer.getvalue()
