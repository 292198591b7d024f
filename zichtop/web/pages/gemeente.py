"""Gemeenteprofiel: every indicator of every theme for one municipality."""

from __future__ import annotations

import json
from typing import Any

import dash
import numpy as np
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from zichtop import method
from zichtop.privacy import LABEL as TOO_SMALL
from zichtop.profile import digits_for, fmt
from zichtop.themes.registry import indicators, themes
from zichtop.web import figures, params, queries
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import period_label, source_line

dash.register_page(__name__, order=2, path_template="/gemeente/<code>", path="/gemeente/GM0363",
                   name="Gemeenteprofiel", title="Zichtop - gemeenteprofiel")


def _card(row: pd.Series, series: pd.DataFrame, name: str) -> html.Div:
    theme, ind = indicators()[row["indicator"]]
    body: list[Any]
    if pd.isna(row.get("period_key")):
        body = [html.P("geen gegevens" if row.get("available", True) else
                       "niet in de geladen gegevens", className="missing")]
    elif bool(row["suppressed"]):
        body = [html.P(f"{period_label(row['period_key'])}: {TOO_SMALL}", className="too-small")]
    else:
        body = [html.P([html.B(f"{fmt(row['value'], digits_for(ind.unit))} {ind.unit}"),
                        f" in {period_label(row['period_key'])} | Nederland "
                        f"{fmt(row['national_value'], digits_for(ind.unit))} | index {fmt(row['index'], 0)} | "
                        f"{row['category']} | vergelijkbare gemeenten: index "
                        f"{fmt(row['peer_index'], 0)}"])]
    if bool(row.get("yoy_flag")) and not pd.isna(row.get("prev_index")):
        body.append(html.P(f"Let op: opvallende verandering ten opzichte van de vorige periode "
                           f"(index {fmt(row['prev_index'], 0)} naar {fmt(row['index'], 0)}).",
                           className="alert"))
    if len(series):
        body.append(dcc.Graph(figure=figures.series_chart(series, name, ind.unit),
                              config={"displayModeBar": False}))
    body += [html.P(["Wat kun je hiermee: ", ind.action], className="action"),
             html.P(ind.caveats, className="caveat"),
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
    labels = {i: v[1].label for i, v in indicators().items()}
    makeup = json.loads(row["makeup"])
    return html.Div([
        html.P([html.B("Gecombineerd patroon: "),
                html.Span(score_text(makeup, {m["indicator"]: m["weight"] for m in makeup}),
                          id=f"score-{theme_id}"),
                f" {row['n_above']} van {row['n_indicators']} indicatoren boven de 95%-grens. "
                "Pas de gewichten aan om te zien hoe de score is opgebouwd."]),
        html.Table([html.Tr([html.Th("Indicator"), html.Th("Periode"), html.Th("Gewicht"),
                             html.Th("z-score"), html.Th("Categorie")])] +
                   [html.Tr([html.Td(labels[m["indicator"]]), html.Td(period_label(m["period"])),
                             html.Td(dcc.Input(id=f"w-{theme_id}-{m['indicator']}",
                                               type="number", min=0, max=10, step=0.5,
                                               value=m["weight"], className="weight")),
                             html.Td(fmt(m["z"], 2)), html.Td(m["category"] or "-")])
                    for m in makeup], className="makeup"),
        dcc.Store(id=f"makeup-{theme_id}", data=makeup),
    ], className="composite")


def score_text(makeup: list[dict], weights: dict[str, float]) -> str:
    """The combined score for the given weights, from the stored make-up (z-scores)."""
    z = {m["indicator"]: np.array([np.nan if m["z"] is None else m["z"]]) for m in makeup}
    try:
        score = method.composite(z, {k: float(v or 0) for k, v in weights.items()})[0]
    except ValueError:
        return "geen score: alle gewichten zijn 0."
    return f"score {fmt(score, 2)} (0 = gemiddeld, in standaarddeviaties)."


def _register_weight_callbacks() -> None:
    """One callback per theme with a combined score: weights in, score out."""
    for theme in themes():
        directional = [i.id for i in theme.indicators if i.higher_is_risk is not None]
        if not directional:
            continue

        @callback(Output(f"score-{theme.id}", "children"),
                  [Input(f"w-{theme.id}-{i}", "value") for i in directional],
                  State(f"makeup-{theme.id}", "data"), prevent_initial_call=True)
        @callback_guard
        def _reweigh(*args: Any, _ids: list[str] = directional) -> str:
            *weights, makeup = args
            values = dict(zip(_ids, weights, strict=True))
            for v in values.values():
                if v is not None and not 0 <= float(v) <= 10:
                    raise ValueError("weight out of range")
            present = {m["indicator"] for m in makeup}
            return score_text(makeup, {k: v for k, v in values.items() if k in present})


_register_weight_callbacks()


@page_guard
def layout(code: str | None = None, thema: str | None = None, **_other: str) -> html.Div:
    code = params.region_code(code)
    name = queries.region_name(code)
    if name is None or not code.startswith("GM"):
        raise params.BadParameter(f"Gemeente {code} bestaat niet in de indeling van 2024.")
    theme_filter = params.theme_id(thema) if thema else None
    region = queries.regions().set_index("code").loc[code]
    rows = queries.latest_for_regions([code])
    all_series = queries.series_all(code)
    status = queries.indicator_status().set_index("indicator")
    sections = []
    for theme in themes():
        if theme_filter and theme.id != theme_filter:
            continue
        theme_rows = []
        for ind in theme.indicators:
            hit = rows[rows["indicator"] == ind.id]
            base = hit.iloc[0] if len(hit) else pd.Series({"indicator": ind.id})
            base["available"] = bool(status.loc[ind.id, "available"])
            theme_rows.append(base)
        frame = pd.DataFrame(theme_rows)
        labels = {i.id: i.label for i in theme.indicators}
        chart = []
        if "index" in frame and frame["index"].notna().any():
            chart = [dcc.Graph(figure=figures.index_chart(frame, labels),
                               config={"displayModeBar": False})]
        sections.append(html.Section([html.H2(theme.label), html.P(theme.description),
                                      _composite(code, theme.id), *chart,
                                      html.Div([_card(r, all_series[all_series["indicator"] == r["indicator"]],
                                                      name) for _, r in frame.iterrows()],
                                               className="cards")]))
    return html.Div([
        html.H1(f"{name} ({code})", id="profiel-titel"),
        html.P(f"Provincie {region['province_name']} | RIEC-regio {region['riec_name']} "
               f"({region['riec_code']}) | {region['urbanity_label']} | {region['size_label']}. "
               "Vergelijkbare gemeenten: dezelfde stedelijkheidsklasse."),
        html.P([html.A("Vergelijk met andere gemeenten", href=f"/vergelijken?gemeenten={code}"),
                " | ", html.A("Regio", href=f"/regio/{region['riec_code']}")]),
        html.P("Een afwijking is een patroon, geen bewijs. Bron: CBS.", className="legend-note"),
        *sections,
    ])
