"""The references a user can choose (`referentie=` in every URL and export): what a
municipality's figure is compared with. The method computes each one (zichtop/method/references);
the country's comparison is in `results`, the others in `comparisons` (one row per indicator,
municipality, period and reference). `compared` puts the chosen one in the place of the
country's in any frame of results rows, so every page, sentence, chart and export that reads
`national_value`, `index` and `category` compares with it, and names it.

Pure functions over frames (unit-tested); the store is read in zichtop/read/queries.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT = "nl"
# as offered in the interface, in this order
CHOICES = {"nl": "Nederland", "regio": "de eigen RIEC-regio", "provincie": "de eigen provincie",
           "grootte": "gemeenten van dezelfde grootte", "buren": "de 15 vergelijkbare gemeenten"}
# the columns that change with the reference (the rest, e.g. the peer index, stays)
COMPARED = ["national_value", "index", "log_ratio", "lower95", "upper95", "lower998",
            "upper998", "category", "z"]
MIN_COVERAGE = 0.95  # as for a region's total: less, and the reference says so


def name(reference: str, region: pd.Series | dict | None) -> str:
    """The reference of one municipality as a noun: 'Nederland', 'RIEC-regio Zeeland -
    West-Brabant', 'provincie Zeeland', 'gemeenten met 20 000 tot 50 000 inwoners', 'de 15
    vergelijkbare gemeenten'."""
    empty: dict[str, object] = {}
    get = region.get if region is not None else empty.get
    if reference == "regio":
        return f"RIEC-regio {get('riec_name') or ''}".strip()
    if reference == "provincie":
        return f"provincie {get('province_name') or ''}".strip()
    if reference == "grootte":
        size = get("size_label")
        return f"gemeenten met {size}" if isinstance(size, str) else "gemeenten van dezelfde grootte"
    if reference == "buren":
        return "de 15 vergelijkbare gemeenten"
    return "Nederland"


def where(reference: str, region: pd.Series | dict | None) -> str:
    """The reference as an adverbial phrase, after a value or 'zo hoog als': 'landelijk', 'in
    de provincie Zeeland', 'bij gemeenten met 20 000 tot 50 000 inwoners'."""
    if reference in ("regio", "provincie"):
        return f"in de {name(reference, region)}"
    if reference in ("grootte", "buren"):
        return f"bij {name(reference, region)}"
    return "landelijk"


def compared(frame: pd.DataFrame, reference: str, comparisons: pd.DataFrame | None,
             regions: pd.DataFrame) -> pd.DataFrame:
    """`frame` (results rows: indicator, region_code, period_key, ...) with the chosen
    reference in the place of the country's (COMPARED columns) and named in `reference`,
    `reference_name` and `reference_where`; `reference_coverage` is the share of the
    reference's inhabitants it rests on. A region's total has no single regional or peer
    reference: against those, its index and category are empty."""
    out = frame.copy()
    info = {r["code"]: r for r in regions.to_dict("records")}
    names = {c: (name(reference, info.get(c)), where(reference, info.get(c)))
             for c in set(out["region_code"])}  # once per area, not per row
    out["reference"] = reference
    out["reference_name"] = [names[c][0] for c in out["region_code"]]
    out["reference_where"] = [names[c][1] for c in out["region_code"]]
    out["reference_coverage"] = 1.0
    if reference == DEFAULT or out.empty:
        return out
    keys = ["indicator", "region_code", "period_key"]
    other = (comparisons if comparisons is not None else pd.DataFrame(columns=keys)).rename(
        columns={"reference_value": "national_value"})
    merged = out[keys].merge(other[[*keys, *COMPARED, "reference_coverage"]], on=keys,
                             how="left")
    for column in [*COMPARED, "reference_coverage"]:
        values = merged[column].to_numpy()
        if column == "category":
            values = np.where(pd.isna(values), None, values)
        out[column] = values
    return out


def in_url(reference: str | None, first: bool = True) -> str:
    """The reference as the URL keeps it: '' for the default, else '?referentie=...' (or
    '&referentie=...' after other parameters)."""
    if reference not in CHOICES or reference == DEFAULT:
        return ""
    return f"{'?' if first else '&'}referentie={reference}"


def hundred(reference: str) -> str:
    """What index 100 is, in a sentence: 'landelijk gemiddelde', 'het gemiddelde van de eigen
    provincie'."""
    return "landelijk gemiddelde" if reference == DEFAULT else \
        f"het gemiddelde van {CHOICES[reference]}"


def capitalised(text: str) -> str:
    """'de eigen provincie' -> 'De eigen provincie' (a label at the start of a line)."""
    return text[:1].upper() + text[1:]


def coverage_note(row: pd.Series | dict) -> str:
    """'' or the sentence that the reference rests on less than 95% of its inhabitants (where
    it has a value at all)."""
    share = row.get("reference_coverage")
    value = row.get("national_value")
    if share is None or pd.isna(share) or float(share) >= MIN_COVERAGE or value is None or \
            pd.isna(value):
        return ""
    from zichtop.method.statistics import whole_percent_down

    return (f"De referentie ({row.get('reference_name')}) rust op {whole_percent_down(share)}% "
            "van haar inwoners: bij de andere gemeenten is het cijfer te klein of onbekend.")
