"""Pieces that several pages show: the summary of a municipality, the sources block of the
factsheets, and reading a region code. (Pages never import each other: Dash registers every
module under pages/ as a page.)"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import html

from zichtop.exports import LICENCE
from zichtop.signals import REASONS, signals, unknowns
from zichtop.web import params, queries


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
            series: pd.DataFrame | None = None) -> html.Section:
    """'Waar wijkt <naam> af?': the ranked signals and what is unknown (rows may be passed in
    when the page has them already)."""
    latest = queries.latest_for_regions([code]) if latest is None else latest
    series = queries.series_all(code) if series is None else series
    found = signals(latest, series)
    status = queries.indicator_status().set_index("indicator")
    missing = unknowns(latest, status)
    items = [html.Li([html.P(s.sentence), html.Details([html.Summary("Wat kun je hiermee?"),
                                                       html.P(s.action)])],
                     className=f"signal signal-{s.kind}") for s in found[:10]]
    intro = (f"{len(found)} signalen, sterkste eerst." if found else
             f"Geen opvallende afwijkingen: {name} zit bij elke getoetste indicator binnen de "
             "grenzen van toeval.")
    return html.Section([
        html.H2(f"Waar wijkt {name} af?"),
        html.P([intro, " ", html.B("Een afwijking is een patroon, geen bewijs"),
                ": bespreek het met wie de gemeente kent."]),
        html.Ol(items, className="signals", id="signalen"),
        html.H3("Wat we niet weten"),
        html.Ul([html.Li(f"{len(labels)} x {why}: {', '.join(labels)} ({REASONS.get(why, why)}).")
                 for why, labels in sorted(missing.items())] or
                [html.Li("Voor elke indicator is een cijfer.")], id="onbekend"),
    ], className="summary", id="samenvatting")


def sources_block() -> html.Div:
    info = queries.build_info()
    return html.Div([
        html.H3("Definities en bronnen"),
        html.P("Index: waarde gedeeld door de landelijke waarde, maal 100. Categorie: toets met "
               "trechtergrenzen (95% en 99,8%), verbreed voor overdispersie en afronding. Index "
               "t.o.v. vergelijkbare gemeenten: ten opzichte van de 15 statistisch meest "
               "vergelijkbare gemeenten samen. Te klein: minder dan 10 gebeurtenissen of een "
               "basis onder 100. Een afwijking is een patroon, geen bewijs."),
        html.P(f"{LICENCE}. Gegevens geladen {info.get('built_at')} (bron: "
               f"{info.get('source')}); afgedrukt {date.today().isoformat()}. Zichtop, "
               "methode in docs/method.md."),
    ], className="sources")
