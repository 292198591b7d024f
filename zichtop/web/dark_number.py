"""The dark-number lens: what the police register beside what residents experience, for one
municipality (or its politie-eenheid, where CBS publishes no estimate for it) or one region,
in the latest survey year. Police figures count what is reported; the Veiligheidsmonitor counts
what residents say happened to them; the share who reported links the two."""

from __future__ import annotations

import pandas as pd
from dash import html

from zichtop.core.codes import NATIONAL_CODE
from zichtop.indicators.registry import indicators
from zichtop.read import presentation as p
from zichtop.read import queries

# registered crime (83648NED), then the survey: victims and the share of victims who reported
LENS = ("misdrijven_totaal", "leefbaarheid_slachtoffers", "leefbaarheid_aangifte",
        "digitaal_slachtoffers", "digitaal_aangifte")
SENTENCE = ("De politie telt wat wordt aangegeven of ontdekt; de Veiligheidsmonitor vraagt "
            "inwoners wat hun overkwam. Een laag geregistreerd cijfer naast veel slachtoffers "
            "en weinig aangiftes is geen teken van een veilige gemeente, maar van een dark "
            "number: wat niet wordt gemeld, komt in geen politiecijfer voor.")


def survey_year() -> int | None:
    """The latest year of the Veiligheidsmonitor in the store."""
    periods = queries.periods("leefbaarheid_slachtoffers")
    return int(periods[0][:4]) if periods else None


def lens(code: str, name: str) -> html.Section | None:
    """The lens for a municipality or region (`code`) in the latest survey year (None when the
    store has no survey)."""
    year = survey_year()
    if year is None:
        return None
    rows = queries.for_regions_in_year([code, NATIONAL_CODE], year)
    registry = indicators()
    lines, notes = [], []
    for ind_id in LENS:
        if ind_id not in registry:
            continue
        ind = registry[ind_id][1]
        own = rows[(rows["indicator"] == ind_id) & (rows["region_code"] == code)]
        country = rows[(rows["indicator"] == ind_id) & (rows["region_code"] == NATIONAL_CODE)]
        row = own.iloc[0] if len(own) else pd.Series({"indicator": ind_id})
        national = country["value"].iloc[0] if len(country) else None
        figure_of = row.get("figure_of")
        if isinstance(figure_of, str) and figure_of.startswith("politie-eenheid"):
            notes.append(figure_of)
        lines.append(html.Tr([
            html.Td(p.label_with_unit(ind)),
            html.Td(p.short_value_text(row, ind) if len(own) else p.NO_DATA),
            html.Td(p.reference_text(national, ind)),
            html.Td(p.category_text(row) if len(own) and not p.reason(row) else ""),
            html.Td(f"CBS {ind.numerator.table}, {year}")]))
    where = (f" Voor {name} publiceert CBS geen eigen Veiligheidsmonitor-cijfer: de regels "
             f"van de enquête tonen dat van de {sorted(set(notes))[0]}." if notes else "")
    return html.Section([
        html.H2("Wat de politie registreert en wat inwoners meemaken"),
        html.P(SENTENCE + where, className="legend-note"),
        html.Div(html.Table([html.Tr([html.Th("Cijfer"), html.Th(name), html.Th("Nederland"),
                                      html.Th("Categorie"), html.Th("Bron")]), *lines],
                            className="compare-table", id="dark-number"),
                 className="table-scroll"),
    ], id="dark-number-lens")
