"""The police districts of a politie-eenheid on the region page: CBS's own survey estimates
for each district (the Veiligheidsmonitor), against the country by the same difference test as
everywhere (method/kinds/estimate.py). Which district belongs to which eenheid: core/police.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import html

from zichtop.core import police
from zichtop.core.codes import NATIONAL_CODE
from zichtop.indicators.registry import indicators
from zichtop.method.kinds import estimate
from zichtop.read import presentation as p
from zichtop.read import queries

SHOWN = ("leefbaarheid_drugshandel", "leefbaarheid_onveilig", "leefbaarheid_slachtoffers",
         "digitaal_slachtoffers")


def cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Each district's estimate with its category against the country's (the frame of
    queries.district_estimates)."""
    out = []
    for _, rows in frame.groupby("indicator"):
        country = rows[rows["region_code"] == NATIONAL_CODE]
        if country.empty:
            continue
        c = country.iloc[0]
        own = rows[rows["region_code"] != NATIONAL_CODE]
        z = estimate.difference_z(own["value"].to_numpy(float), own["lower"].to_numpy(float),
                                  own["upper"].to_numpy(float),
                                  np.full(len(own), c["value"]), np.full(len(own), c["lower"]),
                                  np.full(len(own), c["upper"]))
        out.append(own.assign(category=estimate.categories(z), national=c["value"]))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def section(region_code: str) -> html.Section | None:
    """The districts' table of a politie-eenheid (None for a province or without survey)."""
    if not region_code.startswith("RE"):
        return None
    frame = queries.district_estimates(region_code, list(SHOWN))
    if frame.empty:
        return None
    shown = cells(frame)
    registry = indicators()
    head = [html.Th("Politiedistrict")] + [html.Th(p.label_with_unit(registry[i][1]))
                                           for i in SHOWN]
    rows = []
    for code in [c for c, re in police.EENHEID.items() if re == region_code]:
        tds = [html.Td(police.NAMES[code])]
        for ind_id in SHOWN:
            hit = shown[(shown["indicator"] == ind_id) & (shown["region_code"] == code)] \
                if len(shown) else shown
            if hit.empty or not p.is_number(hit.iloc[0]["value"]):
                tds.append(html.Td(p.NO_DATA))
                continue
            row = hit.iloc[0].to_dict()
            row.update(estimate_lower=row["lower"], estimate_upper=row["upper"])
            tds.append(html.Td(f"{p.value_text(row, registry[ind_id][1], with_unit=False)} "
                               f"({row['category'] or p.NO_DATA})"))
        rows.append(html.Tr(tds))
    country = [html.Td(html.B("Nederland"))]
    for ind_id in SHOWN:
        hit = frame[(frame["indicator"] == ind_id) & (frame["region_code"] == NATIONAL_CODE)]
        row = hit.iloc[0].to_dict() if len(hit) else {}
        row.update(estimate_lower=row.get("lower"), estimate_upper=row.get("upper"))
        country.append(html.Td(p.value_text(row, registry[ind_id][1], with_unit=False)
                               if len(hit) else p.NO_DATA))
    rows.append(html.Tr(country))
    period = p.period_label(frame["period_key"].iloc[0])
    return html.Section([
        html.H2("Politiedistricten (Veiligheidsmonitor)"),
        html.P(f"CBS schat de Veiligheidsmonitor ook per politiedistrict: {period}, met het "
               f"95%-interval en de toets tegen Nederland (onderste regel). Welke districten bij "
               "deze politie-eenheid horen, volgt de indeling van de politie; de 168 "
               "basisteams staan niet in een open tabel met hun eenheid en zijn hier weggelaten.",
               className="legend-note"),
        html.Div(html.Table([html.Tr(head), *rows], className="compare-table",
                            id="politiedistricten"), className="table-scroll"),
        html.P(f"Bron: CBS {', '.join(sorted({registry[i][1].numerator.table for i in SHOWN}))}"
               f" (Veiligheidsmonitor), periode {period}.", className="source"),
    ], id="districten")
