"""Dash's page for an unknown path, in Dutch."""

import dash
from dash import html

dash.register_page(__name__, path="/404", name="Niet gevonden", nav=False)

layout = html.Div([html.H2("Deze pagina bestaat niet"),
                   html.P("Kies de kaart, een gemeente, een regio of de methode in het menu."),
                   html.A("Naar de kaart", href="/")], className="problem")
