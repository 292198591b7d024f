"""Wijken: where in a municipality does an indicator stand out? A wijk map of that municipality
only (same colours and categories as the national map), its wijken in a table sortable by
deviation, and the buurten of a chosen wijk as a table where CBS publishes them. Every view is a
URL: /wijken/<gemeente>?indicator=...&wijk=...."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
from dash import Input, Output, Patch, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from zichtop.core import credits
from zichtop.core.areas import COMPLETE
from zichtop.indicators.model import Indicator
from zichtop.indicators.registry import area_indicators
from zichtop.read import presentation as p
from zichtop.read import queries
from zichtop.read.exports import to_csv_bytes, wijk_export_frame
from zichtop.read.references import capitalised
from zichtop.web import params
from zichtop.web.area_views import (
    WIJK_REFERENCE,
    WIJK_REFERENCES,
    area_table,
    default_indicator,
    indicator_choices,
    table_rows,
    wijk_map,
)
from zichtop.web.components import municipality_code_and_name
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import dropdown, search_box, source_line

dash.register_page(__name__, order=3, path_template="/wijken/<code>", path="/wijken/GM0363",
                   name="Wijken", title="Zichtop - wijken")

MODES = ("afwijking", "categorie")


def _url(code: str, indicator: str, wijk: str | None = None, mode: str | None = None,
         reference: str | None = None) -> str:
    """The view's URL; an unknown colouring or reference is the default one (left out)."""
    query = {"indicator": indicator, **({"wijk": wijk} if wijk else {}),
             **({"weergave": mode} if mode in MODES[1:] else {}),
             **({"referentie": reference} if reference == "gemeente" else {})}
    return f"/wijken/{code}?{urlencode(query)}"


def buurten(wijk: str, ind: Indicator, ind_id: str, municipality: str) -> list:
    area = queries.area(wijk)
    if area.empty or area["municipality_code"].iloc[0] != municipality:
        raise params.BadParameter(f"Wijk {wijk} ligt niet in deze gemeente.")
    name = str(area["name"].iloc[0])
    head = html.H2(f"Buurten van {name}", id="buurten-kop")
    if "BU" not in ind.levels:
        return [head, html.P("CBS publiceert deze indicator niet per buurt. Kies een indicator "
                             "uit de Kerncijfers wijken en buurten.", className="missing")]
    rows = queries.area_results(ind_id, wijk, "BU")
    if rows.empty:
        return [head, html.P("Voor deze wijk zijn er geen buurtcijfers in deze installatie.",
                             className="missing")]
    return [head, html.P("Deze installatie heeft geen kaartgrenzen van buurten; de tabel "
                         "geeft de cijfers. Index t.o.v. de wijk: 100 = de wijk zelf."),
            area_table("buurten-tabel", table_rows(rows, ind), ind, "de wijk")]


