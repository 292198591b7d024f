"""Gemeenteprofiel: first the answer ("Waar wijkt <naam> af?"), then every theme, opened on
demand (one pattern-matching callback loads a theme's cards and charts when it is opened)."""

from __future__ import annotations

import json
from typing import Any

import dash
import numpy as np
import pandas as pd
from dash import ALL, MATCH, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from zichtop.indicators.registry import indicators, themes
from zichtop.method import statistics
from zichtop.read import presentation as p
from zichtop.read import queries, references
from zichtop.read.references import coverage_note
from zichtop.web import figures, params
from zichtop.web.area_views import wijk_overview
from zichtop.web.components import municipality_code_and_name, spine, summary
from zichtop.web.dark_number import lens
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import reference_control, search_box, source_line

dash.register_page(__name__, order=2, path_template="/gemeente/<code>", path="/gemeente/GM0363",
                   name="Gemeenteprofiel", title="Zichtop - gemeenteprofiel")


def _card(row: pd.Series, series: pd.DataFrame, name: str) -> html.Div:
    reference = str(row.get("reference_name") or "Nederland")
    compared = references.capitalised(reference)
    _theme, ind = indicators()[row["indicator"]]
    body: list[Any] = []
    if pd.isna(row.get("period_key")):
        body.append(html.P(p.reason(row), className="missing"))
    else:
        why = p.reason(row)
        head: list[Any] = [html.B(p.value_text(row, ind)),
                           f" in {p.period_label(row['period_key'])}"]
        body.append(html.P(head, className="too-small" if why else None))
        national = f"{compared} {p.reference_text(row['national_value'], ind)} {ind.unit}"
        body.append(html.P(national + "." if why else
                           f"{national} | index {p.index_text(row['index'])} (100 = {reference}) | "
                           f"{p.category_text(row)} | {p.PEER_INDEX_LABEL.lower()}: "
                           f"{p.index_text(row['peer_index'])}"))
        if isinstance(row.get("note"), str):
            body.append(html.P(row["note"], className="caveat"))
        if coverage_note(row):
            body.append(html.P(coverage_note(row), className="caveat"))
    if bool(row.get("yoy_flag")) and not pd.isna(row.get("prev_index")):
        body.append(html.P(f"Let op: opvallende verandering ten opzichte van de vorige periode "
                           f"(index {p.index_text(row['prev_index'])} naar "
                           f"{p.index_text(row['index'])}).", className="alert"))
    if len(series):
        body.append(dcc.Graph(figure=figures.series_chart(series, name, ind, reference),
                              config=p.CHART_CONFIG))
    body += [html.P(["Wat kun je hiermee: ", ind.action], className="action"),
             html.P(ind.caveats, className="caveat"),
             *[html.P(b.note, className="caveat") for b in ind.breaks],
             html.P(source_line(ind.id, row.get("period_key")
                                if not pd.isna(row.get("period_key")) else None),
                    className="source")]
    return html.Div([html.H4(ind.label), *body], className="card")


def _composite(code: str, theme_id: str) -> html.Div:
    comp = queries.composite(code)
    comp = comp[comp["theme"] == theme_id]
    if comp.empty:
        return html.Div()
    row = comp.iloc[0]
    if not row.get("n_indicators"):  # e.g. a survey theme without any own estimate
        return html.Div(html.P("Geen gecombineerd patroon: deze gemeente heeft bij dit thema "
                               "geen eigen getoetste cijfers."), className="composite")
    labels = {i: v[1].label for i, v in indicators().items()}
    makeup = json.loads(row["makeup"])
    rank = (f" Plaats {p.index_text(row['rank'])} van de gemeenten; bij andere gewichten "
            f"tussen {p.index_text(row['rank_low'])} en {p.index_text(row['rank_high'])}."
            if p.is_number(row.get("rank")) else "")
    return html.Div([
        html.P([html.B("Gecombineerd patroon: "),
                html.Span(score_text(makeup, {m["indicator"]: m["weight"] for m in makeup}),
                          id={"type": "score", "theme": theme_id}),
                f" {row['n_above']} van {row['n_indicators']} indicatoren boven de 95%-grens."
                f"{rank} Pas de gewichten aan om te zien hoe de score is opgebouwd."]),
        html.Div(html.Table([html.Tr([html.Th("Indicator"), html.Th("Periode"),
                                      html.Th("Gewicht"), html.Th("z-score (max. 5)"),
                                      html.Th("Categorie")])] +
                            [html.Tr([html.Td(labels[m["indicator"]]),
                                      html.Td(p.period_label(m["period"])),
                                      html.Td(html.Label([
                                          html.Span(f"gewicht {labels[m['indicator']]}",
                                                    className="sr-only"),
                                          dcc.Input(id={"type": "gewicht", "theme": theme_id,
                                                        "indicator": m["indicator"]},
                                                    type="number", min=0, max=10, step=0.5,
                                                    value=m["weight"], className="weight")])),
                                      html.Td(p.number(m["z"], 2) if m["z"] is not None
                                              else "-"),
                                      html.Td(m["category"] or "-")])
                             for m in makeup], className="makeup"), className="table-scroll"),
        dcc.Store(id={"type": "makeup", "theme": theme_id}, data=makeup),
    ], className="composite")


