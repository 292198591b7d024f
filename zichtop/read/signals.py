"""'Waar wijkt <gemeente> af?': a municipality's signals across all themes, ranked by strength,
each one plain Dutch sentence. Pure functions over `results` rows (unit-tested); the profile
page, the factsheets and the CLI show the same list.

What counts as a signal, strongest first (at most one line per indicator, its strongest):
0. first of all, "hoger en stijgend": significantly higher than the reference at the latest
   period and risen significantly since the previous comparable period (method/trends.py);
1. a deviation at the latest period that the funnel test calls higher or lower (strength: the
   funnel z-score);
2. a marked move since the previous period (yoy_flag);
3. a figure far from the national average where no test is possible (index >= 200 or <= 50);
4. a spike in an earlier year: 'significant hoger', or an index of 300 or more, that the latest
   period does not show (e.g. Sluis's homes turned into holiday homes in 2022), never from
   before a declared series break.
Only deviations in the indicator's declared risk direction are ranked (`signals`); a deviation
the other way, or of a context indicator (no risk direction), is listed apart (`apart`), never
first. A figure far outside what the funnel allows (more than 10x its 99.8% limit, or a share
above 90% where the country is under 10%) carries a plausibility note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from zichtop.indicators.model import Indicator
from zichtop.indicators.registry import indicators
from zichtop.method.kinds import kind_of
from zichtop.method.statistics import CATEGORIES, NO_TEST
from zichtop.method.trends import rising
from zichtop.read import presentation as p
from zichtop.read.references import coverage_note

SIGNIFICANT = ("significant hoger", "significant lager", "hoger", "lager")
RISING = "hoger en stijgend"  # higher than the reference and risen significantly (trends.py)
UNTESTED_HIGH, UNTESTED_LOW, SPIKE = 200.0, 50.0, 300.0
IMPLAUSIBLE = 10.0  # a value this many times its 99.8% limit is checked at the source first
CHECK_SOURCE = " Uitzonderlijk: controleer dit cijfer bij de bron."
APART_TITLE = "Lager dan landelijk, of anders zonder risicorichting"


def apart_title(where: str = "landelijk") -> str:
    """The heading of the list apart, naming the reference ('lager dan in de provincie
    Zeeland')."""
    return APART_TITLE.replace("landelijk", where)


def where_of(rows: pd.DataFrame) -> str:
    """The reference the rows compare with, as a phrase (read/references.py)."""
    if "reference_where" in rows and len(rows):
        return str(rows["reference_where"].iloc[0])
    return "landelijk"


@dataclass(frozen=True)
class Signal:
    indicator: str
    theme: str
    kind: str  # "afwijking", "verandering", "opvallend", "piek"
    period: str
    strength: float
    sentence: str
    action: str


def _trend(series: pd.DataFrame, period: str) -> str:
    s = series[series["index"].notna()].sort_values("period_key")
    before = s[s["period_key"] < period]
    now = s[s["period_key"] == period]
    if before.empty or now.empty:
        return ""
    a, b = float(before["index"].iloc[-1]), float(now["index"].iloc[0])
    if b > a * 1.1:
        return f" Dat is meer dan in {p.period_label(before['period_key'].iloc[-1])} (index {p.index_text(a)})."
    if b < a / 1.1:
        return f" Dat is minder dan in {p.period_label(before['period_key'].iloc[-1])} (index {p.index_text(a)})."
    return f" Ongeveer gelijk aan {p.period_label(before['period_key'].iloc[-1])}."


def _sentence(ind: Indicator, row: pd.Series, lead: str) -> str:
    """One signal in words, against the rows' reference ('landelijk', 'in de provincie
    Zeeland', 'bij de 15 vergelijkbare gemeenten': read/references.py)."""
    value = p.value_text(row, ind)
    national = f"{p.reference_text(row['national_value'], ind)} {ind.unit}"
    category = p.category_text(row)
    where = row.get("reference_where")
    where = where if isinstance(where, str) and where else "landelijk"
    peer = (f"; ten opzichte van vergelijkbare gemeenten: index {p.index_text(row['peer_index'])}"
            if p.is_number(row.get("peer_index")) and row.get("reference") != "buren" else "")
    note = f" ({row['note']})" if isinstance(row.get("note"), str) else ""
    times = p.times_text(row.get("index"), where)
    return (f"{lead}{ind.label}: {value} in {p.period_label(row['period_key'])}{note}, tegen "
            f"{national} {where} (index {p.index_text(row['index'])}"
            f"{': ' + times if times else ''}, {category}{peer})."
            + (" " + coverage_note(row) if coverage_note(row) else ""))


def _implausible(ind: Indicator, row: pd.Series) -> bool:
    """Far outside what the funnel allows, or a near-total share where the country is low."""
    value = float(row["value"]) if p.is_number(row.get("value")) else math.nan
    upper = float(row["upper998"]) if p.is_number(row.get("upper998")) else math.nan
    national = float(row["national_value"]) if p.is_number(row.get("national_value")) \
        else math.nan
    share = ind.unit.startswith("%")
    return bool(value > IMPLAUSIBLE * upper or (share and value > 90 and national < 10))


def _in_direction(ind: Indicator, higher: bool) -> bool:
    """Does a deviation upwards (`higher`) or downwards point the way the indicator declares a
    risk? A context indicator (no direction) has none."""
    return ind.higher_is_risk is not None and ind.higher_is_risk == higher


def signals(latest: pd.DataFrame, series: pd.DataFrame) -> list[Signal]:
    """`latest`: one results row per indicator (the latest period, for one municipality);
    `series`: all its results rows. Returns the signals in each indicator's risk direction,
    strongest first, one per indicator."""
    return split(latest, series)[0]


def split(latest: pd.DataFrame, series: pd.DataFrame) -> tuple[list[Signal], list[Signal]]:
    """The signals (as `signals`) and, apart, the deviations against the risk direction
    ("lager dan landelijk") and of context indicators, one per indicator, strongest first:
    never ranked among the signals."""
    registry = indicators()
    ranked: list[Signal] = []
    other: list[Signal] = []
    for _, row in latest.iterrows():
        if row["indicator"] not in registry:
            continue
        if str(row.get("figure_of") or "").startswith("politie-eenheid"):
            continue  # a politie-eenheid's estimate is no signal of this municipality
        theme, ind = registry[row["indicator"]]
        own = series[series["indicator"] == ind.id]
        candidates = _candidates(theme.id, ind, row, own)
        for bucket, found in ((ranked, [s for s, risk in candidates if risk]),
                              (other, [s for s, risk in candidates if not risk])):
            if found:
                bucket.append(max(found, key=lambda s: s.strength))
        # an indicator ranked among the signals is not listed apart as well
        if any(risk for _s, risk in candidates):
            other = [s for s in other if s.indicator != ind.id]
    # "hoger en stijgend" first (significantly higher than the reference and rising), then by
    # strength
    return (sorted(ranked, key=lambda s: (s.kind != RISING, -s.strength)),
            sorted(other, key=lambda s: -s.strength))


def _candidates(theme: str, ind: Indicator, row: pd.Series,
                own: pd.DataFrame) -> list[tuple[Signal, bool]]:
    """Every kind of signal this indicator gives, each with whether it is in its risk
    direction."""
    out: list[tuple[Signal, bool]] = []
    context = ind.higher_is_risk is None
    weight = 0.5 if context else 1.0
    # no figure now (hidden or missing): no category, no index; an earlier spike may still
    # be a signal (below)
    category = row.get("category") if p.is_number(row.get("value")) else None
    index = float(row["index"]) if p.is_number(row.get("index")) else math.nan
    check = CHECK_SOURCE if p.is_number(row.get("value")) and _implausible(ind, row) else ""
    if category in SIGNIFICANT:
        z = abs(float(row["z"])) if p.is_number(row.get("z")) else 2.0
        strength = weight * (z + (1.0 if category.startswith("significant") else 0.0))
        before = _rose_since(ind, row, own) if category.endswith("hoger") else None
        if before is not None:
            out.append((Signal(ind.id, theme, RISING, row["period_key"], strength,
                               _sentence(ind, row, "Hoger en stijgend. ")
                               + f" Significant gestegen sinds {p.period_label(before['period_key'])}"
                                 f" ({p.value_text(before, ind)})." + check, ind.action),
                        _in_direction(ind, True)))
        else:
            out.append((Signal(ind.id, theme, "afwijking", row["period_key"], strength,
                               _sentence(ind, row, "") + _trend(own, row["period_key"]) + check,
                               ind.action), _in_direction(ind, category.endswith("hoger"))))
    elif not context and bool(row.get("yoy_flag")):
        change = float(row["index_change"]) if p.is_number(row.get("index_change")) else 0.0
        out.append((Signal(ind.id, theme, "verandering", row["period_key"], 1.5,
                           _sentence(ind, row, "Opvallende verandering. ")
                           + _trend(own, row["period_key"]) + check, ind.action),
                    _in_direction(ind, change > 0)))
    elif (category in (None, NO_TEST) or not isinstance(category, str)) and \
            not math.isnan(index) and (index >= UNTESTED_HIGH or index <= UNTESTED_LOW):
        out.append((Signal(ind.id, theme, "opvallend", row["period_key"],
                           weight * abs(math.log2(index / 100.0)),
                           _sentence(ind, row, "Valt op (geen toets mogelijk). ") + check,
                           ind.action), _in_direction(ind, index >= UNTESTED_HIGH)))
    if context or ind.higher_is_risk is False:
        return out  # a spike is a high figure: a signal only where higher is the risk
    year = int(str(row["period_key"])[:4])
    since = max([b.year for b in ind.breaks if b.year <= year], default=0)
    earlier = own[(own["period_key"] < row["period_key"]) & own["value"].notna()
                  & (own["period_key"].astype(str).str[:4].astype(int) >= since)]
    spikes = earlier[(earlier["category"] == CATEGORIES[4]) |
                     (earlier["index"].fillna(0) >= SPIKE)]
    if len(spikes) and not (category == CATEGORIES[4] or index >= SPIKE):
        top = spikes.loc[spikes["index"].astype(float).idxmax()]
        out.append((Signal(ind.id, theme, "piek", top["period_key"],
                           0.8 * abs(math.log2(max(float(top["index"]), 1.0) / 100.0)),
                           _sentence(ind, top, f"Piek in {p.period_label(top['period_key'])}. ")
                           + f" In {p.period_label(row['period_key'])}: "
                             f"{p.value_text(row, ind)}.", ind.action), True))
    return out


def _rose_since(ind: Indicator, row: pd.Series, own: pd.DataFrame) -> pd.Series | None:
    """The previous comparable period (the latest before this one with a shown count, never
    before a declared series break) if the rate rose significantly since (method/trends.py);
    None otherwise, and for figures that do not count events."""
    if not kind_of(ind).counted or "numerator" not in own or not p.is_number(row.get("numerator")):
        return None
    year = int(str(row["period_key"])[:4])
    since = max([b.year for b in ind.breaks if b.year <= year], default=0)
    earlier = own[(own["period_key"] < row["period_key"]) & own["numerator"].notna()
                  & (own["period_key"].astype(str).str[:4].astype(int) >= since)]
    if earlier.empty:
        return None
    before = earlier.sort_values("period_key").iloc[-1]
    up = rising([before["numerator"]], [before["denominator"]], [row["numerator"]],
                [row["denominator"]], ind.numerator.rounding)[0]
    return before if bool(up) else None


def unknowns(latest: pd.DataFrame, status: pd.DataFrame) -> dict[str, list[str]]:
    """Indicators without a figure for this municipality, grouped by the reason."""
    registry = indicators()
    out: dict[str, list[str]] = {}
    present = set(latest["indicator"]) if len(latest) else set()
    for ind_id, (_theme, ind) in registry.items():
        if ind_id in status.index and not bool(status.loc[ind_id, "available"]):
            out.setdefault(p.NOT_LOADED, []).append(ind.label)
            continue
        row = latest[latest["indicator"] == ind_id]
        if ind_id not in present or row.empty:
            out.setdefault(p.NO_DATA, []).append(ind.label)
            continue
        why = p.reason(row.iloc[0])
        if why:
            out.setdefault(why, []).append(ind.label)
    return out


REASONS = {
    "te klein": "minder dan 10 gebeurtenissen of een basis kleiner dan 100: geen betrouwbaar "
                "cijfer, dus niet getoond",
    "te klein (CBS)": "CBS publiceert dit aantal zelf niet (onder zijn drempel)",
    p.NO_DATA: "CBS heeft voor deze gemeente en periode geen cijfer",
    p.NOT_LOADED: "de CBS-tabel ontbreekt in deze installatie",
}
