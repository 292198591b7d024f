"""Small pieces shared by the pages: the Dutch message, dropdowns in Dutch, the search field,
options, period labels and source lines."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from zichtop.indicators.model import ESTIMATE
from zichtop.indicators.registry import any_indicator, themes
from zichtop.read import references
from zichtop.read.presentation import period_label

# every dropdown speaks Dutch (Dash's defaults are "Search", "4 selected", ...)
DUTCH_LABELS: Any = {"search": "Zoeken", "clear_search": "Zoekterm wissen",
                "clear_selection": "Keuze wissen", "no_options_found": "Niets gevonden",
                "selected_count": "{num_selected} gekozen", "select_all": "Alles kiezen",
                "deselect_all": "Niets kiezen"}
SEARCH_PLACEHOLDER = "Gemeente of plaats (ook een oude naam, zoals Weesp)"

__all__ = ["dropdown", "indicator_options", "period_label", "problem", "search_box",
           "source_line", "theme_options"]


def problem(message: str) -> html.Div:
    """A friendly Dutch message instead of a traceback."""
    return html.Div([html.H2("Dat lukt niet"), html.P(message, className="problem-text"),
                     html.A("Terug naar de kaart", href="/")], className="problem")


def dropdown(**kwargs: Any) -> dcc.Dropdown:
    return dcc.Dropdown(labels=DUTCH_LABELS, **kwargs)


def search_box(id: str, value: str | None = None) -> html.Div:  # noqa: A002 - Dash's name
    """The type-ahead search field for a municipality (all 342, also by a former name, a
    woonplaats or a common name: zichtop/core/search.py, table search_options)."""
    from zichtop.read import queries

    return html.Div([
        html.Label("Zoek een gemeente", htmlFor=id, className="search-label"),
        dropdown(id=id, options=queries.search_options(), value=value,
                 placeholder=SEARCH_PLACEHOLDER, clearable=True, searchable=True,
                 className="search"),
    ], className="search-box", role="search")


def theme_options() -> list[dict]:
    return [{"label": t.label, "value": t.id} for t in themes()]


def indicator_options(theme_id: str | None = None) -> list[dict]:
    """The theme's indicators (all themes' with `None`, labelled with their theme); those not in
    the loaded data are disabled, with the reason."""
    from zichtop.read import queries

    status = queries.indicator_status().set_index("indicator")
    options = []
    for theme in themes():
        if theme_id is not None and theme.id != theme_id:
            continue
        for i in theme.indicators:
            available = i.id in status.index and bool(status.loc[i.id, "available"])
            reason = "" if available else str(status.loc[i.id, "reason"]) \
                if i.id in status.index else "niet beschikbaar"
            label = i.label if theme_id is not None else f"{theme.label}: {i.label}"
            options.append({"label": label + (f" ({reason})" if reason else ""), "value": i.id,
                            "disabled": not available})
    return options


def source_line(indicator_id: str, period_key: str | None) -> str:
    ind = any_indicator(indicator_id)[1]
    parts = [ind.numerator.describe()]
    if ind.denominator is not None:
        parts.append("noemer: " + ("inwoners (CBS Gebieden in Nederland)"
                                   if ind.denominator.table == "population"
                                   else ind.denominator.describe()))
    if ind.weight is not None and ind.denominator is None:
        parts.append("gewicht: " + ind.weight.describe())
    when = f", periode {period_label(period_key)}" if period_key else ""
    survey = (". Veiligheidsmonitor: CBS publiceert 55 grote gemeenten; een gemeente zonder "
              "eigen cijfer toont dat van haar politie-eenheid (omlijnd), en zegt dat ook"
              if ind.kind == ESTIMATE else "")
    return "Bron: " + "; ".join(parts) + when + survey


def reference_control(id_: str, value: str) -> html.Label:
    """'Vergelijk met': the reference choice (read/references.py CHOICES), on every page."""
    return html.Label(["Vergelijk met", dropdown(
        id=id_, clearable=False, value=value, style={"minWidth": "16rem"},
        options=[{"label": references.capitalised(label), "value": key}
                 for key, label in references.CHOICES.items()])])
