"""The frame around every page: header with a menu that folds away on a phone, the links that
remember the municipality and region you chose, the banner for errors, and the footer."""

from __future__ import annotations

import re
from typing import Any

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from zichtop.core import credits

MUNICIPALITY = re.compile(r"^/(?:gemeente|wijken)/(GM\d{4})$")
REGION = re.compile(r"^/regio/((?:RE|PV)\d{2})$")
MENU_ARIA: Any = {"aria-expanded": "false", "aria-controls": "menu"}
NAV = {"Kaart": "nav-kaart", "Gemeenteprofiel": "nav-gemeente", "Wijken": "nav-wijken",
       "Vergelijken": "nav-vergelijken", "Regio": "nav-regio", "Methode": "nav-methode"}


def layout() -> html.Div:
    pages = [p for p in dash.page_registry.values() if p.get("nav", True)]
    return html.Div([
        html.A("Naar de inhoud", href="#inhoud", className="skip-link"),
        dcc.Store(id="keuze", storage_type="session"),
        html.Header([
            html.A("Zichtop", href="/", className="brand"),
            html.Button("Menu", id="menu-knop", className="menu-button", n_clicks=0,
                        **MENU_ARIA),
            html.Nav([dcc.Link(p["name"], href=p["relative_path"], className="nav-link",
                               id=NAV.get(p["name"], f"nav-{p['module']}"))
                      for p in pages], id="menu", className="menu"),
        ], className="topbar"),
        html.Div(id="app-melding", className="alert", role="alert", hidden=True),
        html.Main(dash.page_container, className="content", id="inhoud"),
        html.Footer(f"{credits.CBS}. Een afwijking is een patroon, geen bewijs. "
                    f"{credits.CROSSWALK}. {credits.BOUNDARIES}.", className="footer"),
    ])


@callback(Output("keuze", "data"), Input("_pages_location", "pathname"), State("keuze", "data"))
def remember_choice(path: str | None, known: dict | None) -> dict:
    """The last municipality and region the user opened."""
    choice = dict(known or {})
    if path and (m := MUNICIPALITY.match(path)):
        from zichtop.read import queries

        choice["gemeente"] = m[1]
        regions = queries.regions().set_index("code")
        if m[1] in regions.index:  # its RIEC region follows
            choice["regio"] = str(regions.loc[m[1], "riec_code"])
    if path and (m := REGION.match(path)):
        choice["regio"] = m[1]
    return choice


@callback(Output("nav-gemeente", "href"), Output("nav-wijken", "href"),
          Output("nav-vergelijken", "href"), Output("nav-regio", "href"), Input("keuze", "data"))
def keep_choice_in_menu(choice: dict | None) -> tuple[str, str, str, str]:
    choice = choice or {}
    gm = choice.get("gemeente") if MUNICIPALITY.match(f"/gemeente/{choice.get('gemeente')}") \
        else None
    region = choice.get("regio") if REGION.match(f"/regio/{choice.get('regio')}") else None
    return (f"/gemeente/{gm or 'GM0363'}", f"/wijken/{gm or 'GM0363'}",
            f"/vergelijken?gemeenten={gm}" if gm else "/vergelijken",
            f"/regio/{region or 'RE05'}")


clientside_callback(
    """function(n) {
        const menu = document.getElementById('menu');
        const open = n % 2 === 1;
        if (menu) { menu.classList.toggle('open', open); }
        return open ? 'true' : 'false';
    }""",
    Output("menu-knop", "aria-expanded"), Input("menu-knop", "n_clicks"),
)
