"""Exports that can be handed on: a RIEC region's (or province's) pack and a comparison.

One row per indicator (in the registry's order, with its theme) and area (the region's total,
Nederland, then the municipalities by name); every missing figure is an explicit row with its
reason; values are rounded to each indicator's precision; the national value is kept where the
municipality is "te klein"; every row carries its source (CBS table, measure, period), licence,
method version and the export date. CSV for Dutch spreadsheets (';', decimal comma, UTF-8 with
BOM); XLSX with a sheet per theme (number formats, widths, frozen header, filters) and a sheet
that explains the index, categories, peer index, periods and coverage."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from zichtop import __version__
from zichtop.core.credits import BOUNDARIES as BOUNDARY_CREDIT
from zichtop.core.credits import CROSSWALK as CROSSWALK_CREDIT
from zichtop.indicators.model import Indicator, Theme
from zichtop.indicators.registry import area_indicators, themes
from zichtop.method.privacy import EXPLANATION
from zichtop.method.statistics import CATEGORIES, whole_percent_down
from zichtop.read import presentation as p

LICENCE = "Bron: CBS, CC BY 4.0"
# every municipality also against the chosen reference (read/references.py): its name, value,
# the index and category against it and the share of its inhabitants it rests on; against the
# country these repeat the Nederland columns
REFERENCE_COLUMNS = ["Referentie", "Waarde referentie", "Index t.o.v. referentie",
                     "Categorie t.o.v. referentie", "Referentie rust op (% inwoners)"]
# a survey estimate (Veiligheidsmonitor): CBS's 95% interval, and whose figure it is (a
# gemeente without its own estimate carries its politie-eenheid's)
ESTIMATE_COLUMNS = ["Ondergrens (95%-interval)", "Bovengrens (95%-interval)", "Cijfer van"]
COLUMNS = ["Thema", "Indicator", "Eenheid", "Gebied", "Code", "Soort gebied", "Periode",
           "Waarde", *ESTIMATE_COLUMNS, "Toelichting", "Nederland", "Index (NL = 100)", "Categorie",
           "Index t.o.v. vergelijkbare gemeenten", *REFERENCE_COLUMNS, "Dekking (% inwoners)",
           "Bron", "Licentie", "Methode", "Exportdatum"]
NUMBER_COLUMNS = ("Waarde", "Ondergrens (95%-interval)", "Bovengrens (95%-interval)",
                  "Nederland", "Index (NL = 100)",
                  "Index t.o.v. vergelijkbare gemeenten", "Waarde referentie",
                  "Index t.o.v. referentie", "Referentie rust op (% inwoners)",
                  "Dekking (% inwoners)",
                  "Index t.o.v. de gemeente", "Inwoners")
WIJK_COLUMNS = ["Thema", "Indicator", "Eenheid", "Gemeente", "Wijk", "Code", "Inwoners",
                "Periode", "Waarde", "Toelichting", "Nederland", "Index (NL = 100)",
                "Index t.o.v. de gemeente", "Categorie", "Bron", "Licentie", "Methode",
                "Exportdatum"]
WIJK_SHEET = "Wijken"
LEVELS = {"GM": "gemeente", "RE": "RIEC-regio", "PV": "provincie", "NL": "Nederland"}


def _source(ind: Indicator, period: str | None) -> str:
    text = ind.numerator.describe()
    if ind.denominator is not None:
        text += " / " + ("inwoners (CBS Gebieden in Nederland)"
                         if ind.denominator.table == "population" else ind.denominator.describe())
    return text + (f", periode {p.period_label(period)}" if period else "")


def _rounded(value: object, digits: int) -> float | None:
    return round(float(value), digits) if p.is_number(value) else None  # type: ignore[arg-type]


def export_frame(results: pd.DataFrame, areas: list[tuple[str, str, str]],
                 status: pd.DataFrame, compared: pd.DataFrame | None = None,
                 all_periods: bool = False) -> pd.DataFrame:
    """`results`: rows per indicator for the areas (with columns of the results mart): the
    latest period of each indicator, or with `all_periods` every period (long format);
    `areas`: (code, name, level) in the order to show; `status`: indicator_status by
    indicator; `compared`: the same rows against the chosen reference (default: the
    country). Returns the export table (numbers as floats, reasons as text)."""
    today = date.today().isoformat()
    out = []

    def keyed(frame: pd.DataFrame) -> dict:
        return {(r["indicator"], r["region_code"], r["period_key"]): r
                for r in frame.to_dict("records")}

    by_key = keyed(results)
    against = by_key if compared is None else keyed(compared)
    for theme in themes():
        for ind in theme.indicators:
            loaded = ind.id in status.index and bool(status.loc[ind.id, "available"])
            own = results[results["indicator"] == ind.id]
            periods = sorted(own["period_key"].dropna().unique())
            # the latest period, or (`all_periods`) every period, oldest first: long format
            chosen = (periods if all_periods else periods[-1:]) or [None]
            for period in chosen:
                national = own.loc[own["period_key"] == period, "national_value"].dropna()
                national_value = float(national.iloc[0]) if len(national) else None
                out += _period_records(theme, ind, period, areas, by_key, against, loaded,
                                       national_value, today)
    return pd.DataFrame(out, columns=COLUMNS)


def _period_records(theme: Theme, ind: Indicator, period: str | None,
                    areas: list[tuple[str, str, str]], by_key: dict, against: dict,
                    loaded: bool, national_value: float | None, today: str) -> list[dict]:
    """The export's rows of one indicator and period, one per area."""
    out = []
    for code, name, level in areas:
        row = by_key.get((ind.id, code, period))
        record = {"Thema": theme.label, "Indicator": ind.label, "Eenheid": ind.unit,
                  "Gebied": name, "Code": code, "Soort gebied": LEVELS.get(level, level),
                  "Periode": p.period_label(period) if period else "",
                  "Nederland": _rounded(national_value, p.digits_for(national_value, ind)),
                  "Bron": _source(ind, period), "Licentie": LICENCE,
                  "Methode": f"Zichtop {__version__}", "Exportdatum": today}
        if level == "NL" and loaded and national_value is not None:
            # the country's figure is the reference every index is measured against,
            # as the page shows it (its pooled total may rest on fewer inhabitants)
            record.update({"Waarde": record["Nederland"], "Index (NL = 100)": 100.0,
                           "Toelichting": "landelijke waarde (referentie)",
                           "Categorie": "", "Dekking (% inwoners)": None})
            if row is not None:
                record.update(_interval(row, ind, level))
            out.append(record)
            continue
        if not loaded:
            record["Toelichting"] = p.NOT_LOADED
        elif row is None:
            record["Toelichting"] = p.NO_DATA
        else:
            why = p.reason(row)
            note = row.get("note") if isinstance(row.get("note"), str) else ""
            record.update({
                "Waarde": None if why else _rounded(row["value"], p.digits_for(row["value"], ind)),
                "Toelichting": why or note,
                "Index (NL = 100)": None if why else _rounded(row["index"], 0),
                "Categorie": "" if why else p.category_text(row),
                "Index t.o.v. vergelijkbare gemeenten":
                    None if why else _rounded(row.get("peer_index"), 0),
                "Dekking (% inwoners)": whole_percent_down(row["coverage"])
                if level != "GM" and p.is_number(row.get("coverage")) else None})
            if not why:
                record.update(_interval(row, ind, level))
            record.update(_against(against.get((ind.id, code, period)), ind, level, why))
        out.append(record)
    return out


