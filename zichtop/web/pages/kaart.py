"""Kaart (start page): the municipalities coloured by how far they deviate, per theme, indicator
and year. The map is plain SVG (zichtop/web/svg_map.py, assets/kaart.js): no Plotly on this
page; every switch sends each municipality's colour and tooltip text, never the shapes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import (
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

from zichtop.indicators.registry import indicators
from zichtop.method.privacy import EXPLANATION
from zichtop.read import queries, references
from zichtop.web import params, svg_map
from zichtop.web.components import municipality_code_and_name
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import (
    dropdown,
    indicator_options,
    period_label,
    reference_control,
    search_box,
    source_line,
    theme_options,
)

dash.register_page(__name__, order=1, path="/", name="Kaart", title="Zichtop - kaart")


def map_values(indicator: str, period_key: str, mode: str, borders: list[str],
               chosen: str | None = None, reference: str = references.DEFAULT) -> dict:
    """The map's colours and tooltip texts for one view (svg_map.map_values), against the
    chosen reference (the country's value stays in the tooltip)."""
    frame = queries.indicator_results(indicator, period_key)
    values = frame["national_value"].dropna()
    national = values.iloc[0] if len(values) else None
    return svg_map.map_values(queries.with_reference(frame, reference),
                              indicators()[indicator][1], mode, chosen, borders,
                              national=national)


def legend_note(reference: str) -> list:
    """The sentence over the map: what 100 is, what the colours say."""
    return [f"100 = {references.hundred(reference)}. Paars = lager, oranje = hoger. ",
            html.Span("Grijs", className="swatch too-small-swatch"), " = te klein, ",
            html.Span("lichtblauw", className="swatch no-data-swatch"),
            " = geen gegevens. ", html.B("Een afwijking is een patroon, geen bewijs. "),
            "Klik op een gemeente of zoek hem op voor het profiel."]


@page_guard
def layout(thema: str | None = None, indicator: str | None = None, jaar: str | None = None,
           weergave: str | None = None, gemeente: str | None = None,
           referentie: str | None = None, **_other: str) -> html.Div:
    theme = params.theme_id(thema)
    ind = params.indicator_id(indicator, theme)
    theme = indicators()[ind][0].id
    available = queries.periods(ind)
    period = params.period(jaar, available)
    mode = weergave if weergave in ("afwijking", "categorie") else "afwijking"
    chosen = _municipality_or_none(gemeente)
    reference = params.reference(referentie)
    shapes_url: dict[str, Any] = {"data-vormen": f"/kaart.svg?v={queries.build_token()}"}
    return html.Div([
        dcc.Location(id="kaart-url", refresh=False),
        html.H1("Waar wijkt mijn gemeente af?"),
        search_box("kaart-zoek", chosen),
        html.Div(_chosen_link(chosen, reference), id="kaart-gekozen", className="chosen"),
        html.Div([
            html.Label(["Thema", dropdown(id="kaart-thema", options=theme_options(),
                                          value=theme, clearable=False)]),
            html.Label(["Indicator", dropdown(id="kaart-indicator",
                                              options=indicator_options(theme), value=ind,
                                              clearable=False)]),
            html.Label(["Periode", dropdown(id="kaart-jaar", clearable=False, value=period,
                                            options=[{"label": period_label(p), "value": p}
                                                     for p in available])]),
            reference_control("kaart-referentie", reference),
            html.Fieldset([html.Legend("Kleur"), dcc.RadioItems(
                id="kaart-modus", value=mode, inline=True,
                options=[{"label": "afwijking (index)", "value": "afwijking"},
                         {"label": "categorie", "value": "categorie"}])]),
            html.Fieldset([html.Legend("Grenzen"), dcc.Checklist(
                id="kaart-grenzen", value=[], inline=True,
                options=[{"label": "RIEC-regio's", "value": "riec"},
                         {"label": "provincies", "value": "provincie"}])]),
        ], className="controls"),
        html.P(legend_note(reference), className="legend-note", id="kaart-legenda"),
        html.Div(id="kaart-map", className="map svg-map", **shapes_url),
        html.Div(svg_map.legend(mode, reference), id="kaart-schaal"),
        dcc.Store(id="kaart-waarden", data=map_values(ind, period, mode, [], chosen, reference)),
        dcc.Store(id="kaart-getekend"),
        html.P(source_line(ind, period), id="kaart-bron", className="source"),
        html.P(EXPLANATION, className="source"),
    ])


def _trigger() -> str | None:
    """The input that fired the callback (None outside a request, e.g. in a benchmark)."""
    try:
        return dash.ctx.triggered_id  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - no callback context: treat as a full update
        return None


def _municipality_or_none(code: str | None) -> str | None:
    try:
        return municipality_code_and_name(code)[0] if code else None
    except params.BadParameter:
        return None


def _chosen_link(code: str | None, reference: str | None = None) -> list:
    if not code:
        return []
    name = queries.region_name(code)
    keep = references.in_url(reference)
    return [html.A(f"Open het profiel van {name} \u2192", href=f"/gemeente/{code}{keep}",
                   className="button primary", id="kaart-profiel-link"), " ",
            html.A(f"Wijken van {name} \u2192", href=f"/wijken/{code}", className="button",
                   id="kaart-wijken-link")]


@callback(Output("kaart-waarden", "data", allow_duplicate=True),
          Output("kaart-gekozen", "children"), Output("kaart-url", "search", allow_duplicate=True),
          Input("kaart-zoek", "value"), State("kaart-jaar", "value"),
          State("kaart-modus", "value"), State("kaart-grenzen", "value"),
          State("kaart-indicator", "value"), State("kaart-referentie", "value"),
          prevent_initial_call=True)
@callback_guard
def _found(code: str | None, period_key: str, mode: str, borders: list[str],
           indicator: str, reference: str | None = None) -> tuple:
    """A municipality chosen in the search field: highlighted, zoomed to, its profile one
    click away; the choice is in the URL."""
    chosen = _municipality_or_none(code)
    if code and chosen is None:
        raise PreventUpdate
    if indicator not in indicators() or period_key not in queries.periods(indicator):
        raise PreventUpdate
    theme = indicators()[indicator][0]
    search = {"thema": theme.id, "indicator": indicator, "jaar": period_key,
              "weergave": mode if mode in ("afwijking", "categorie") else "afwijking"}
    if chosen:
        search["gemeente"] = chosen
    if reference in references.CHOICES and reference != references.DEFAULT:
        search["referentie"] = str(reference)
    values = Patch()  # the map outlines and zooms to it (assets/kaart.js): nothing else travels
    values["gekozen"] = chosen
    return values, _chosen_link(chosen, reference), "?" + urlencode(search)


@callback(Output("kaart-indicator", "options"), Output("kaart-indicator", "value"),
          Output("kaart-jaar", "options"), Output("kaart-jaar", "value"),
          Output("kaart-waarden", "data"), Output("kaart-bron", "children"),
          Output("kaart-url", "search"), Output("kaart-schaal", "children"),
          Output("kaart-legenda", "children"),
          Input("kaart-thema", "value"), Input("kaart-indicator", "value"),
          Input("kaart-jaar", "value"), Input("kaart-modus", "value"),
          Input("kaart-grenzen", "value"), Input("kaart-referentie", "value"),
          State("kaart-zoek", "value"), prevent_initial_call=True)
@callback_guard
def switch(theme: str, indicator: str, period_key: str, mode: str, borders: list[str],
           reference: str | None = None, chosen: str | None = None) -> tuple:
    """Every control of the map in one round trip: a new theme picks its indicator, a new
    indicator its period, and the map's values travel with them. Only values travel (a colour
    and a tooltip text per municipality): the shapes stay in the browser."""
    trigger = _trigger()
    indicator_choice: tuple = (no_update, no_update)  # options and value, when they change
    period_choice: tuple = (no_update, no_update)
    if trigger == "kaart-thema":
        options = indicator_options(params.theme_id(theme))
        values = [o["value"] for o in options]
        indicator = indicator if indicator in values else values[0]
        indicator_choice = (options, indicator)
    if indicator not in indicators():
        raise PreventUpdate
    available = queries.periods(params.indicator_id(indicator, indicators()[indicator][0].id))
    if trigger in ("kaart-thema", "kaart-indicator") and available:
        period_key = next((p for p in available if p == period_key), available[0])
        period_choice = ([{"label": period_label(p), "value": p} for p in available], period_key)
    choices = (*indicator_choice, *period_choice)
    mode = mode if mode in ("afwijking", "categorie") else "afwijking"
    chosen = chosen if isinstance(chosen, str) and chosen.startswith("GM") else None
    reference = reference if reference in references.CHOICES else references.DEFAULT
    scale = svg_map.legend(mode, reference) if trigger in (None, "kaart-modus",
                                                           "kaart-referentie") else no_update
    reference = reference if reference in references.CHOICES else references.DEFAULT
    note = legend_note(reference) if trigger in (None, "kaart-referentie") else no_update
    if not available:  # never another indicator's map: the values are emptied
        status = queries.indicator_status().set_index("indicator")
        reason = status.loc[indicator, "reason"] if indicator in status.index else ""
        empty = svg_map.map_values(queries.indicator_results(indicator, ""),
                                   indicators()[indicator][1], mode, chosen, borders)
        return (*choices, empty, f"Voor deze indicator: {reason or 'niet beschikbaar'}.",
                no_update, scale, note)
    if period_key not in available:
        raise PreventUpdate
    theme_of = indicators()[indicator][0]
    query = {"thema": theme_of.id, "indicator": indicator, "jaar": period_key, "weergave": mode}
    if chosen:
        query["gemeente"] = chosen
    if reference != references.DEFAULT:
        query["referentie"] = reference
    return (*choices, map_values(indicator, period_key, mode, borders or [], chosen, reference),
            source_line(indicator, period_key), "?" + urlencode(query), scale, note)


# the browser colours its map from the values (assets/kaart.js): no round trip, no Plotly
clientside_callback(ClientsideFunction("zichtop", "kaart"), Output("kaart-getekend", "data"),
                    Input("kaart-waarden", "data"))