def score_text(makeup: list[dict], weights: dict[str, float]) -> str:
    """The combined score for the given weights, from the stored make-up (z-scores)."""
    z = {m["indicator"]: np.array([np.nan if m["z"] is None else m["z"]]) for m in makeup}
    try:
        score = statistics.composite(z, {k: float(v or 0) for k, v in weights.items()})[0]
    except ValueError:
        return "geen score: alle gewichten zijn 0."
    return f"score {p.number(score, 2)} (0 = zoals verwacht; hoger = meer dan verwacht)."


@callback(Output({"type": "score", "theme": MATCH}, "children"),
          Input({"type": "gewicht", "theme": MATCH, "indicator": ALL}, "value"),
          State({"type": "gewicht", "theme": MATCH, "indicator": ALL}, "id"),
          State({"type": "makeup", "theme": MATCH}, "data"), prevent_initial_call=True)
@callback_guard
def reweigh(weights: list, ids: list[dict], makeup: list[dict]) -> str:
    """One callback for every theme: weights in, score out."""
    values = {i["indicator"]: w for i, w in zip(ids, weights, strict=True)}
    for v in values.values():
        if v is not None and not 0 <= float(v) <= 10:
            raise ValueError("weight out of range")
    present = {m["indicator"] for m in makeup}
    return score_text(makeup, {k: v for k, v in values.items() if k in present})


def theme_content(code: str, theme_id: str, rows: pd.DataFrame | None = None,
                  all_series: pd.DataFrame | None = None,
                  reference: str = references.DEFAULT) -> list:
    """A theme's combined pattern, index chart and cards for one municipality against
    `reference` (rows may be passed in when the page has them already)."""
    theme = next(t for t in themes() if t.id == theme_id)
    name = queries.region_name(code) or code
    rows = queries.latest_for_regions([code], reference) if rows is None else rows
    all_series = queries.series_all(code, reference) if all_series is None else all_series
    reference_name = str(rows["reference_name"].iloc[0]) if "reference_name" in rows and \
        len(rows) else "Nederland"
    status = queries.indicator_status().set_index("indicator")
    theme_rows = []
    for ind in theme.indicators:
        hit = rows[rows["indicator"] == ind.id]
        base = hit.iloc[0].copy() if len(hit) else pd.Series({"indicator": ind.id})
        base["available"] = bool(status.loc[ind.id, "available"]) if ind.id in status.index \
            else False
        theme_rows.append(base)
    frame = pd.DataFrame(theme_rows)
    labels = {i.id: i.label for i in theme.indicators}
    return [html.P(theme.description), _composite(code, theme.id),
            dcc.Graph(figure=figures.index_chart(frame, labels, reference_name),
                      config=p.CHART_CONFIG),
            html.Div([_card(r, all_series[all_series["indicator"] == r["indicator"]], name)
                      for _, r in frame.iterrows()], className="cards")]


@callback(Output({"type": "thema-inhoud", "theme": MATCH}, "children"),
          Input({"type": "thema-kop", "theme": MATCH}, "n_clicks"),
          State({"type": "thema-kop", "theme": MATCH}, "id"),
          State("gemeente-code", "data"), State({"type": "thema-inhoud", "theme": MATCH},
                                                "children"),
          State("gemeente-referentie", "value"), prevent_initial_call=True)
@callback_guard
def open_theme(_clicks: int | None, which: dict, code: str, current: Any,
               reference: str | None = None) -> list:
    if current:  # loaded already: opening and closing needs no server
        raise PreventUpdate
    code = params.region_code(code)
    return theme_content(code, params.theme_id(which["theme"]), reference=params.reference(
        reference))