def _interval(row: dict | pd.Series, ind: Indicator, level: str) -> dict:
    """A survey estimate's interval and whose figure it is (nothing for other figures)."""
    lower, upper = row.get("estimate_lower"), row.get("estimate_upper")
    if not (p.is_number(lower) and p.is_number(upper)):
        return {}
    digits = p.digits_for(row.get("value"), ind)
    figure_of = row.get("figure_of")
    return {"Ondergrens (95%-interval)": _rounded(lower, digits),
            "Bovengrens (95%-interval)": _rounded(upper, digits),
            "Cijfer van": figure_of if isinstance(figure_of, str) and figure_of
            else {**LEVELS, "RE": "politie-eenheid"}.get(level, level)}


def _against(row: dict | pd.Series | None, ind: Indicator, level: str, why: str) -> dict:
    """The reference columns of one row (a region's total is compared with the country only)."""
    if row is None or (level != "GM" and row.get("reference") not in (None, "nl")):
        return {}
    value = row.get("national_value")
    share = row.get("reference_coverage")
    return {"Referentie": row.get("reference_name") or "Nederland",
            "Waarde referentie": _rounded(value, p.digits_for(value, ind)),
            "Index t.o.v. referentie": None if why else _rounded(row.get("index"), 0),
            "Categorie t.o.v. referentie": "" if why else p.category_text(row),
            "Referentie rust op (% inwoners)": whole_percent_down(float(share))  # type: ignore[arg-type]
            if p.is_number(share) else None}


