"""Small pieces shared by the pages."""

from __future__ import annotations

from dash import html

from zichtop.themes.registry import indicators, themes


def problem(message: str) -> html.Div:
    """A friendly Dutch message instead of a traceback."""
    return html.Div([html.H2("Dat lukt niet"), html.P(message, className="problem-text"),
                     html.A("Terug naar de kaart", href="/")], className="problem")


def theme_options() -> list[dict]:
    return [{"label": t.label, "value": t.id} for t in themes()]


def indicator_options(theme_id: str) -> list[dict]:
    theme = next(t for t in themes() if t.id == theme_id)
    return [{"label": i.label, "value": i.id} for i in theme.indicators]


def period_label(key: str) -> str:
    from zichtop.periods import parse_period

    return parse_period(key).label


def source_line(indicator_id: str, period_key: str | None) -> str:
    ind = indicators()[indicator_id][1]
    parts = [ind.numerator.describe()]
    if ind.denominator is not None:
        parts.append("noemer: " + ("inwoners (CBS Gebieden in Nederland)"
                                   if ind.denominator.table == "population"
                                   else ind.denominator.describe()))
    when = f", periode {period_label(period_key)}" if period_key else ""
    return "Bron: " + "; ".join(parts) + when
