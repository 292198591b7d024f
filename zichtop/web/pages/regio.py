"""Regio: one RIEC region (or province): map, table by indicator, aggregate and export pack."""

from __future__ import annotations

from datetime import date

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
)
from dash.exceptions import PreventUpdate

from zichtop.exports import definitions_frame, export_frame, to_csv_bytes, to_xlsx_bytes
from zichtop.privacy import LABEL as TOO_SMALL
from zichtop.profile import digits_for, fmt
from zichtop.themes.registry import indicators, themes
from zichtop.web import figures, params, queries
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import period_label, source_line

dash.register_page(__name__, order=4, path_template="/regio/<code>", path="/regio/RE05", name="Regio",
                   title="Zichtop - regio")


def _region_options() -> list[dict]:
    r = queries.regions()
    r = r[r["level"].isin(["RE", "PV"])].sort_values(["level", "code"], ascending=[False, True])
    kind = {"RE": "RIEC-regio", "PV": "Provincie"}
    return [{"label": f"{kind[lv]} {n} ({c})", "value": c}
            for c, n, lv in zip(r["code"], r["name"], r["level"], strict=True)]


def _validated(code: str | None) -> tuple[str, str]:
    code = params.region_code(code)
    name = queries.region_name(code)
    if name is None or code.startswith("GM"):
        raise params.BadParameter(f"'{code}' is geen RIEC-regio (RE01-RE10) of provincie.")
    return code, name


def _table(rows: pd.DataFrame, indicator: str, unit: str) -> list[dict]:
    r = rows[rows["indicator"] == indicator]
    out = []
    for _, x in r.iterrows():
        hidden = bool(x["suppressed"])
        out.append({"Gemeente": x["name"] if x["level"] == "GM" else f"{x['name']} (totaal)",
                    "Waarde": TOO_SMALL if hidden else fmt(x["value"], digits_for(unit)),
                    "Index (NL=100)": TOO_SMALL if hidden else fmt(x["index"], 0),
                    "Categorie": TOO_SMALL if hidden else (x["category"] or "-"),
                    "Vergelijkbare gemeenten (index)": TOO_SMALL if hidden
                    else fmt(x["peer_index"], 0)})
    return out


@page_guard
def layout(code: str | None = None, indicator: str | None = None, **_other: str) -> html.Div:
    code, name = _validated(code)
    ind = params.indicator_id(indicator, "drugs") if indicator else "drugs_verdachten"
    return html.Div([
        dcc.Location(id="regio-nav", refresh=True),
        html.H1(f"Regio {name} ({code})", id="regio-titel"),
        html.Div([
            html.Label(["Regio", dcc.Dropdown(id="regio-keuze", options=_region_options(),
                                              value=code, clearable=False)]),
            html.Label(["Indicator", dcc.Dropdown(
                id="regio-indicator", clearable=False, value=ind,
                options=[{"label": f"{t.label}: {i.label}", "value": i.id}
                         for t in themes() for i in t.indicators])]),
        ], className="controls"),
        html.Div([html.Button("Download CSV", id="regio-csv", className="button"),
                  html.Button("Download Excel", id="regio-xlsx", className="button"),
                  dcc.Download(id="regio-download")], className="exports"),
        html.P("Een afwijking is een patroon, geen bewijs. Cijfers 'te klein' staan ook in de "
               "export als 'te klein'.", className="legend-note"),
        dcc.Graph(id="regio-map", config=figures.MAP_CONFIG),
        html.P(id="regio-aggregaat", className="aggregate"),
        dash_table.DataTable(id="regio-tabel", sort_action="native", page_size=60,  # type: ignore[attr-defined]
                             style_cell={"fontFamily": "inherit", "textAlign": "left"}),
        html.P(id="regio-bron", className="source"),
        dcc.Store(id="regio-code", data=code),
    ])


@callback(Output("regio-nav", "href"), Input("regio-keuze", "value"), State("regio-code", "data"),
          prevent_initial_call=True)
@callback_guard
def _other_region(choice: str, current: str) -> str:
    if choice == current:
        raise PreventUpdate
    return f"/regio/{params.region_code(choice)}"


@callback(Output("regio-map", "figure"), Output("regio-tabel", "data"),
          Output("regio-aggregaat", "children"), Output("regio-bron", "children"),
          Input("regio-indicator", "value"), State("regio-code", "data"))
@callback_guard
def show(indicator: str, code: str) -> tuple:
    if indicator not in indicators():
        raise PreventUpdate
    code, _ = _validated(code)
    ind = indicators()[indicator][1]
    rows = queries.region_export_rows(code)
    r = rows[rows["indicator"] == indicator]
    period = r["period_key"].iloc[0] if len(r) else None
    members = list(queries.members(code)["code"])
    names = dict(zip(queries.regions()["code"], queries.regions()["name"], strict=True))
    frame = queries.indicator_results(indicator, period) if period else r
    fig = figures.map_figure(queries.layer("GM"), frame[frame["region_code"].isin(members)],
                             names, ind.unit, "afwijking", zoom_codes=members, height=480)
    agg = r[r["region_code"] == code]
    if agg.empty or bool(agg["suppressed"].iloc[0]):
        summary = "Regiototaal: geen gegevens." if agg.empty else f"Regiototaal: {TOO_SMALL}."
    else:
        a = agg.iloc[0]
        summary = (f"Regiototaal ({period_label(str(period))}): {fmt(a['value'], digits_for(ind.unit))} {ind.unit}, "
                   f"Nederland {fmt(a['national_value'], digits_for(ind.unit))}, index {fmt(a['index'], 0)}, "
                   f"{a['category']}. Berekend uit opgetelde aantallen van "
                   f"{fmt(a['coverage'] * 100, 0)}% van de gemeenten.")
    return fig, _table(r, indicator, ind.unit), summary, source_line(indicator, period)


def export_pack(code: str) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame]:
    code, name = _validated(code)
    rows = export_frame(queries.region_export_rows(code))
    by_theme = {}
    labels = {i.label: t.label for t in themes() for i in t.indicators}
    rows["_theme"] = rows["Indicator"].map(labels)
    for theme in themes():
        part = rows[rows["_theme"] == theme.label].drop(columns="_theme")
        if len(part):
            by_theme[theme.label] = part
    return rows.drop(columns="_theme"), by_theme, definitions_frame(name, queries.build_info())


@callback(Output("regio-download", "data"), Input("regio-csv", "n_clicks"),
          Input("regio-xlsx", "n_clicks"), State("regio-code", "data"), prevent_initial_call=True)
@callback_guard
def download(_csv: int | None, _xlsx: int | None, code: str) -> dict:
    code, _ = _validated(code)  # the file name is built from a validated code only
    flat, by_theme, definitions = export_pack(code)
    stamp = date.today().isoformat()
    if dash.ctx.triggered_id == "regio-xlsx":
        return dcc.send_bytes(to_xlsx_bytes(by_theme, definitions),
                              f"zichtop_{code}_{stamp}.xlsx")
    return dcc.send_bytes(to_csv_bytes(flat), f"zichtop_{code}_{stamp}.csv")
