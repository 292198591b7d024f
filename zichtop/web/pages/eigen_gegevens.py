"""Eigen gegevens: a municipality or RIEC brings its own counts (Bibob-procedures, sluitingen,
meldingen per wijk) and sees them with the same method beside the CBS patterns. The file goes
from the browser to zichtop/web/own_view.py in one request and the answer lives only in this
tab (assets/eigen.js draws it): no Dash callback carries it, nothing is kept on the server."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from zichtop.read.own_file import MAX_ROWS
from zichtop.web.own_view import PATTERN, PRIVATE, ROUTE, TEMPLATE_ROUTE

# where assets/eigen.js sends the file; the messages are read out as they come
ROUTE_ATTRIBUTE: Any = {"data-route": ROUTE}
LIVE: Any = {"aria-live": "polite"}

dash.register_page(__name__, order=6, path="/eigen-gegevens", name="Eigen gegevens",
                   title="Zichtop - eigen gegevens")


def layout(**_other: str) -> html.Div:
    return html.Div([
        html.H1("Eigen gegevens naast de CBS-patronen"),
        html.P("Zet uw eigen tellingen per wijk of per gemeente (bijvoorbeeld sluitingen op "
               "grond van artikel 13b Opiumwet, Bibob-procedures of meldingen) naast de "
               "CBS-cijfers, met dezelfde methode: cijfer per 1 000 inwoners (of als aandeel "
               "van uw eigen noemer), vergeleken met uw eigen set, trechtergrenzen en 'te klein' "
               "onder de 10."),
        html.P(PRIVATE, className="legend-note", id="eigen-privacy"),
        html.P(["Kolommen: ", html.Code("gebied"), " (GM- of WK-code of de naam van een "
                "gemeente), ", html.Code("periode"), " (2023 of 2024 1e halfjaar), ",
                html.Code("aantal"), ", eventueel ", html.Code("noemer"), " en ",
                html.Code("omschrijving"), f". CSV (; of ,) of Excel, hoogstens 5 MiB en "
                f"{MAX_ROWS:,} rijen. ".replace(",", "."),
                html.A("Download het sjabloon", href=TEMPLATE_ROUTE, id="eigen-sjabloon"),
                "."]),
        html.Label(["Kies uw bestand (CSV of XLSX)",
                    html.Br(),
                    html.Div(id="eigen-invoer", **ROUTE_ATTRIBUTE)],
                   className="upload-label", htmlFor="eigen-bestandskeuze"),
        html.Div(id="eigen-meldingen", role="alert", **LIVE),
        html.Div([
            html.H2(id="eigen-titel"),
            html.P(id="eigen-uitleg"),
            # the figure's drawing library, loaded as on every map page; the map is drawn by
            # assets/eigen.js into the panel below
            dcc.Graph(id="eigen-laden", style={"display": "none"}),
            html.Div(id="eigen-kaart", className="map"),
            html.H2("Gebieden, hoogste index eerst"),
            html.P("Klik op een kolomkop om te sorteren.", className="source"),
            html.Div(id="eigen-tabel", className="table-scroll"),
            html.H2("Waar eigen signalen en CBS-patronen samenvallen"),
            html.P(PATTERN, className="legend-note"),
            html.Div(id="eigen-samenhang"),
            html.P([html.A("Download CSV", id="eigen-csv", className="button",
                           download="zichtop-eigen-gegevens.csv", href="#"), " ",
                    html.A("Download Excel", id="eigen-xlsx", className="button",
                           download="zichtop-eigen-gegevens.xlsx", href="#")]),
            html.P("Bron: eigen gegevens, aangeleverd door de gebruiker. Inwoners en "
                   "vergelijkingscijfers: CBS, CC BY 4.0.", className="source"),
        ], id="eigen-uitkomst", hidden=True),
    ])
