"""docs/indicators.md, generated from the registry (`zichtop docs`)."""

from __future__ import annotations

from zichtop.indicators.registry import is_loaded, themes
from zichtop.method.kinds import kind_of


def indicators_markdown() -> str:
    out = ["# Indicators", "",
           "Generated from the theme registry by `zichtop docs`; do not edit by hand.", ""]
    for theme in themes():
        out += [f"## {theme.label} (`{theme.id}`)", "", theme.description, ""]
        for ind in (*theme.indicators, *theme.area_indicators):
            risk = {True: "higher = risk sign", False: "lower = risk sign",
                    None: "context (no direction)"}[ind.higher_is_risk]
            loaded = all(is_loaded(s) for s in ind.sources)
            out += [f"### {ind.label} (`{ind.id}`)", "", ind.description, "",
                    f"- Numerator: {ind.numerator.describe()}"
                    + (f", rounded by CBS to {ind.numerator.rounding}s"
                       if ind.numerator.rounding > 1 else ""),
                    f"- Denominator: {ind.denominator.describe() if ind.denominator else 'none'}"
                    + (f"; weight: {ind.weight.describe()}" if ind.weight else ""),
                    f"- Unit: {ind.unit} (scale x{ind.scale:g}); kind: {kind_of(ind).label}; "
                    f"{risk}; periods: {ind.period_type}; levels: {', '.join(ind.levels)}",
                    f"- In the loaded data: {'yes' if loaded else 'no (live CBS only)'}",
                    f"- Caveats: {ind.caveats}", f"- Wat kun je hiermee: {ind.action}", ""]
    return "\n".join(out)


LEVEL_NL = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
RISK_NL = {True: "hoger = risicosignaal", False: "lager = risicosignaal",
           None: "context (geen richting)"}


def indicators_markdown_nl() -> str:
    """The same definitions in Dutch, for the Methode page."""
    out = ["## Indicatoren", ""]
    for theme in themes():
        out += [f"### {theme.label}", "", theme.description, ""]
        for ind in (*theme.indicators, *theme.area_indicators):
            loaded = all(is_loaded(s) for s in ind.sources)
            out += [f"**{ind.label}** (`{ind.id}`). {ind.description}", "",
                    f"- Teller: {ind.numerator.describe()}"
                    + (f", door CBS afgerond op {ind.numerator.rounding}-tallen"
                       if ind.numerator.rounding > 1 else ""),
                    "- Noemer: " + ("inwoners op 1 januari (CBS Gebieden in Nederland)"
                                    if ind.denominator is not None
                                    and ind.denominator.table == "population"
                                    else ind.denominator.describe() if ind.denominator
                                    else "geen (gemiddelde)"),
                    f"- Eenheid: {ind.unit}; soort: {kind_of(ind).label_nl}; "
                    f"{RISK_NL[ind.higher_is_risk]}; niveau: "
                    + ", ".join(LEVEL_NL.get(level, level) for level in ind.levels),
                    f"- Beschikbaar in deze installatie: {'ja' if loaded else 'nee (alleen live CBS)'}",
                    f"- Let op: {ind.caveats}", f"- Wat kun je hiermee: {ind.action}", ""]
    return "\n".join(out)
