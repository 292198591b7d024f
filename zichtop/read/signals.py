"""'Waar wijkt <gemeente> af?': a municipality's signals across all themes, ranked by strength,
each one plain Dutch sentence. Pure functions over `results` rows (unit-tested); the profile
page, the factsheets and the CLI show the same list.

What counts as a signal, strongest first:
1. a deviation at the latest period that the funnel test calls higher or lower (strength: the
   funnel z-score);
2. a marked move since the previous period (yoy_flag);
3. a figure far from the national average where no test is possible (index >= 200 or <= 50);
4. a spike in an earlier year: 'significant hoger', or an index of 300 or more, that the latest
   period does not show (e.g. Sluis's homes turned into holiday homes in 2022).
Context indicators (no risk direction) only count under 1 and 3, at half strength.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from zichtop.indicators.model import Indicator
from zichtop.indicators.registry import indicators
from zichtop.method.statistics import CATEGORIES, NO_TEST
from zichtop.read import presentation as p

SIGNIFICANT = ("significant hoger", "significant lager", "hoger", "lager")
UNTESTED_HIGH, UNTESTED_LOW, SPIKE = 200.0, 50.0, 300.0


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
    value = p.value_text(row, ind)
    national = f"{p.reference_text(row['national_value'], ind)} {ind.unit}"
    category = row["category"] if isinstance(row.get("category"), str) else NO_TEST
    peer = (f"; ten opzichte van vergelijkbare gemeenten: index {p.index_text(row['peer_index'])}"
            if p.is_number(row.get("peer_index")) else "")
    note = f" ({row['note']})" if isinstance(row.get("note"), str) else ""
    return (f"{lead}{ind.label}: {value} in {p.period_label(row['period_key'])}{note}, tegen "
            f"{national} landelijk (index {p.index_text(row['index'])}, {category}{peer}).")


def signals(latest: pd.DataFrame, series: pd.DataFrame) -> list[Signal]:
    """`latest`: one results row per indicator (the latest period, for one municipality);
    `series`: all its results rows. Returns the signals, strongest first."""
    registry = indicators()
    found: list[Signal] = []
    for _, row in latest.iterrows():
        if row["indicator"] not in registry:
            continue
        theme, ind = registry[row["indicator"]]
        own = series[series["indicator"] == ind.id]
        context = ind.higher_is_risk is None
        weight = 0.5 if context else 1.0
        # no figure now (hidden or missing): no category, no index; an earlier spike may still
        # be a signal (below)
        category = row.get("category") if p.is_number(row.get("value")) else None
        index = float(row["index"]) if p.is_number(row.get("index")) else math.nan
        if category in SIGNIFICANT:
            z = abs(float(row["z"])) if p.is_number(row.get("z")) else 2.0
            strength = weight * (z + (1.0 if category.startswith("significant") else 0.0))
            found.append(Signal(ind.id, theme.id, "afwijking", row["period_key"], strength,
                                _sentence(ind, row, "") + _trend(own, row["period_key"]),
                                ind.action))
        elif not context and bool(row.get("yoy_flag")):
            found.append(Signal(ind.id, theme.id, "verandering", row["period_key"], 1.5,
                                _sentence(ind, row, "Opvallende verandering. ")
                                + _trend(own, row["period_key"]), ind.action))
        elif (category in (None, NO_TEST) or not isinstance(category, str)) and \
                not math.isnan(index) and (index >= UNTESTED_HIGH or index <= UNTESTED_LOW):
            found.append(Signal(ind.id, theme.id, "opvallend", row["period_key"],
                                weight * abs(math.log2(index / 100.0)),
                                _sentence(ind, row, "Valt op (geen toets mogelijk). "),
                                ind.action))
        if context:
            continue
        earlier = own[(own["period_key"] < row["period_key"]) & own["value"].notna()]
        spikes = earlier[(earlier["category"] == CATEGORIES[4]) |
                         (earlier["index"].fillna(0) >= SPIKE)]
        if len(spikes) and not (category == CATEGORIES[4] or index >= SPIKE):
            top = spikes.loc[spikes["index"].astype(float).idxmax()]
            found.append(Signal(ind.id, theme.id, "piek", top["period_key"],
                                0.8 * abs(math.log2(max(float(top["index"]), 1.0) / 100.0)),
                                _sentence(ind, top, f"Piek in {p.period_label(top['period_key'])}"
                                                    ". ")
                                + f" In {p.period_label(row['period_key'])}: "
                                  f"{p.value_text(row, ind)}.", ind.action))
    return sorted(found, key=lambda s: -s.strength)


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
    p.NOT_LOADED: "de tabel zit niet in de geladen gegevens",
}