def wijk_export_frame(rows: pd.DataFrame, coverage: pd.DataFrame,
                      municipalities: list[tuple[str, str]]) -> pd.DataFrame:
    """The wijk sheet of a region's pack: one row per wijk indicator and wijk of each
    municipality (by name); where the loaded data hold no wijk figures for a municipality, one
    row that says so. `rows`: area_results (latest period) with the wijk's name and
    inhabitants; `coverage`: area_coverage of these municipalities."""
    today = date.today().isoformat()
    out = []
    status = {(r["indicator"], r["municipality_code"]): r
              for _, r in coverage[coverage["level"] == "WK"].iterrows()}
    for ind_id, (theme, ind) in area_indicators().items():
        mine = rows[rows["indicator"] == ind_id]
        period = mine["period_key"].max() if len(mine) else None
        national = mine["national_value"].dropna()
        common = {"Thema": theme.label, "Indicator": ind.label, "Eenheid": ind.unit,
                  "Periode": p.period_label(period) if period else "",
                  "Nederland": _rounded(national.iloc[0], p.digits_for(national.iloc[0], ind))
                  if len(national) else None,
                  "Bron": _source(ind, period), "Licentie": LICENCE,
                  "Methode": f"Zichtop {__version__}", "Exportdatum": today}
        for code, name in municipalities:
            cov = status.get((ind_id, code))
            if cov is None or cov["reason"]:
                out.append({**common, "Gemeente": name, "Code": code, "Toelichting":
                            cov["reason"] if cov is not None else p.NOT_LOADED})
                continue
            for _, r in mine[mine["municipality_code"] == code].iterrows():
                why = p.reason(r)
                out.append({**common, "Gemeente": name, "Wijk": r["name"],
                            "Code": r["region_code"], "Inwoners": _rounded(r["inhabitants"], 0),
                            "Waarde": None if why else _rounded(r["value"],
                                                                p.digits_for(r["value"], ind)),
                            "Toelichting": why,
                            "Index (NL = 100)": None if why else _rounded(r["index"], 0),
                            "Index t.o.v. de gemeente":
                                None if why else _rounded(r["parent_index"], 0),
                            "Categorie": "" if why else p.category_text(r)})
    return pd.DataFrame(out, columns=WIJK_COLUMNS)


