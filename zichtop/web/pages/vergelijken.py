"""Vergelijken: two to six municipalities side by side, suggested statistical neighbours,
small multiples coloured by category, and the comparison as a CSV."""

from __future__ import annotations

from datetime import date

import dash
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from zichtop.indicators.registry import themes
from zichtop.read import presentation as p
from zichtop.read import queries, references
from zichtop.read.exports import comparison_frame, to_csv_bytes
from zichtop.web import figures, params
from zichtop.web.guard import callback_guard, page_guard
from zichtop.web.pages.common import dropdown, reference_control, search_box

dash.register_page(__name__, order=3, path="/vergelijken", name="Vergelijken",
                   title="Zichtop - vergelijken")

MAX = 6


def similar(code: str, n: int = 5) -> list[str]:
    """The nearest statistical neighbours (the same set as the profile's peer index)."""
    return list(queries.peers(code)["code"][:n])


def _codes(values: list[str] | None) -> list[str]:
    codes = []
    for value in values or []:
        code = params.region_code(value)
        if code.startswith("GM") and queries.region_name(code) is not None and code not in codes:
            codes.append(code)
    return codes


@page_guard
def layout(gemeenten: str | None = None, referentie: str | None = None,
           jaar: str | None = None, **_other: str) -> html.Div:
    asked = [params.region_code(c) for c in (gemeenten or "").split(",") if c.strip()]
    unknown = [c for c in asked if queries.region_name(c) is None or not c.startswith("GM")]
    if unknown:
        raise params.BadParameter(f"Onbekende gemeente: {', '.join(unknown)}.")
    reference = params.reference(referentie)
    years = queries.result_years()
    if jaar not in (None, "") and (not str(jaar).isdigit() or int(str(jaar)) not in years):
        raise params.BadParameter(f"Geen cijfers voor jaar '{str(jaar)[:20]}'. Beschikbaar: "
                                  f"{years[-1]} tot en met {years[0]}.")
    year = str(jaar) if jaar else "laatste"
    return html.Div([
        dcc.Location(id="vergelijk-url", refresh=False),
        html.H1("Gemeenten vergelijken"),
        html.P(f"Kies twee tot {MAX} gemeenten. Een afwijking is een patroon, geen bewijs."),
        search_box("vergelijk-zoek"),
        html.Label(["Gekozen gemeenten", dropdown(
            # the chosen municipalities themselves (woonplaatsen: the search field above)
            id="vergelijk-keuze", options=[o for o in queries.search_options()
                                           if params.PLACE_MARK not in o["value"]],
            value=asked, multi=True,
            placeholder="Kies gemeenten...")]),
        html.Div([reference_control("vergelijk-referentie", reference),
                  html.Label(["Periode", dropdown(
                      id="vergelijk-jaar", clearable=False, value=year,
                      options=[{"label": "laatste cijfers per indicator", "value": "laatste"},
                               *[{"label": str(y), "value": str(y)} for y in years]])])],
                 className="controls"),
        html.P(id="vergelijk-melding", className="alert", role="status",
               hidden=len(asked) <= MAX,
               children=_too_many(len(asked))),
        html.Div(id="vergelijk-suggesties", className="suggestions"),
        html.Div([html.Button("Download CSV", id="vergelijk-csv", className="button"),
                  dcc.Download(id="vergelijk-download")], className="exports"),
        html.Div(id="vergelijk-inhoud"),
    ])


def _too_many(n: int) -> str:
    return (f"Je koos {n} gemeenten; er worden er {MAX} vergeleken (de eerste {MAX}). Haal er "
            "een weg om een andere te tonen." if n > MAX else "")


@callback(Output("vergelijk-keuze", "value"), Output("vergelijk-zoek", "value"),
          Input("vergelijk-zoek", "value"), State("vergelijk-keuze", "value"),
          prevent_initial_call=True)
@callback_guard
def _add(found: str | None, chosen: list[str] | None) -> tuple[list[str], None]:
    """A municipality found in the search field joins the comparison; the field empties."""
    if not found:
        raise PreventUpdate
    return _codes([*(chosen or []), found]), None


@callback(Output("vergelijk-inhoud", "children"), Output("vergelijk-suggesties", "children"),
          Output("vergelijk-url", "search"), Output("vergelijk-melding", "children"),
          Output("vergelijk-melding", "hidden"), Input("vergelijk-keuze", "value"),
          Input("vergelijk-referentie", "value"), Input("vergelijk-jaar", "value"))