@page_guard
def layout(code: str | None = None, indicator: str | None = None, wijk: str | None = None,
           weergave: str | None = None, referentie: str | None = None,
           **_other: str) -> html.Div:
    code, name = municipality_code_and_name(code)
    coverage = queries.area_coverage(code)
    indicator = indicator or default_indicator(coverage)
    ind_id = params.area_indicator_id(indicator)
    theme, ind = area_indicators()[ind_id]
    chosen = params.area_code(wijk) if wijk else None
    mode = weergave if weergave in MODES else "afwijking"
    if referentie not in (None, "", *WIJK_REFERENCES):
        raise params.BadParameter(f"Onbekende referentie '{str(referentie)[:40]}' voor wijken. "
                                  "Kies uit: nl, gemeente.")
    reference = referentie if referentie in WIJK_REFERENCES else "nl"
    status = coverage[(coverage["indicator"] == ind_id) & (coverage["level"] == "WK")]
    state = str(status["status"].iloc[0]) if len(status) else None
    controls = [
        dcc.Location(id="wijken-nav", refresh="callback-nav"),
        dcc.Location(id="wijken-url", refresh=False),  # a chosen wijk: the URL, no reload
        dcc.Store(id="wijken-code", data=code),
        search_box("wijken-zoek"),
        html.H1(f"Wijken van {name}", id="wijken-titel"),
        html.P([html.A(f"\u2190 Profiel van {name}", href=f"/gemeente/{code}"), " | ",
                html.A("Op de kaart van Nederland", href=f"/?gemeente={code}")],
               className="links"),
        html.Div([
            html.Label(["Indicator", dropdown(id="wijken-indicator", value=ind_id,
                                              options=indicator_choices(coverage),
                                              clearable=False)]),
            html.Label(["Vergelijk met", dropdown(
                id="wijken-referentie", value=reference, clearable=False,
                options=[{"label": capitalised(label), "value": key}
                         for key, label in WIJK_REFERENCES.items()])]),
            html.Fieldset([html.Legend("Kleur"), dcc.RadioItems(
                id="wijken-modus", value=mode, inline=True,
                options=[{"label": "afwijking (index)", "value": "afwijking"},
                         {"label": "categorie", "value": "categorie"}])]),
        ], className="controls"),
        dcc.Store(id="wijken-wijk", data=chosen),
        html.Div([html.Button("Download CSV (alle wijkindicatoren)", id="wijken-csv",
                              className="button"),
                  dcc.Download(id="wijken-download")], className="exports"),
    ]
    if state != COMPLETE:
        why = str(status["reason"].iloc[0]) if len(status) else \
            "geen wijkcijfers in deze installatie"
        available = [area_indicators()[i][1].label for i in coverage.loc[
            (coverage["status"] == COMPLETE) & (coverage["level"] == "WK"), "indicator"]]
        return html.Div([*controls, html.P(f"{ind.label}: {why}.", className="missing",
                                           id="wijken-melding"),
                         html.P("Wel beschikbaar voor deze gemeente: " + ", ".join(available)
                                + "." if available else
                                "Voor deze gemeente zijn geen wijkcijfers geladen.")])
    rows = queries.area_results(ind_id, code, "WK")
    period = rows["period_key"].dropna()
    period_key = str(period.iloc[0]) if len(period) else None
    shown = rows[rows["value"].notna()]
    return html.Div([
        *controls,
        html.P([f"{theme.label}. {ind.description} 100 = "
                f"{'landelijk gemiddelde' if reference == 'nl' else 'de eigen gemeente'}. ",
                html.Span("Grijs", className="swatch too-small-swatch"), " = te klein, ",
                html.Span("lichtblauw", className="swatch no-data-swatch"),
                " = geen gegevens. ", html.B("Een afwijking is een patroon, geen bewijs. "),
                "Klik op een wijk voor zijn buurten."], className="legend-note"),
        html.P(f"{len(shown)} van {len(rows)} wijken met een cijfer"
               + (f" in {p.period_label(period_key)}" if period_key else "") + ".",
               id="wijken-telling"),
        dcc.Loading(wijk_map(code, rows, ind, chosen, mode, reference)),
        # a chosen wijk's buurten right under the map, before the long list of wijken
        html.Div(buurten(chosen, ind, ind_id, code) if chosen else [], id="buurten"),
        html.H2(f"Wijken van {name}, hoogste index eerst"),
        area_table("wijken-tabel", table_rows(rows, ind), ind, WIJK_REFERENCE),
        html.P(ind.caveats, className="caveat"),
        html.P(source_line(ind_id, period_key), className="source", id="wijken-bron"),
        html.P(f"{credits.WIJK_BOUNDARIES}.", className="source"),
    ])


@callback(Output("wijken-nav", "href", allow_duplicate=True),
          Input("wijken-indicator", "value"), Input("wijken-modus", "value"),
          Input("wijken-referentie", "value"), State("wijken-code", "data"),
          State("wijken-wijk", "data"), prevent_initial_call=True)
