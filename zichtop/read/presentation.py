"""How a figure is shown, everywhere: pages, charts, exports and the CLI call this module and no
other (docs/style.md is the short style guide that goes with it).

- A figure is its value in Dutch notation (Babel, nl_NL: decimal comma, thousands with a point)
  with the indicator's declared precision, or the reason there is none: "te klein",
  "te klein (CBS)", "onvolledig (87% van de inwoners)", "geen gegevens" or
  "niet beschikbaar in deze installatie".
- Colours: purple is lower and orange higher than the reference (ColorBrewer PuOr, colour-blind
  safe), grey is "te klein", pale blue is "geen gegevens": never white, which is close to
  "binnen de normale spreiding".
- Periods read "2024" or "1e halfjaar 2024"; indices are whole numbers.
"""

from __future__ import annotations

import math
from typing import Any

from babel.numbers import format_decimal

from zichtop.core.periods import parse_period
from zichtop.indicators.model import Indicator
from zichtop.method.kinds import kind_of
from zichtop.method.privacy import LABEL
from zichtop.method.statistics import CATEGORIES, NO_TEST, whole_percent_down

LOCALE = "nl_NL"
NO_DATA = "geen gegevens"
NOT_LOADED = "niet beschikbaar in deze installatie"
# Plotly: decimal comma and thousands point on every axis and hover label
PLOTLY_SEPARATORS = ",."

PURPLE_DARK, PURPLE, NEUTRAL, ORANGE, ORANGE_DARK = (
    "#542788", "#998ec3", "#f7f7f7", "#f1a340", "#b35806")
CATEGORY_COLOURS = dict(zip(CATEGORIES, [PURPLE_DARK, PURPLE, NEUTRAL, ORANGE, ORANGE_DARK],
                            strict=True))
TOO_SMALL_COLOUR = "#9e9e9e"  # grey: "te klein", on the map, in charts and in the legend
NO_DATA_COLOUR = "#cfe3f2"  # pale blue: "geen gegevens", visibly not the neutral middle
NO_TEST_COLOUR = "#d9d9d9"
NATIONAL_COLOUR, PEER_COLOUR, OWN_COLOUR = PURPLE_DARK, "#1b7837", ORANGE_DARK
DIVERGING = [[0.0, PURPLE_DARK], [0.25, PURPLE], [0.5, NEUTRAL], [0.75, ORANGE],
             [1.0, ORANGE_DARK]]
LOG_RANGE = 1.5  # the colour scale spans index 35 .. 283 (log2 ratio -1.5 .. +1.5)
INDEX_TICKS = [25, 50, 100, 200, 400, 1000, 4000]

INDEX_LABEL = "Index (100 = Nederland)"
PEERS = "vergelijkbare gemeenten"  # the 15 statistical neighbours, in tooltips and sentences
PEER_INDEX_LABEL = "Index t.o.v. vergelijkbare gemeenten (100 = hun gemiddelde)"
PEER_VALUE_LABEL = "Vergelijkbare gemeenten (samen)"


def decimals(ind: Indicator) -> int:
    """The indicator's declared precision; by default euros whole, shares one decimal, rates
    two."""
    if ind.decimals is not None:
        return ind.decimals
    if ind.unit.startswith("euro"):
        return 0
    return kind_of(ind).decimals


MAX_DIGITS = 4


def digits_for(value: object, ind: Indicator) -> int:
    """Decimals for one figure: the indicator's own, or more where that would leave fewer than
    two significant digits (0,078% is not shown as 0,1% beside a national 0,1% and an index of
    78: value, reference and index must agree on screen and in exports)."""
    return enough_digits(value, decimals(ind))


def enough_digits(value: object, base: int) -> int:
    """`base` decimals, or as many more (up to MAX_DIGITS) as two significant digits need."""
    if not is_number(value) or float(value) == 0:  # type: ignore[arg-type]
        return base
    needed = 1 - math.floor(math.log10(abs(float(value))))  # type: ignore[arg-type]
    return min(max(base, needed), max(base, MAX_DIGITS))


def number(value: object, digits: int = 0) -> str:
    """Dutch notation: 1.234,56. Empty for a missing value."""
    if not is_number(value):
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(float(value), format=pattern, locale=LOCALE)  # type: ignore[arg-type]


def coverage_text(share: object) -> str:
    """A coverage as a whole percentage rounded down (never up to the 95% it fails)."""
    return f"{number(whole_percent_down(float(share)), 0)}%" if is_number(share) else ""  # type: ignore[arg-type]


def is_number(value: object) -> bool:
    try:
        return value is not None and not math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def date_nl(value: object) -> str:
    """A date (or an ISO timestamp) as a Dutch reader writes it: '6 december 2026'."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = datetime.fromisoformat(str(value)[:19]).date()
        except ValueError:
            return str(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def label_with_unit(ind: Indicator) -> str:
    """An indicator's label with its unit said once: 'Recreatieverblijven per 1 000 inwoners',
    'Woningen met onbekende eigenaar (% van de voorraad)', 'Wmo-uitgaven per inwoner (euro)',
    'Gemiddelde WOZ-waarde van woningen (euro)'."""
    label, unit = ind.label, ind.unit
    if not unit or unit in label or (unit.startswith("%") and "%" in label):
        return label
    if " per " in unit:
        head, per = unit.split(" per ", 1)
        if f"per {per}" in label:
            return f"{label} ({head})" if head else label
    return f"{label} ({unit})"


def source_words(source: object) -> str:
    """Where the figures came from, in words a reader knows (never 'mirror')."""
    return {"mirror": "een kopie van de CBS-tabellen op deze computer",
            "live": "CBS (StatLine, rechtstreeks)"}.get(str(source), "CBS")


def period_label(key: object) -> str:
    return parse_period(str(key)).label if is_number(str(key)[:4]) else ""


def reason(row: dict | Any) -> str:
    """Why a row has no figure (or '' when it has one)."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    if is_number(get("value")):
        return ""
    label = get("status_label")
    if isinstance(label, str) and label:
        return label
    if bool(get("suppressed")):
        return LABEL
    if get("available") is False:
        return NOT_LOADED
    return NO_DATA