@page_guard
def layout(code: str | None = None, thema: str | None = None, referentie: str | None = None,
           **_other: str) -> html.Div:
    code, name = municipality_code_and_name(code)
    opened = params.theme_id(thema) if thema else None
    reference = params.reference(referentie)
    latest = queries.latest_for_regions([code], reference)
    series = queries.series_all(code, reference)
    keep = references.in_url(reference)
    region = queries.regions().set_index("code").loc[code]
    neighbours = queries.peers(code)
    former = queries.former_names_of(code)
    sections = [html.Details([
        html.Summary(html.H2(t.label, className="inline"), id={"type": "thema-kop",
                                                              "theme": t.id}),
        html.Div(theme_content(code, t.id, latest, series, reference) if t.id == opened
                 else [],
                 id={"type": "thema-inhoud", "theme": t.id})],
        open=t.id == opened, className="theme", id=f"thema-{t.id}") for t in themes()]
    peer_links = []
    for n, (c, peer_name) in enumerate(zip(neighbours["code"], neighbours["name"], strict=True)):
        peer_links += [", " if n else "", html.A(peer_name, href=f"/gemeente/{c}")]
    compare = ",".join([code, *list(neighbours["code"][:3])])
    return html.Div([
        dcc.Location(id="gemeente-nav", refresh="callback-nav"),
        dcc.Store(id="gemeente-code", data=code),
        search_box("gemeente-zoek"),
        html.H1(f"{name} ({code})", id="profiel-titel"),
        html.P(f"Provincie {region['province_name']} | RIEC-regio {region['riec_name']} "
               f"({region['riec_code']}) | {region['urbanity_label']} | {region['size_label']}"
               + (f" | voorheen ook: {', '.join(former)}" if former else "") + "."),
        html.P(["Vergelijkbaar met (15 statistische buren): ", *peer_links, "."],
               id="vergelijkbaar", className="peers"),
        html.P([html.A("Vergelijk met vergelijkbare gemeenten", href=f"/vergelijken?gemeenten="
                       f"{compare}"), " | ",
                html.A(f"RIEC-regio {region['riec_name']}",
                       href=f"/regio/{region['riec_code']}{keep}"),
                " | ", html.A("Op de kaart", href=f"/?gemeente={code}" + keep.replace("?", "&")),
                " | ", html.A("Wijken", href=f"/wijken/{code}", id="profiel-wijken-link"), " | ",
                html.A("Factsheet (A4)", href=f"/factsheet/gemeente/{code}{keep}")],
               className="links"),
        html.Div(reference_control("gemeente-referentie", reference), className="controls one"),
        spine(latest, reference),
        summary(code, name, latest, series),
        lens(code, name),
        html.Details([html.Summary(html.H2(f"Wijken van {name}: kaart en tabel",
                                           className="inline"), id="wijken-kop"),
                      html.Div(id="wijken-inhoud")], className="theme", id="profiel-wijken"),
        html.H2("Alle thema's"),
        html.P("Open een thema voor de cijfers per indicator, de tijdreeks en de grenzen."),
        *sections,
    ])


@callback(Output("gemeente-nav", "href", allow_duplicate=True),
          Input("profiel-spine", "clickData"), State("gemeente-code", "data"),
          State("gemeente-referentie", "value"), prevent_initial_call=True)
@callback_guard
def _open_from_spine(click: dict | None, code: str, reference: str | None) -> str:
    """A row of the spine chart opens its indicator's theme."""
    try:
        indicator = click["points"][0]["customdata"]  # type: ignore[index]
        theme = indicators()[indicator][0].id
    except (TypeError, KeyError, IndexError) as error:
        raise PreventUpdate from error
    reference = params.reference(reference)
    keep = references.in_url(reference, False)
    return f"/gemeente/{params.region_code(code)}?thema={theme}{keep}#thema-{theme}"


@callback(Output("gemeente-nav", "href"), Input("gemeente-zoek", "value"),
          Input("gemeente-referentie", "value"), State("gemeente-code", "data"),
          prevent_initial_call=True)
@callback_guard
def _other_municipality(code: str | None, reference: str | None, current: str) -> str:
    """Another municipality (search) or another reference: the profile anew, its URL kept."""
    reference = params.reference(reference)
    keep = references.in_url(reference)
    if dash.ctx.triggered_id == "gemeente-zoek":
        if not code:
            raise PreventUpdate
        return f"/gemeente/{params.region_code(code)}{keep}"
    return f"/gemeente/{params.region_code(current)}{keep}"


@callback(Output("wijken-inhoud", "children"), Input("wijken-kop", "n_clicks"),
          State("gemeente-code", "data"), State("wijken-inhoud", "children"),
          prevent_initial_call=True)
@callback_guard
def open_wijken(_clicks: int | None, code: str, current: Any) -> list:
    if current:  # loaded already
        raise PreventUpdate
    code, name = municipality_code_and_name(code)
    return wijk_overview(code, name)