def comparison_frame(results: pd.DataFrame, codes: list[str],
                     compared: pd.DataFrame | None = None) -> pd.DataFrame:
    """The comparison page's municipalities, in the chosen order (`compared`: the same rows
    against the chosen reference)."""
    names = dict(zip(results["region_code"], results["name"], strict=False))
    status = pd.DataFrame({"available": True}, index=results["indicator"].unique())
    areas = [(c, names.get(c, c), "GM") for c in codes]
    return export_frame(results, areas, status, compared)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """';'-separated, decimal comma, no thousands separator, UTF-8 with BOM; every figure with
    the decimals the page shows ('0,80', not '0,8'; indices and percentages whole)."""
    digits = {ind.label: p.decimals(ind) for t in themes()
              for ind in (*t.indicators, *t.area_indicators)}
    figures = ("Waarde", "Nederland", "Waarde referentie")
    out = frame.copy().astype(object)
    labels = frame["Indicator"] if "Indicator" in frame else pd.Series([""] * len(frame))
    for column in frame.columns:
        values = []
        for label, value in zip(labels, frame[column], strict=True):
            if isinstance(value, float) and not pd.isna(value):
                places = p.enough_digits(value, digits.get(label, 2)) \
                    if column in figures else (0 if column in NUMBER_COLUMNS else 6)
                text = f"{value:.{places}f}"
                values.append((text.rstrip("0").rstrip(".") if column not in NUMBER_COLUMNS
                               else text).replace(".", ","))
            elif value is None or (isinstance(value, float) and pd.isna(value)):
                values.append("")
            else:
                values.append(value)
        out[column] = values
    text = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def definitions_frame(region_name: str, built: dict) -> pd.DataFrame:
    rows = [
        ("Regio", region_name),
        ("Exportdatum", date.today().isoformat()),
        ("Gegevens bijgewerkt", f"{built.get('built_at')} uit {p.source_words(built.get('source'))}"),
        ("Methode", f"Zichtop {__version__}; zie docs/method.md"),
        ("Waarde", "Het cijfer van het gebied in de eenheid van de indicator, afgerond op de "
                   "getoonde decimalen."),
        ("Index (NL = 100)", "Waarde gedeeld door de landelijke waarde, maal 100. 200 is twee "
                             "keer zo hoog als landelijk, 50 de helft."),
        ("Categorie", "Uitkomst van de toets met trechtergrenzen (95% en 99,8%), verbreed voor "
                      "overdispersie en de afronding door CBS: " + ", ".join(CATEGORIES)
                      + "; 'geen toets' als er geen aantallen zijn of te weinig gebeurtenissen "
                        "verwacht worden."),
        ("Index t.o.v. vergelijkbare gemeenten", "Waarde gedeeld door die van de 15 statistisch "
                                                 "meest vergelijkbare gemeenten samen, maal 100."),
        ("Referentie", "Waarmee elke gemeente ook is vergeleken (de keuze 'Vergelijk met'): "
                       "Nederland, de eigen RIEC-regio, de eigen provincie, gemeenten van "
                       "dezelfde grootteklasse van CBS of de 15 vergelijkbare gemeenten. De "
                       "waarde van de referentie telt de aantallen op van de gemeenten met een "
                       "getoond cijfer; 'Index t.o.v. referentie' en 'Categorie t.o.v. "
                       "referentie' zijn de index en de toets daartegen. 'Referentie rust op' "
                       "geeft het deel van de inwoners van de referentie met een getoond cijfer; "
                       "onder 95% staat dat erbij."),
        ("Periode", "Het jaar (peildatum of jaartotaal, zie de bron) of het halfjaar, zoals "
                    "'1e halfjaar 2024'."),
        ("Dekking (% inwoners)", "Bij een regio, provincie of Nederland: het deel van de "
                                 "inwoners van gemeenten met een getoond cijfer. Onder 95% wordt "
                                 "geen cijfer getoond ('onvolledig')."),
        ("Te klein", EXPLANATION),
        ("Geen gegevens", "CBS heeft voor dit gebied en deze periode geen cijfer."),
        ("Niet beschikbaar in deze installatie", "De CBS-tabel ontbreekt in de kopie van CBS op "
                                                  "deze computer; met internet haalt `zichtop build` "
                                                  "hem bij CBS."),
        ("Let op", "Een afwijking is een patroon, geen bewijs."),
        ("Bron en licentie", f"{LICENCE}. {CROSSWALK_CREDIT}. {BOUNDARY_CREDIT}."),
    ]
    rows.append(("Wijken", "Tabblad Wijken: elke wijkindicator voor elke wijk van de "
                           "gemeenten van de regio. Index t.o.v. de gemeente: waarde gedeeld "
                           "door die van de eigen gemeente, maal 100. Waar deze installatie "
                           "geen wijkcijfers van een gemeente hebben, staat dat in één regel."))
    for theme in themes():
        for ind in (*theme.indicators, *theme.area_indicators):
            rows.append((f"{theme.label}: {ind.label}",
                         f"{ind.description} Eenheid: {ind.unit}. Bron: {_source(ind, None)}. "
                         f"{ind.caveats}"))
    return pd.DataFrame(rows, columns=["Onderdeel", "Toelichting"])


def to_xlsx_bytes(by_theme: dict[str, pd.DataFrame], definitions: pd.DataFrame) -> bytes:
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    digits = {ind.label: p.decimals(ind) for t in themes()
              for ind in (*t.indicators, *t.area_indicators)}
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in by_theme.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
            ws = writer.sheets[sheet[:31]]
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            columns = list(frame.columns)
            for n, column in enumerate(columns, start=1):
                width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
                ws.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 60)
            for r, label in enumerate(frame["Indicator"], start=2):
                for column in NUMBER_COLUMNS:
                    if column not in columns:
                        continue
                    cell = ws.cell(row=r, column=columns.index(column) + 1)
                    places = p.enough_digits(cell.value, digits.get(label, 2)) \
                        if column in ("Waarde", "Nederland", "Waarde referentie") else 0
                    cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        definitions.to_excel(writer, sheet_name="Definities en bronnen", index=False)
        ws = writer.sheets["Definities en bronnen"]
        ws.column_dimensions["A"].width = 45
        ws.column_dimensions["B"].width = 120
        ws.freeze_panes = "A2"
    return buffer.getvalue()