def value_text(row: dict | Any, ind: Indicator, with_unit: bool = True) -> str:
    """The figure as shown: '1,26 per 1 000 inwoners', or why there is none."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    why = reason(row)
    if why:
        return why
    text = number(get("value"), digits_for(get("value"), ind))
    lower, upper = get("estimate_lower"), get("estimate_upper")
    if is_number(lower) and is_number(upper):  # a survey estimate: CBS's 95% interval
        digits = digits_for(get("value"), ind)
        text += f" ({number(lower, digits)}-{number(upper, digits)})"
    if not with_unit:  # a cell beside its unit and its label (map tooltip, table column)
        return text
    return f"{text} {ind.unit}" + figure_of_text(row)


def figure_of_text(row: dict | Any) -> str:
    """' (cijfer van politie-eenheid Limburg)' where a row shows its politie-eenheid's survey
    estimate in place of the gemeente's own (read/estimates.py), else ''."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    figure_of = get("figure_of")
    return f" (cijfer van {figure_of})" if isinstance(figure_of, str) and \
        figure_of.startswith("politie-eenheid") else ""


def short_value_text(row: dict | Any, ind: Indicator) -> str:
    """The figure for a narrow column (paper): a long unit said short ('10,7 (7,4-15,1)%')."""
    if len(ind.unit) <= 25 or reason(row):
        return value_text(row, ind)
    return value_text(row, ind, with_unit=False) + ("%" if ind.unit.startswith("%") else "") \
        + figure_of_text(row)


def reference_text(value: object, ind: Indicator) -> str:
    """The national or peer value beside a figure (kept even when the figure is hidden)."""
    return number(value, digits_for(value, ind)) if is_number(value) else NO_DATA


WORDS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht",
         9: "negen", 10: "tien"}


def times_text(index: object, where: str = "landelijk") -> str:
    """An index in words a lay reader can weigh: 'twee keer zo hoog als landelijk', 'ruim 43
    keer zo hoog als landelijk', '35% hoger', 'ongeveer gelijk', 'half zo hoog'; `where` names
    the reference ('landelijk', 'in de provincie Zeeland')."""
    if not is_number(index) or float(index) <= 0:  # type: ignore[arg-type]
        return ""
    ratio = float(index) / 100.0  # type: ignore[arg-type]
    if ratio >= 1.95:
        whole = max(2, int(ratio + 0.05))  # 1.95 reads as twice
        lead = "ruim " if ratio - whole >= 0.05 else ""
        return f"{lead}{WORDS.get(whole, str(whole))} keer zo hoog als {where}"
    if ratio >= 1.1:
        return f"{round((ratio - 1) * 100)}% hoger dan {where}"
    if ratio > 0.9:
        return f"ongeveer gelijk aan {'het gemiddelde ' + where if where != 'landelijk' else where}"
    if ratio > 0.55:
        return f"{round((1 - ratio) * 100)}% lager dan {where}"
    if ratio >= 0.45:
        return f"half zo hoog als {where}"
    times = 1.0 / ratio
    whole = max(2, int(times + 0.05))
    lead = "ruim " if times - whole >= 0.05 else ""
    return f"{lead}{WORDS.get(whole, str(whole))} keer zo laag als {where}"


def index_text(value: object) -> str:
    return number(value, 0) if is_number(value) else "-"


def category_text(row: dict | Any) -> str:
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    why = reason(row)
    if why:
        return why
    category = get("category")
    return category if isinstance(category, str) and category else NO_TEST


def colour_for(category: object) -> str:
    if isinstance(category, str) and category in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[category]
    return NO_TEST_COLOUR


def axis(title: str, **extra: Any) -> dict:
    """A Plotly axis with a Dutch title; numbers follow PLOTLY_SEPARATORS."""
    return {"title": {"text": title}, "tickformat": ",~r", **extra}


def index_axis(values: list[float]) -> dict:
    """The log-scaled index axis shared by every index chart (as the map's colour scale)."""
    known = [v for v in values if is_number(v) and v > 0]
    low = min([50.0, *known]) / 1.3
    high = max([200.0, *known]) * 1.3
    ticks = [t for t in INDEX_TICKS if low <= t <= high]
    return {"type": "log", "title": {"text": INDEX_LABEL}, "range": [math.log10(low),
                                                                     math.log10(high)],
            "tickvals": ticks, "ticktext": [number(t) for t in ticks]}


def plotly_layout(**extra: Any) -> dict:
    """What every chart shares."""
    return {"separators": PLOTLY_SEPARATORS, "plot_bgcolor": "white", "paper_bgcolor": "white",
            "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#222"}, **extra}


CHART_CONFIG: Any = {"displayModeBar": False}