@callback_guard
def _other_indicator(indicator: str, mode: str, reference: str | None, code: str,
                     wijk: str | None) -> str:
    """Another indicator, colour mode or reference: the same wijk stays chosen (a new URL)."""
    return _url(params.region_code(code), params.area_indicator_id(indicator),
                params.area_code(wijk) if wijk else None, mode, reference)


@callback(Output("wijken-nav", "href", allow_duplicate=True), Input("wijken-zoek", "value"),
          State("wijken-indicator", "value"), prevent_initial_call=True)
@callback_guard
def _other_municipality(code: str | None, indicator: str) -> str:
    if not code:
        raise PreventUpdate
    return _url(params.region_code(code), params.area_indicator_id(indicator))


def _choose(wijk: str, code: str, indicator: str, mode: str,
            reference: str | None = None) -> tuple:
    """A wijk chosen on the map or in the table: only its part of the page changes (its
    buurten, the outline on the map) and the URL follows without reloading the page."""
    code, ind_id = params.region_code(code), params.area_indicator_id(indicator)
    ind = area_indicators()[ind_id][1]
    url = _url(code, ind_id, wijk, mode, reference)
    return buurten(wijk, ind, ind_id, code), wijk, url[url.index("?"):]


CHOSEN = (Output("buurten", "children", allow_duplicate=True),
          Output("wijken-wijk", "data", allow_duplicate=True),
          Output("wijken-url", "search", allow_duplicate=True))


@callback(*CHOSEN, Input("wijken-map", "clickData"), State("wijken-code", "data"),
          State("wijken-indicator", "value"), State("wijken-modus", "value"),
          State("wijken-referentie", "value"), prevent_initial_call=True)
@callback_guard
def _open_wijk(click: dict | None, code: str, indicator: str, mode: str,
               reference: str | None = None) -> tuple:
    point = (click or {}).get("points", [{}])[0]
    return _choose(params.area_code(point.get("location")), code, indicator, mode, reference)


@callback(*CHOSEN, Input("wijken-tabel", "active_cell"), State("wijken-code", "data"),
          State("wijken-indicator", "value"), State("wijken-modus", "value"),
          State("wijken-referentie", "value"), prevent_initial_call=True)
@callback_guard
def _open_wijk_from_table(cell: dict | None, code: str, indicator: str, mode: str,
                          reference: str | None = None) -> tuple:
    if not cell or not cell.get("row_id"):
        raise PreventUpdate
    return _choose(params.area_code(cell["row_id"]), code, indicator, mode, reference)


@callback(Output("wijken-map", "figure"), Input("wijken-wijk", "data"),
          State("wijken-code", "data"), prevent_initial_call=True)
@callback_guard
def _outline_wijk(wijk: str | None, code: str) -> Patch:
    """The chosen wijk's outline: the last trace of the wijk map (figures.map_figure)."""
    if not wijk:
        raise PreventUpdate
    layer = queries.area_layer(params.region_code(code))
    feature = [f for f in (layer or {"features": []})["features"] if f["id"] == wijk]
    if not feature:
        raise PreventUpdate
    patch = Patch()
    patch["data"][-1]["geojson"] = {"type": "FeatureCollection", "features": feature}
    patch["data"][-1]["locations"] = [wijk]
    patch["data"][-1]["z"] = [0]
    return patch


@callback(Output("wijken-download", "data"), Input("wijken-csv", "n_clicks"),
          State("wijken-code", "data"), prevent_initial_call=True)
@callback_guard
def _download(_clicks: int | None, code: str) -> dict:
    """Every wijk indicator for every wijk of the municipality, as the region pack's wijk sheet
    (the file name is built from a validated code only)."""
    code, name = municipality_code_and_name(code)
    rows, coverage = queries.wijk_rows([code])
    frame = wijk_export_frame(rows, coverage, [(code, name)])
    return dcc.send_bytes(to_csv_bytes(frame), f"zichtop_wijken_{code}_{date.today()}.csv")
