"""Factsheet of a RIEC region (or province): the region's map, the signals per municipality,
totals, definitions and sources on A4, ready to attach to a regional 'ondermijningsbeeld'."""

from __future__ import annotations

import dash
from dash import dcc, html

from zichtop.indicators.registry import indicators
from zichtop.read import presentation as p
from zichtop.read import queries, references
from zichtop.read.signals import signals
from zichtop.web import figures, params
from zichtop.web.components import region_code_and_name, sources_block
from zichtop.web.guard import page_guard

dash.register_page(__name__, path_template="/factsheet/regio/<code>",
                   path="/factsheet/regio/RE08", name="Factsheet regio", nav=False,
                   title="Zichtop - factsheet regio")


@page_guard
def layout(code: str | None = None, indicator: str | None = None, referentie: str | None = None,
           **_other: str) -> html.Div:
    code, name = region_code_and_name(code)
    reference = params.reference(referentie)
    members = queries.members(code)
    national_rows = queries.region_export_rows(code)  # the region's totals: against NL
    rows = queries.with_reference(national_rows, reference)
    all_rows = queries.with_reference(queries.series_for_regions(list(members["code"])),
                                      reference)
    ind_id = indicator if indicator in indicators() else "drugs_verdachten"
    ind = indicators()[ind_id][1]
    period = rows.loc[rows["indicator"] == ind_id, "period_key"].max()
    names = dict(zip(members["code"], members["name"], strict=True))
    frame = queries.indicator_results(ind_id, period, reference=reference)
    label = references.CHOICES[reference]
    fig = figures.map_figure(queries.layer("GM"), frame[frame["region_code"].isin(names)], names,
                             ind, zoom_codes=list(names), height=380,
                             compared=references.capitalised(label))
    # each municipality's strongest signal; the quiet ones together in one line (two pages)
    per_municipality, quiet = [], []
    for c, n in names.items():
        latest = rows[(rows["region_code"] == c)]
        found = signals(latest, all_rows[all_rows["region_code"] == c])[:1]
        if found:
            per_municipality.append(html.Li([html.B(n), ": ", found[0].sentence]))
        else:
            quiet.append(n)
    if quiet:
        per_municipality.append(html.Li([html.B("Geen opvallende afwijkingen: "),
                                         ", ".join(quiet) + "."]))
    totals = []
    for i_id, (_theme, i) in indicators().items():
        r = national_rows[(national_rows["indicator"] == i_id) &
                          (national_rows["region_code"] == code)]
        if r.empty:
            continue
        x = r.iloc[0]
        totals.append(html.Tr([html.Td(i.label), html.Td(p.short_value_text(x, i)),
                               html.Td(p.index_text(x["index"])),
                               html.Td(p.coverage_text(x["coverage"]))]))
    return html.Div([
        html.Button("Afdrukken of bewaren als pdf", id="factsheet-print",
                    className="button no-print"),
        html.H1(f"Factsheet {name} ({code})"),
        html.P(f"{len(names)} gemeenten. Kaart: {ind.label}, {p.period_label(period)} "
               f"(100 = {references.hundred(reference)}; paars lager, oranje hoger; grijs te klein)."),
        dcc.Graph(figure=fig, config={**figures.MAP_CONFIG, "staticPlot": True},
                  className="map"),
        html.H2("Sterkste signaal per gemeente"),
        html.Ul(per_municipality, className="signals"),
        html.H2("Regiototalen"),
        # two tables side by side on paper, as the municipal factsheet's figures
        html.Div([html.Table([html.Tr([html.Th("Indicator"), html.Th("Regio"),
                                       html.Th("Index (NL = 100)"), html.Th("Dekking")]),
                              *part], className="compare-table factsheet-table")
                  for part in (totals[:(len(totals) + 1) // 2], totals[(len(totals) + 1) // 2:])],
                 className="factsheet-tables"),
        sources_block(),
    ], className="factsheet")
