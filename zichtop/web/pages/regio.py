"""Regio: one RIEC region (or province): map, table by indicator, totals and export pack."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import (
    Input,
    Output,
    State,
    callback,
    dash_table,  # type: ignore[attr-defined]
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

from zichtop.indicators.registry import indicators
from zichtop.read import presentation as p
from zichtop.read import queries, references
from zichtop.read.exports import to_csv_bytes, to_xlsx_bytes
from zichtop.web import figures, params
from zichtop.web.components import region_code_and_name
from zichtop.web.dark_number import lens
from zichtop.web.districts import section
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.packs import export_pack
from zichtop.web.pages.common import (
    dropdown,
    indicator_options,
    reference_control,
    search_box,
    source_line,
)

dash.register_page(__name__, order=4, path_template="/regio/<code>", path="/regio/RE05", name="Regio",
                   title="Zichtop - regio")

DUTCH = {"decimal": ",", "group": "."}
DEFAULT_INDICATOR = "drugs_verdachten"


def _region_options() -> list[dict]:
    r = queries.regions()
    r = r[r["level"].isin(["RE", "PV"])].sort_values(["level", "code"], ascending=[False, True])
    kind = {"RE": "RIEC-regio", "PV": "Provincie"}
    return [{"label": f"{kind[lv]} {n} ({c})", "value": c}
            for c, n, lv in zip(r["code"], r["name"], r["level"], strict=True)]


def table_rows(rows: pd.DataFrame, indicator: str) -> list[dict]:
    """Municipalities of the region for one indicator: numbers as numbers, the reason where
    there is none."""
    ind = indicators()[indicator][1]
    r = rows[(rows["indicator"] == indicator) & (rows["level"] == "GM")]
    out = []
    for _, x in r.iterrows():
        why = p.reason(x)
        out.append({"id": x["region_code"], "Gemeente": x["name"],
                    "Waarde": None if why else round(float(x["value"]), p.digits_for(x["value"], ind)),
                    "Toelichting": why or (x["note"] if isinstance(x.get("note"), str) else ""),
                    "Index": None if why else round(float(x["index"]), 0)
                    if p.is_number(x["index"]) else None,
                    "Categorie": "" if why else p.category_text(x),
                    "Index t.o.v. vergelijkbare gemeenten": None if why or not p.is_number(
                        x["peer_index"]) else round(float(x["peer_index"]), 0)})
    return out


def totals(rows: pd.DataFrame, indicator: str, code: str) -> html.Table:
    """The region's total and Nederland, always on top of the municipalities."""
    ind = indicators()[indicator][1]
    r = rows[rows["indicator"] == indicator].set_index("region_code")
    lines = []
    for area, label in ((code, None), ("NL01", "Nederland")):
        if area not in r.index:
            lines.append(html.Tr([html.Td(label or area), html.Td(p.NO_DATA, colSpan=4)]))
            continue
        x = r.loc[area]
        coverage = (f"{p.coverage_text(x['coverage'])} van de inwoners"
                    if p.is_number(x.get("coverage")) else "")
        if area == "NL01":  # the national reference every index is measured against
            lines.append(html.Tr([html.Th(label, scope="row"),
                                  html.Td(f"{p.reference_text(x['national_value'], ind)} "
                                          f"{ind.unit}"), html.Td("100"),
                                  html.Td("landelijk gemiddelde"), html.Td("alle gemeenten")]))
            continue
        lines.append(html.Tr([html.Th(label or f"{x['name']} (totaal)", scope="row"),
                              html.Td(p.value_text(x, ind)), html.Td(p.index_text(x["index"])),
                              html.Td(p.category_text(x)), html.Td(coverage)]))
    return html.Table([html.Tr([html.Th("Totaal"), html.Th("Waarde"),
                                html.Th("Index (NL = 100)"),
                                html.Th("Categorie"), html.Th("Dekking")]), *lines],
                      className="compare-table totals", id="regio-totalen")