@callback_guard
def compare(values: list[str] | None, reference: str | None = None,
            year: str | None = None) -> tuple:
    reference = params.reference(reference)
    chosen_year = int(year) if year and str(year).isdigit() else None
    everything = _codes(values)
    codes = everything[:MAX]
    warning = _too_many(len(everything))
    suggestions: list = []
    if codes:
        names = [html.A(queries.region_name(c), href="/vergelijken?gemeenten=" +
                        ",".join([*codes, c]), className="suggestion")
                 for c in similar(codes[0]) if c not in codes]
        suggestions = [html.Span(f"Statistische buren van {queries.region_name(codes[0])}: "),
                       *names]
    search = "?gemeenten=" + ",".join(everything) + references.in_url(reference, False) + (
        f"&jaar={chosen_year}" if chosen_year else "")
    if len(codes) < 2:
        return html.P("Kies ten minste twee gemeenten."), suggestions, search, warning, \
            not warning
    return _content(codes, reference, chosen_year), suggestions, search, warning, not warning


def _against(reference: str) -> str:
    return "landelijk" if reference == references.DEFAULT else references.CHOICES[reference]


def _content(codes: list[str], reference: str = references.DEFAULT,
             year: int | None = None) -> html.Div:
    """The table and the small multiples of the latest figures or those of one `year`; each
    municipality's category against its own reference (its province, its neighbours, ...),
    the country's value beside them."""
    national_rows = queries.for_regions_in_year(codes, year)
    rows = queries.with_reference(national_rows, reference)
    names = {c: queries.region_name(c) for c in codes}
    header = html.Tr([html.Th("Indicator"), html.Th("Periode"),
                      *[html.Th(names[c]) for c in codes], html.Th("Nederland"),
                      html.Th("Bron (CBS)")])
    body, charts = [], []
    for theme in themes():
        body.append(html.Tr(html.Td(theme.label, colSpan=len(codes) + 4, className="theme-row")))
        for ind in theme.indicators:
            r = rows[rows["indicator"] == ind.id].set_index("region_code")
            if r.empty:
                continue
            national = national_rows.loc[national_rows["indicator"] == ind.id,
                                         "national_value"].iloc[0]
            cells = []
            for c in codes:
                if c not in r.index:
                    cells.append(html.Td(p.NO_DATA, className="missing"))
                    continue
                row = r.loc[c]
                why = p.reason(row)
                cells.append(html.Td(why, className="too-small") if why else html.Td(
                    f"{p.value_text(row, ind, with_unit=False)}{p.figure_of_text(row)} "
                    f"({p.category_text(row)})"))
            period = r["period_key"].iloc[0]
            body.append(html.Tr([html.Td(p.label_with_unit(ind)),
                                 html.Td(p.period_label(period)), *cells,
                                 html.Td(p.reference_text(national, ind)),
                                 html.Td(ind.numerator.describe().removeprefix("CBS "),
                                         className="source")]))
            frame = r.reindex(codes).reset_index()
            frame["name"] = frame["region_code"].map(names)
            frame["suppressed"] = frame["suppressed"].astype("boolean").fillna(False)
            frame["national_value"] = national
            charts.append(dcc.Graph(figure=figures.compare_chart(frame, ind),
                                    config=p.CHART_CONFIG, className="small-multiple"))
    table = html.Div(html.Table([header, *body], className="compare-table",
                                id="vergelijk-tabel"), className="table-scroll")
    return html.Div([table, html.H2("Per indicator"),
                     html.P("Kleur = categorie (paars lager, oranje hoger dan "
                            f"{_against(reference)}); grijs = te klein; de stippellijn is "
                            "Nederland.", className="legend-note"),
                     html.Div(charts, className="multiples")])


@callback(Output("vergelijk-download", "data"), Input("vergelijk-csv", "n_clicks"),
          State("vergelijk-keuze", "value"), State("vergelijk-referentie", "value"),
          State("vergelijk-jaar", "value"), prevent_initial_call=True)
@callback_guard
def download(_clicks: int | None, values: list[str] | None,
             reference: str | None = None, year: str | None = None) -> dict:
    codes = _codes(values)[:MAX]
    if len(codes) < 2:
        raise PreventUpdate
    rows = queries.for_regions_in_year(codes, int(year) if year and str(year).isdigit()
                                       else None)
    frame = comparison_frame(rows, codes, queries.with_reference(rows, params.reference(
        reference)))
    stamp = date.today().isoformat()
    return dcc.send_bytes(to_csv_bytes(frame), f"zichtop_vergelijking_{'_'.join(codes)}_"
                                               f"{stamp}.csv")

