"""Kaart (start page): a choropleth per theme, indicator and year."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from zichtop.privacy import EXPLANATION
from zichtop.themes.registry import indicators
from zichtop.web import figures, params, queries
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import (
    indicator_options,
    period_label,
    source_line,
    theme_options,
)

dash.register_page(__name__, order=1, path="/", name="Kaart", title="Zichtop - kaart")


def _names() -> dict[str, str]:
    r = queries.regions()
    return dict(zip(r["code"], r["name"], strict=True))


def _outlines() -> list[dict]:
    return [queries.layer("RE"), queries.layer("PV")]


def build_map(indicator: str, period_key: str, mode: str, borders: list[str]) -> object:
    unit = indicators()[indicator][1].unit
    fig = figures.map_figure(queries.layer("GM"), queries.indicator_results(indicator, period_key),
                             _names(), unit, mode, _outlines())
    fig.data[3].visible = "riec" in borders
    fig.data[4].visible = "provincie" in borders
    return fig


@page_guard
def layout(thema: str | None = None, indicator: str | None = None, jaar: str | None = None,
           weergave: str | None = None, **_other: str) -> html.Div:
    theme = params.theme_id(thema)
    ind = params.indicator_id(indicator, theme)
    theme = indicators()[ind][0].id
    available = queries.periods(ind)
    period = params.period(jaar, available)
    mode = weergave if weergave in ("afwijking", "categorie") else "afwijking"
    return html.Div([
        dcc.Location(id="kaart-url", refresh=False),
        dcc.Location(id="kaart-nav", refresh=True),
        html.H1("Waar wijkt mijn gemeente af?"),
        html.Div([
            html.Label(["Thema", dcc.Dropdown(id="kaart-thema", options=theme_options(),
                                              value=theme, clearable=False)]),
            html.Label(["Indicator", dcc.Dropdown(id="kaart-indicator",
                                                  options=indicator_options(theme), value=ind,
                                                  clearable=False)]),
            html.Label(["Periode", dcc.Dropdown(id="kaart-jaar", clearable=False, value=period,
                                                options=[{"label": period_label(p), "value": p}
                                                         for p in available])]),
            html.Label(["Kleur", dcc.RadioItems(id="kaart-modus", value=mode, inline=True,
                                                options=[{"label": "afwijking (index)",
                                                          "value": "afwijking"},
                                                         {"label": "categorie",
                                                          "value": "categorie"}])]),
            dcc.Checklist(id="kaart-grenzen", value=[], inline=True,
                          options=[{"label": "RIEC-regio's", "value": "riec"},
                                   {"label": "provincies", "value": "provincie"}]),
        ], className="controls"),
        html.P(["100 = landelijk gemiddelde. Paars = lager, oranje = hoger. Grijs = te klein, "
                "wit = geen gegevens. ", html.B("Een afwijking is een patroon, geen bewijs. "),
                "Klik op een gemeente voor het profiel."], className="legend-note",
               id="kaart-legenda"),
        dcc.Loading(dcc.Graph(id="kaart-map", figure=build_map(ind, period, mode, []),
                              config=figures.MAP_CONFIG)),
        html.P(source_line(ind, period), id="kaart-bron", className="source"),
        html.P(EXPLANATION, className="source"),
    ])


@callback(Output("kaart-indicator", "options"), Output("kaart-indicator", "value"),
          Input("kaart-thema", "value"), State("kaart-indicator", "value"),
          prevent_initial_call=True)
@callback_guard
def _theme_changed(theme: str, current: str) -> tuple[list[dict], str]:
    options = indicator_options(params.theme_id(theme))
    values = [o["value"] for o in options]
    return options, current if current in values else values[0]


@callback(Output("kaart-jaar", "options"), Output("kaart-jaar", "value"),
          Input("kaart-indicator", "value"), State("kaart-jaar", "value"),
          prevent_initial_call=True)
@callback_guard
def _indicator_changed(indicator: str, current: str) -> tuple[list[dict], Any]:
    available = queries.periods(params.indicator_id(indicator, indicators()[indicator][0].id))
    if not available:
        return [], no_update
    keep = next((p for p in available if p == current), available[0])
    return [{"label": period_label(p), "value": p} for p in available], keep


@callback(Output("kaart-map", "figure"), Output("kaart-bron", "children"),
          Output("kaart-url", "search"),
          Input("kaart-jaar", "value"), Input("kaart-modus", "value"),
          Input("kaart-grenzen", "value"), Input("kaart-indicator", "value"),
          prevent_initial_call=True)
@callback_guard
def switch(period_key: str, mode: str, borders: list[str], indicator: str) -> tuple:
    """Only values travel: the boundaries stay in the browser (Dash Patch)."""
    if indicator not in indicators():
        raise PreventUpdate
    available = queries.periods(indicator)
    if not available:
        status = queries.indicator_status().set_index("indicator")
        reason = status.loc[indicator, "reason"] if indicator in status.index else ""
        return no_update, f"Deze indicator is {reason or 'niet beschikbaar'}.", no_update
    if period_key not in available:
        raise PreventUpdate
    theme, ind = indicators()[indicator]
    frame = queries.indicator_results(indicator, period_key)
    codes = [f["id"] for f in queries.layer("GM")["features"]]
    patch = figures.map_values_patch(frame, codes, _names(), ind.unit,
                                     mode if mode in ("afwijking", "categorie") else "afwijking")
    patch["data"][3]["visible"] = "riec" in (borders or [])
    patch["data"][4]["visible"] = "provincie" in (borders or [])
    search = "?" + urlencode({"thema": theme.id, "indicator": indicator,
                              "jaar": period_key, "weergave": mode})
    return patch, source_line(indicator, period_key), search


@callback(Output("kaart-nav", "href"), Input("kaart-map", "clickData"), prevent_initial_call=True)
@callback_guard
def _open_profile(click: dict | None) -> str:
    try:
        code = click["points"][0]["location"]  # type: ignore[index]
        return f"/gemeente/{params.region_code(code)}"
    except (TypeError, KeyError, IndexError, params.BadParameter) as error:
        raise PreventUpdate from error