@page_guard
def layout(code: str | None = None, indicator: str | None = None, referentie: str | None = None,
           **_other: str) -> html.Div:
    code, name = region_code_and_name(code)
    ind = params.indicator_id(indicator, "drugs") if indicator else DEFAULT_INDICATOR
    reference = params.reference(referentie)
    return html.Div([
        dcc.Location(id="regio-nav", refresh="callback-nav"),
        dcc.Location(id="regio-url", refresh=False),
        html.H1(f"Regio {name} ({code})", id="regio-titel"),
        search_box("regio-zoek"),
        html.Div([
            html.Label(["Regio", dropdown(id="regio-keuze", options=_region_options(),
                                          value=code, clearable=False)]),
            html.Label(["Indicator", dropdown(id="regio-indicator", clearable=False, value=ind,
                                              options=indicator_options())]),
            reference_control("regio-referentie", reference),
        ], className="controls"),
        html.Div([html.Fieldset([html.Legend("Perioden in de download"), dcc.RadioItems(
                      id="regio-perioden", value="laatste", inline=True,
                      options=[{"label": "laatste", "value": "laatste"},
                               {"label": "alle (een rij per periode)", "value": "alle"}])]),
                  html.Button("Download CSV", id="regio-csv", className="button"),
                  html.Button("Download Excel", id="regio-xlsx", className="button"),
                  html.A("Factsheet (A4)", href=f"/factsheet/regio/{code}" + (
                      references.in_url(reference)),
                         className="button", id="regio-factsheet"),
                  dcc.Download(id="regio-download")], className="exports"),
        html.P("Een afwijking is een patroon, geen bewijs. Cijfers 'te klein' staan ook in de "
               "export als 'te klein'; klik op een gemeente (kaart of tabel) voor het profiel.",
               className="legend-note"),
        dcc.Graph(id="regio-map", config=figures.MAP_CONFIG, className="map"),
        html.Div(id="regio-totalen-blok", className="table-scroll"),
        html.Div(dash_table.DataTable(  # type: ignore[attr-defined]
            id="regio-tabel", sort_action="native", page_size=60,
            columns=[{"name": "Gemeente", "id": "Gemeente"},
                     {"name": "Waarde", "id": "Waarde", "type": "numeric",
                      "format": {"locale": DUTCH, "specifier": ",.2f"}},
                     {"name": "Toelichting", "id": "Toelichting"},
                     {"name": "Index (referentie = 100)", "id": "Index", "type": "numeric",
                      "format": {"locale": DUTCH, "specifier": ",.0f"}},
                     {"name": "Categorie", "id": "Categorie"},
                     {"name": "Index t.o.v. vergelijkbare gemeenten",
                      "id": "Index t.o.v. vergelijkbare gemeenten", "type": "numeric",
                      "format": {"locale": DUTCH, "specifier": ",.0f"}}],
            style_cell={"fontFamily": "inherit", "textAlign": "left", "padding": "4px"},
            style_table={"overflowX": "auto"}, cell_selectable=True),
            className="table-scroll"),
        html.P(id="regio-bron", className="source"),
        lens(code, name),
        section(code),
        dcc.Store(id="regio-code", data=code),
    ])


@callback(Output("regio-nav", "href"), Input("regio-keuze", "value"), State("regio-code", "data"),
          prevent_initial_call=True)
@callback_guard
def _other_region(choice: str, current: str) -> str:
    if choice == current:
        raise PreventUpdate
    return f"/regio/{params.region_code(choice)}"


@callback(Output("regio-nav", "href", allow_duplicate=True), Input("regio-zoek", "value"),
          prevent_initial_call=True)
@callback_guard
def _municipality_found(code: str | None) -> str:
    """A municipality typed in the search field opens its RIEC region."""
    if not code:
        raise PreventUpdate
    regions = queries.regions().set_index("code")
    code = params.region_code(code)
    if code not in regions.index:
        raise PreventUpdate
    return f"/regio/{regions.loc[code, 'riec_code']}"


