"""Vergelijken: two to six municipalities side by side, with similar municipalities suggested."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from zichtop.privacy import LABEL as TOO_SMALL
from zichtop.profile import digits_for, fmt
from zichtop.themes.registry import indicators, themes
from zichtop.web import figures, params, queries
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import period_label

dash.register_page(__name__, order=3, path="/vergelijken", name="Vergelijken",
                   title="Zichtop - vergelijken")
MAX = 6


def similar(code: str, n: int = 5) -> list[str]:
    """Same stedelijkheid and size class, nearest in inhabitants."""
    r = queries.regions()
    gm = r[r["level"] == "GM"].set_index("code")
    if code not in gm.index:
        return []
    me = gm.loc[code]
    pool = gm[(gm["urbanity"] == me["urbanity"]) & (gm.index != code)]
    pop = queries.get_population_latest()
    same_size = pool[pool["size_class"] == me["size_class"]]
    pool = same_size if len(same_size) >= n else pool
    distance = (pool.index.map(pop).astype(float) - float(pop.get(code, 0))).map(abs)
    return list(pd.Series(distance, index=pool.index).sort_values().index[:n])


@page_guard
def layout(gemeenten: str | None = None, **_other: str) -> html.Div:
    codes = [params.region_code(c) for c in (gemeenten or "").split(",") if c.strip()]
    if len(codes) > MAX:
        raise params.BadParameter(f"Kies hoogstens {MAX} gemeenten.")
    unknown = [c for c in codes if queries.region_name(c) is None or not c.startswith("GM")]
    if unknown:
        raise params.BadParameter(f"Onbekende gemeente: {', '.join(unknown)}.")
    return html.Div([
        dcc.Location(id="vergelijk-url", refresh=False),
        html.H1("Gemeenten vergelijken"),
        html.P("Kies twee tot zes gemeenten. Een afwijking is een patroon, geen bewijs."),
        dcc.Dropdown(id="vergelijk-keuze", options=queries.municipality_options(), value=codes,
                     multi=True, placeholder="Kies gemeenten..."),
        html.Div(id="vergelijk-suggesties", className="suggestions"),
        html.Div(id="vergelijk-inhoud"),
    ])


@callback(Output("vergelijk-inhoud", "children"), Output("vergelijk-suggesties", "children"),
          Output("vergelijk-url", "search"), Input("vergelijk-keuze", "value"))
@callback_guard
def compare(codes: list[str] | None) -> tuple:
    codes = [params.region_code(c) for c in (codes or [])][:MAX]  # callback_guard: bad -> no update
    suggestions: list = []
    if codes:
        names = [html.A(queries.region_name(c), href="/vergelijken?gemeenten=" +
                        ",".join([*codes, c]), className="suggestion")
                 for c in similar(codes[0]) if c not in codes]
        suggestions = [html.Span(f"Vergelijkbaar met {queries.region_name(codes[0])}: "), *names]
    search = "?gemeenten=" + ",".join(codes)
    if len(codes) < 2:
        return html.P("Kies ten minste twee gemeenten."), suggestions, search
    rows = queries.latest_for_regions(codes)
    registry = indicators()
    header = html.Tr([html.Th("Indicator"), html.Th("Periode"),
                      *[html.Th(queries.region_name(c)) for c in codes], html.Th("Nederland"),
                      html.Th("Bron (CBS)")])
    body, charts = [], []
    for theme in themes():
        body.append(html.Tr(html.Td(theme.label, colSpan=len(codes) + 4, className="theme-row")))
        for ind in theme.indicators:
            r = rows[rows["indicator"] == ind.id].set_index("region_code")
            if r.empty:
                continue
            cells = []
            for c in codes:
                if c not in r.index:
                    cells.append(html.Td("geen gegevens"))
                elif bool(r.loc[c, "suppressed"]):
                    cells.append(html.Td(TOO_SMALL, className="too-small"))
                else:
                    cells.append(html.Td(f"{fmt(r.loc[c, 'value'], digits_for(ind.unit))} ({r.loc[c, 'category']})"))
            period = r["period_key"].iloc[0]
            body.append(html.Tr([html.Td(ind.label),
                                 html.Td(period_label(period)), *cells,
                                 html.Td(fmt(r["national_value"].iloc[0], digits_for(ind.unit))),
                                 html.Td(ind.numerator.describe().removeprefix("CBS "),
                                         className="source")]))
            frame = r.reset_index()
            frame = frame.set_index("region_code").loc[[c for c in codes if c in r.index]]
            charts.append(dcc.Graph(figure=figures.compare_chart(frame.reset_index(), ind.label,
                                                                 registry[ind.id][1].unit),
                                    config={"displayModeBar": False}, className="small-multiple"))
    table = html.Table([header, *body], className="compare-table", id="vergelijk-tabel")
    return html.Div([table, html.H2("Per indicator"), html.Div(charts, className="multiples")]), \
        suggestions, search
