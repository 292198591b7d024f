"""Pieces that several pages show: the summary of a municipality, the sources block of the
factsheets, and reading a region code. (Pages never import each other: Dash registers every
module under pages/ as a page.)"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import dcc, html

from zichtop.core.areas import COMPLETE
from zichtop.indicators.registry import area_indicators, indicators, themes
from zichtop.read import presentation as p
from zichtop.read import queries
from zichtop.read.exports import LICENCE
from zichtop.read.signals import REASONS, Signal, apart_title, split, unknowns, where_of
from zichtop.web import figures, params


def region_code_and_name(code: str | None) -> tuple[str, str]:
    code = params.region_code(code)
    name = queries.region_name(code)
    if name is None or code.startswith("GM"):
        raise params.BadParameter(f"'{code}' is geen RIEC-regio (RE01-RE10) of provincie.")
    return code, name


def municipality_code_and_name(code: str | None) -> tuple[str, str]:
    """A municipality of today by its code, or a Dutch message."""
    code = params.region_code(code)
    name = queries.region_name(code)
    if name is None or not code.startswith("GM"):
        raise params.BadParameter(f"Gemeente {code} bestaat niet in de indeling van 2024.")
    return code, name


def summary(code: str, name: str, latest: pd.DataFrame | None = None,
            series: pd.DataFrame | None = None, paper: bool = False) -> html.Section:
    """'Waar wijkt <naam> af?': the ranked signals and what is unknown (rows may be passed in
    when the page has them already). On `paper` (a factsheet): at most five signals, each with
    its "wat kun je hiermee" printed, no links."""
    latest = queries.latest_for_regions([code]) if latest is None else latest
    series = queries.series_all(code) if series is None else series
    found, others = split(latest, series)
    status = queries.indicator_status().set_index("indicator")
    missing = unknowns(latest, status)
    def action(s: Signal) -> html.P | html.Details:
        return html.P([html.B("Wat kun je hiermee: "), s.action], className="action") if paper \
            else html.Details([html.Summary("Wat kun je hiermee?"), html.P(s.action)])

    items = [html.Li([html.P(s.sentence), action(s)], className=f"signal signal-{s.kind}")
             for s in found[:5 if paper else 10]]
    intro = ("1 signaal." if len(found) == 1 else f"{len(found)} signalen, sterkste eerst."
             if found else
             f"Geen opvallende afwijkingen: {name} zit bij elke getoetste indicator binnen de "
             "grenzen van toeval.")
    where = where_of(latest)
    if where != "landelijk":  # 'in de provincie Zeeland' -> 'met de provincie Zeeland'
        intro = f"Vergeleken met {where.removeprefix('in ').removeprefix('bij ')}. " + intro
    return html.Section([
        html.H2(f"Waar wijkt {name} af?"),
        html.P([intro, " ", html.B("Een afwijking is een patroon, geen bewijs"),
                ": bespreek het met wie de gemeente kent."]),
        html.Ol(items, className="signals", id="signalen"),
        *([html.H3(apart_title(where_of(latest))),
           html.P("Afwijkingen tegen de richting waarin een indicator op risico wijst, en van "
                  "indicatoren die context geven: geen signaal, wel goed om te weten."),
           # on paper the three strongest, the rest on the profile
           html.Ul([html.Li(s.sentence) for s in (others[:3] if paper else others)]
                   + ([html.Li(f"en {len(others) - 3} meer in het gemeenteprofiel.")]
                      if paper and len(others) > 3 else []), id="anders")]
         if others else []),
        html.H3("Wat we niet weten"),
        html.Ul([html.Li(f"{len(labels)} x {why}: {', '.join(labels)} ({REASONS.get(why, why)}).")
                 for why, labels in sorted(missing.items())] or
                [html.Li("Voor elke indicator is een cijfer.")], id="onbekend"),
        *wijk_summary(code, name, paper=paper),
    ], className="summary", id="samenvatting")


def wijk_summary(code: str, name: str, limit: int = 5, paper: bool = False) -> list:
    """'Welke wijken vallen op?': wijken significantly above the national average on a risk
    indicator, strongest first, each a link to its wijk map; and which wijk figures the loaded
    data lack for this municipality."""
    registry = area_indicators()
    risk = [i for i, (_t, ind) in registry.items() if ind.higher_is_risk]
    found = queries.standing_out(code, risk)
    coverage = queries.area_coverage(code)
    wk = coverage[coverage["level"] == "WK"]
    lacking = wk[wk["status"] != COMPLETE]
    items = [html.Li(html.A(
        f"{r['name']}: {registry[r['indicator']][1].label} {r['category']} dan landelijk "
        f"(index {p.index_text(r['index'])})",
        href=f"/wijken/{code}?indicator={r['indicator']}&wijk={r['region_code']}"))
        for _, r in found.head(limit).iterrows()]
    if len(found) > limit:
        intro = (f"{len(found)} keer ligt een wijk significant boven het landelijk gemiddelde; "
                 f"de {limit} sterkste:")
    elif len(found):
        intro = f"{len(found)} keer ligt een wijk significant boven het landelijk gemiddelde:"
    elif len(wk) > len(lacking):  # some wijk figures, none standing out
        intro = ("Geen wijk ligt significant boven het landelijk gemiddelde bij de getoetste "
                 "wijkindicatoren.")
    else:
        intro = ""
    notes = [html.Li(f"{registry[i][1].label}: {why}.")
             for i, why in zip(lacking["indicator"], lacking["reason"], strict=True)
             if i in registry]
    if paper:  # one line for what is lacking, no links
        lacking_labels = [registry[i][1].label for i in lacking["indicator"] if i in registry]
        return [html.H3(f"Welke wijken van {name} vallen op?"),
                html.P(intro + (f" Zonder wijkcijfers in deze installatie: "
                                f"{', '.join(lacking_labels)}." if lacking_labels else "")),
                html.Ul([html.Li(i.children.children) for i in items], className="signals")]
    return [html.H3(f"Welke wijken van {name} vallen op?"),
            html.P([intro, " ", html.A("Alle wijken op de kaart →",
                                       href=f"/wijken/{code}")]),
            html.Ul(items, className="signals", id="wijken-signalen"),
            html.Ul(notes, id="wijken-onbekend") if notes else html.Div()]


def sources_block() -> html.Div:
    info = queries.build_info()
    return html.Div([
        html.H3("Definities en bronnen"),
        html.P("Index: waarde gedeeld door de landelijke waarde, maal 100. Categorie: toets met "
               "trechtergrenzen (95% en 99,8%), verbreed voor overdispersie en afronding. Index "
               "t.o.v. vergelijkbare gemeenten: ten opzichte van de 15 statistisch meest "
               "vergelijkbare gemeenten samen. Te klein: minder dan 10 gebeurtenissen of een "
               "basis onder 100. Een afwijking is een patroon, geen bewijs."),
        html.P(f"{LICENCE}. Gegevens bijgewerkt {p.date_nl(info.get('built_at'))} uit "
               f"{p.source_words(info.get('source'))}; afgedrukt {p.date_nl(date.today())}. "
               "Zichtop; de methode staat op de pagina Methode."),
    ], className="sources")


def spine(latest: pd.DataFrame, reference: str, static: bool = False) -> html.Section:
    """Every indicator at a glance (figures.spine_chart): a click on a row opens its theme
    (`static`: on paper, no clicks)."""
    # a survey estimate only where it is the municipality's own (not its politie-eenheid's)
    regional = set(latest.loc[latest.get("figure_of", pd.Series(dtype=object)).astype(str)
                              .str.startswith("politie-eenheid"), "indicator"]) \
        if "figure_of" in latest else set()
    labels = [(ind.id, _short(ind.label)) for t in themes() for ind in t.indicators
              if ind.id not in regional]
    name = str(latest["reference_name"].iloc[0]) if len(latest) else "Nederland"
    survey_note = (" Waar de Veiligheidsmonitor (leefbaarheid, online criminaliteit) geen eigen "
                   "cijfer voor deze gemeente heeft, ontbreekt de regel; de thema's tonen dan "
                   "het cijfer van de politie-eenheid." if regional else "")
    return html.Section([
        html.H2("In één oogopslag"),
        html.P(f"Elke indicator op één regel: de stip is deze gemeente (kleur = categorie), de "
               f"grijze banden zijn de middelste helft en 90% van de gemeenten met een getoond "
               f"cijfer, de lijn is {name} (100)."
               + survey_note + ("" if static else " Klik op een regel voor het thema."),
               className="legend-note"),
        # on a phone the chart keeps its width and scrolls inside itself, as tables do
        html.Div(dcc.Graph(id="factsheet-spine" if static else "profiel-spine",
                           config={**p.CHART_CONFIG, "staticPlot": static}, className="spine",
                           figure=figures.spine_chart(latest, queries.index_spread(reference),
                                                      labels, name, 12 if static else 24,
                                                      _figures_in_words(latest, labels)
                                                      if static else None)),
                 className="table-scroll"),
    ], id="in-een-oogopslag")


def _figures_in_words(latest: pd.DataFrame, labels: list[tuple[str, str]]) -> list[str]:
    """Each indicator's latest figure as on the page, with its period (the paper spine chart's
    right-hand column; a long unit said short: '10,7 (7,4-15,1)%')."""
    by_id = latest.set_index("indicator") if len(latest) else pd.DataFrame()
    registry = indicators()
    out = []
    for ind_id, _ in labels:
        ind = registry[ind_id][1]
        if ind_id not in by_id.index:
            out.append(p.NO_DATA)
            continue
        row = by_id.loc[ind_id]
        out.append(f"{p.short_value_text(row, ind)} ({p.period_label(row['period_key'])})")
    return out


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[:width - 1].rstrip() + "\u2026"