@callback(Output("regio-nav", "href", allow_duplicate=True),
          Input("regio-tabel", "active_cell"), Input("regio-map", "clickData"),
          State("regio-referentie", "value"), prevent_initial_call=True)
@callback_guard
def _open_profile(cell: dict | None, click: dict | None, reference: str | None = None) -> str:
    """A row of the table (its id is the municipality's code) or a municipality on the map
    opens its profile, against the same reference."""
    if dash.ctx.triggered_id == "regio-tabel":
        if not cell or not cell.get("row_id"):
            raise PreventUpdate
        code = cell["row_id"]
    else:
        code = click["points"][0]["location"]  # type: ignore[index]
    reference = params.reference(reference)
    keep = references.in_url(reference)
    return f"/gemeente/{params.region_code(code)}{keep}"


@callback(Output("regio-map", "figure"), Output("regio-tabel", "data"),
          Output("regio-totalen-blok", "children"), Output("regio-bron", "children"),
          Output("regio-url", "search"), Output("regio-tabel", "columns"),
          Input("regio-indicator", "value"), Input("regio-referentie", "value"),
          State("regio-code", "data"), State("regio-tabel", "columns"),
          State("regio-url", "search"))
@callback_guard
def show(indicator: str, reference: str | None, code: str, columns: list[dict],
         search: str | None = None) -> tuple:
    """The region for one indicator against the chosen reference: map, table and totals."""
    if indicator not in indicators():
        raise PreventUpdate
    code, _ = region_code_and_name(code)
    reference = params.reference(reference)
    ind = indicators()[indicator][1]
    national_rows = queries.region_export_rows(code)  # the totals: against the country
    rows = queries.with_reference(national_rows, reference)
    r = rows[rows["indicator"] == indicator]
    period = r["period_key"].iloc[0] if len(r) else None
    members = list(queries.members(code)["code"])
    names = dict(zip(queries.regions()["code"], queries.regions()["name"], strict=True))
    frame = queries.indicator_results(indicator, period, reference=reference) if period else r
    label = references.CHOICES[reference]
    fig = figures.map_figure(queries.layer("GM"), frame[frame["region_code"].isin(members)],
                             names, ind, "afwijking", zoom_codes=members, height=460,
                             compared=references.capitalised(label))
    digits = p.decimals(ind)
    columns = [dict(c, format={"locale": DUTCH, "specifier": f",.{digits}f"})
               if c["id"] == "Waarde" else c for c in columns]
    source = source_line(indicator, period) if period else "Geen cijfers voor deze indicator."
    # the URL changes only when the user chose another indicator or reference (a new URL
    # redraws the page)
    query = {"indicator": indicator}
    if reference != references.DEFAULT:
        query["referentie"] = reference
    wanted = "?" + urlencode(query)
    shown = search or ("" if indicator == DEFAULT_INDICATOR and
                       reference == references.DEFAULT else None)
    new_search = no_update if shown in (wanted, "") else wanted
    return fig, table_rows(rows, indicator), totals(national_rows, indicator, code), source, \
        new_search, columns


@callback(Output("regio-download", "data"), Input("regio-csv", "n_clicks"),
          Input("regio-xlsx", "n_clicks"), State("regio-code", "data"),
          State("regio-referentie", "value"), State("regio-perioden", "value"),
          prevent_initial_call=True)
@callback_guard
def download(_csv: int | None, _xlsx: int | None, code: str,
             reference: str | None = None, periods: str | None = None) -> dict:
    code, _ = region_code_and_name(code)  # the file name is built from a validated code only
    flat, by_theme, definitions = export_pack(code, params.reference(reference),
                                              periods == "alle")
    stamp = date.today().isoformat()
    if dash.ctx.triggered_id == "regio-xlsx":
        return dcc.send_bytes(to_xlsx_bytes(by_theme, definitions),
                              f"zichtop_{code}_{stamp}.xlsx")
    return dcc.send_bytes(to_csv_bytes(flat), f"zichtop_{code}_{stamp}.csv")
