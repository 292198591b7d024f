"""Factsheet of a municipality: its summary on A4, ready to print or save as PDF."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, clientside_callback, html

from zichtop.indicators.registry import indicators
from zichtop.read import presentation as p
from zichtop.read import queries, references
from zichtop.web import params
from zichtop.web.components import municipality_code_and_name, sources_block, spine, summary
from zichtop.web.guard import page_guard

dash.register_page(__name__, path_template="/factsheet/gemeente/<code>",
                   path="/factsheet/gemeente/GM0363", name="Factsheet gemeente", nav=False,
                   title="Zichtop - factsheet gemeente")


def figures_table(code: str, latest: pd.DataFrame) -> html.Div:
    """Every indicator's latest figure against the rows' reference."""
    reference = str(latest["reference_name"].iloc[0]) if "reference_name" in latest and \
        len(latest) else "Nederland"
    latest = latest.set_index("indicator")
    lines = []
    for ind_id, (_theme, ind) in indicators().items():
        if ind_id not in latest.index:
            lines.append(html.Tr([html.Td(ind.label), html.Td(p.NO_DATA),
                                  html.Td(""), html.Td(""), html.Td("")]))
            continue
        row = latest.loc[ind_id]
        lines.append(html.Tr([html.Td(f"{ind.label}"),
                              html.Td(p.value_text(row, ind)),
                              html.Td(p.reference_text(row["national_value"], ind)),
                              html.Td(p.index_text(row["index"])),
                              html.Td(f"{p.category_text(row)} ({p.period_label(row['period_key'])})")]))
    head = html.Tr([html.Th("Indicator"), html.Th("Waarde"),
                    html.Th(references.capitalised(reference)), html.Th("Index"),
                    html.Th("Categorie (periode)")])
    half = (len(lines) + 1) // 2  # two tables side by side on paper
    return html.Div([html.Table([head, *part], className="compare-table factsheet-table")
                     for part in (lines[:half], lines[half:])], className="factsheet-tables")


@page_guard
def layout(code: str | None = None, referentie: str | None = None, **_other: str) -> html.Div:
    code, name = municipality_code_and_name(code)
    reference = params.reference(referentie)
    latest = queries.latest_for_regions([code], reference)
    region = queries.regions().set_index("code").loc[code]
    peers = ", ".join(queries.peers(code)["name"])
    return html.Div([
        html.Button("Afdrukken of bewaren als pdf", id="factsheet-print",
                    className="button no-print"),
        html.H1(f"Factsheet {name} ({code})"),
        html.P(f"RIEC-regio {region['riec_name']} | provincie {region['province_name']} | "
               f"vergelijkbaar met: {peers}."),
        spine(latest, reference, static=True),
        summary(code, name, latest, queries.series_all(code, reference), paper=True),
        # on paper the spine chart carries every figure; the table is for the screen
        html.H2("Alle cijfers", className="no-print"),
        html.Div(figures_table(code, latest), className="no-print"),
        sources_block(),
    ], className="factsheet")


clientside_callback(  # the print button of both factsheets
    "function(n) { if (n) { window.print(); } return ''; }",
    Output("factsheet-print", "title"), Input("factsheet-print", "n_clicks"),
    prevent_initial_call=True,
)
