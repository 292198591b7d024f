"""An attacker's attempt to recover hidden ("te klein") counts from everything Zichtop
publishes: differencing plus interval bounds (linear programming).

The attacker knows every shown municipal count, every published total (province, RIEC region,
country, peers) and the national reference value with its rounding step, knows which members
each total sums (the documented rule: `rule="shown"`, members whose own figure is shown; or
`rule="all"`, every member with a figure, as before secondary protection), and knows that each
hidden count lies between 0 and the small-number threshold. For every hidden count the attack
computes the smallest and largest value consistent with all of that; a count is *pinned* when
both are equal to its true value and it is not zero.

    python -m tests.disclosure_attack data/zichtop.duckdb [--rule all]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from scipy.optimize import linprog

from zichtop.indicators.registry import indicators, is_loaded
from zichtop.method import statistics
from zichtop.method.kinds import kind_of
from zichtop.method.privacy import MIN_NUMERATOR
from zichtop.pipeline.marts.municipal import indicator_frame


@dataclass
class Outcome:
    hidden: int = 0
    pinned: int = 0  # pinned to their true, non-zero value
    pinned_any: int = 0  # pinned to their true value, zeros included
    examples: list | None = None


def _bounds(lower: np.ndarray, upper: np.ndarray, rows: list[tuple[np.ndarray, float, float]]
            ) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of every variable under lower <= x <= upper and, per row,
    lo <= sum(x[mask]) <= hi."""
    k = len(lower)
    if not rows:
        return lower.copy(), upper.copy()
    if len(rows) == 1 and rows[0][0].all():  # one sum over everything: closed form
        _mask, lo, hi = rows[0]
        total_up = upper.sum()
        total_low = lower.sum()
        low = np.maximum(lower, lo - (total_up - upper))
        high = np.minimum(upper, hi - (total_low - lower))
        return low, high
    a_ub, b_ub = [], []
    for mask, lo, hi in rows:
        a_ub.append(mask.astype(float))
        b_ub.append(hi)
        a_ub.append(-mask.astype(float))
        b_ub.append(-lo)
    low, high = np.empty(k), np.empty(k)
    for i in range(k):
        c = np.zeros(k)
        for sign, target in ((1.0, low), (-1.0, high)):
            c[i] = sign
            solved = linprog(c, A_ub=np.array(a_ub), b_ub=np.array(b_ub),
                             bounds=list(zip(lower, upper, strict=True)), method="highs")
            target[i] = sign * solved.fun if solved.success else np.nan
        c[i] = 0.0
    return low, high


def _truth(con: duckdb.DuckDBPyConnection, ind) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Every municipality's true numerator and denominator (also works on a store built before
    `missing_share` existed, to measure the earlier rule)."""
    columns = {r[0] for r in con.execute("DESCRIBE gm_observations").fetchall()}
    if "missing_share" in columns:
        return indicator_frame(con, ind)
    from zichtop.indicators.catalog import spec_for
    from zichtop.indicators.model import INHABITANTS

    def values(source, period_type):  # type: ignore[no-untyped-def]
        if source is INHABITANTS:
            return con.execute("SELECT region_code, year, inhabitants AS value "
                               "FROM population").df()
        return con.execute(
            "SELECT region_code, period_key, year, value FROM gm_observations WHERE table_id = ? "
            "AND measure = ? AND dims = ? AND period_type = ?",
            [source.table, source.measure, spec_for(source.table, source.measure).dims_key(source.filters),
             period_type]).df()

    num = values(ind.numerator, ind.period_type).rename(columns={"value": "numerator"})
    den = values(ind.denominator, ind.period_type).rename(columns={"value": "denominator"})
    on = ["region_code", "year"] if ind.denominator is INHABITANTS else \
        ["region_code", "period_key"]
    return num.merge(den[[*on, "denominator"]], on=on, how="left")


def attack(con: duckdb.DuckDBPyConnection, rule: str = "shown") -> Outcome:
    regions = con.execute("SELECT code, province_code, riec_code FROM regions "
                          "WHERE level = 'GM'").df().set_index("code")
    columns = {r[0] for r in con.execute("DESCRIBE results").fetchall()}
    label = "status_label" if "status_label" in columns else \
        "CASE WHEN suppressed THEN 'te klein' END AS status_label"
    results = con.execute("SELECT indicator, region_code, level, period_key, numerator, "
                          f"denominator, national_value, suppressed, {label} "
                          "FROM results").df()
    outcome = Outcome(examples=[])
    for ind_id, (_theme, ind) in indicators().items():
        if not kind_of(ind).counted or not all(is_loaded(s) for s in ind.sources):
            continue
        truth = _truth(con, ind)
        mine = results[results["indicator"] == ind_id]
        for period_key, r in mine.groupby("period_key"):
            gm = r[r["level"] == "GM"].set_index("region_code")
            hidden = gm[gm["status_label"] == "te klein"].index  # hidden by our rule
            if not len(hidden):
                continue
            true = truth[truth["period_key"] == period_key].drop_duplicates(
                "region_code").set_index("region_code")
            counts = true["numerator"].reindex(hidden).to_numpy(float)
            dens = true["denominator"].reindex(hidden).to_numpy(float)
            lower = np.zeros(len(hidden))
            # hidden for a small count: 0-9; for a small denominator: anything up to it
            upper = np.where(counts < MIN_NUMERATOR, MIN_NUMERATOR - 1.0,
                             np.nan_to_num(dens, nan=1e9))
            shown_num = gm["numerator"].where(~gm["suppressed"])
            rows = []
            aggregates = r[r["level"] != "GM"].set_index("region_code")
            for code, agg in aggregates.iterrows():
                if pd.isna(agg["numerator"]):
                    continue
                if agg["level"] == "NL":
                    members = regions.index
                else:
                    column = "province_code" if agg["level"] == "PV" else "riec_code"
                    members = regions.index[regions[column] == code]
                if rule == "shown":
                    continue  # sums of shown members only: nothing about hidden ones
                residual = agg["numerator"] - shown_num.reindex(members).sum()
                mask = np.isin(hidden, members)
                if mask.any():
                    rows.append((mask, residual - 0.5, residual + 0.5))
            national = float(r["national_value"].dropna().iloc[0])
            den_all = true["denominator"][true["numerator"].notna()].sum()
            step = statistics.national_step(den_all, ind.scale, MIN_NUMERATOR) if rule == "shown" \
                else 0.0
            shown_total = shown_num.sum()
            lo = (national - step / 2) * den_all / ind.scale - shown_total
            hi = (national + step / 2) * den_all / ind.scale - shown_total
            rows.append((np.ones(len(hidden), bool), lo - 1e-6, hi + 1e-6))
            low, high = _bounds(lower, upper, rows)
            # counts are whole numbers: the attacker rounds the bounds inwards
            low, high = np.ceil(low - 1e-6), np.floor(high + 1e-6)
            pinned = (low == high) & (low == counts) & (counts > 0)
            outcome.hidden += len(hidden)
            outcome.pinned += int(pinned.sum())
            outcome.pinned_any += int(((low == high) & (low == counts)).sum())
            for code in hidden[pinned][:2]:
                outcome.examples.append((ind_id, period_key, code))  # type: ignore[union-attr]
    return outcome


def attack_areas(con: duckdb.DuckDBPyConnection) -> Outcome:
    """Differencing plus interval bounds below the municipality, with what an outsider sees:
    every published wijk and buurt figure times the area's public inhabitants gives its count
    (CBS rounds both to fives, so the count comes out exactly); every published parent figure on
    an area's row (a wijk's municipality, a buurt's wijk) gives the parent's count, also of a
    parent that is itself "te klein"; a wijk's shown buurten bound it from below, and if all are
    shown they give it whole. For each published total, each unknown area ("te klein" or without
    a figure) then lies between max(its lower bound, total - the others' upper bounds) and
    total - the others' lower bounds. A hidden count is *pinned* when that interval holds exactly
    one multiple of CBS's rounding step (5), the true count, and that is not zero (a child's row
    carrying it gives such an interval)."""
    from zichtop.indicators.registry import area_indicators
    from zichtop.pipeline.marts.areas import area_frame

    inhabitants = dict(con.execute("SELECT code, inhabitants FROM areas").fetchall())
    outcome = Outcome(examples=[])
    for ind_id, (_theme, ind) in area_indicators().items():
        if not kind_of(ind).counted or not all(is_loaded(s) for s in ind.sources):
            continue
        rows = con.execute("SELECT level, region_code, parent_code, period_key, value, "
                           "parent_value, suppressed FROM area_results WHERE indicator = ?",
                           [ind_id]).df()
        if rows.empty:
            continue
        truth = area_frame(con, ind).set_index(["region_code", "period_key"])["numerator"]
        truth = truth[~truth.index.duplicated()]
        rows["inhabitants"] = rows["region_code"].map(inhabitants)
        rows["count"] = rows["value"] * rows["inhabitants"] / ind.scale
        rows["unknown"] = rows["suppressed"] | rows["value"].isna()
        outcome.hidden += int(rows["suppressed"].sum())
        # what the rows below say of each area: its figure as a parent, its shown areas' sum,
        # and whether all its areas are shown
        below = rows.assign(parent_count=rows["parent_value"] * rows["parent_code"].map(
            inhabitants) / ind.scale).groupby(["parent_code", "period_key"]).agg(
            carried=("parent_count", "max"), shown_sum=("count", "sum"),
            unknown=("unknown", "sum"))
        by_key = below.to_dict("index")

        def bounds(code: str, period: str, by_key: dict = by_key) -> tuple[float, float]:
            info = by_key.get((code, period))
            if info is None:
                return 0.0, np.inf
            if not np.isnan(info["carried"]):
                return info["carried"], info["carried"]  # a child row carries it
            low = info["shown_sum"]
            return low, (low if info["unknown"] == 0 else np.inf)

        for (level, period, parent), group in rows.groupby(["level", "period_key",
                                                           "parent_code"]):
            total = by_key.get((parent, period), {}).get("carried", np.nan)
            unknown = group[group["unknown"]]
            if unknown.empty:
                continue
            limits = np.array([bounds(c, period) for c in unknown["region_code"]]).reshape(-1, 2)
            low, high = limits[:, 0].copy(), limits[:, 1].copy()
            if not np.isnan(total):
                rest = total - group.loc[~group["unknown"], "count"].sum()
                infinite = np.isinf(high)
                finite_sum = high[~infinite].sum()
                others_high = np.where(infinite.sum() - infinite > 0, np.inf,
                                       finite_sum - np.where(infinite, 0.0, high))
                others_low = low.sum() - low
                low = np.maximum(low, rest - others_high)
                high = np.minimum(high, rest - others_low)
            for (_, row), lo, hi in zip(unknown.iterrows(), low, high, strict=True):
                true = truth.get((row["region_code"], period), np.nan)
                # CBS publishes these counts in multiples of r: the interval pins the count when
                # it holds exactly one multiple, the true one (an interval that misses the truth,
                # as CBS's totals need not add up, tells the attacker nothing reliable)
                r = ind.numerator.rounding
                first, last = np.ceil(round(lo, 6) / r) * r, np.floor(round(hi, 6) / r) * r
                if row["suppressed"] and not np.isnan(true) and true > 0 and first == last \
                        and abs(first - true) < 0.5:
                    outcome.pinned += 1
                    outcome.examples.append((ind_id, level, period, row["region_code"],
                                             float(true), round(float(lo), 1),
                                             round(float(hi), 1)))
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--rule", choices=["shown", "all"], default="shown")
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    result = attack(con, args.rule)
    print(f"hidden counts: {result.hidden}, pinned: {result.pinned_any} (non-zero: "
          f"{result.pinned}); "
          f"e.g. {result.examples[:5] if result.examples else []}")
    areas = attack_areas(con)
    print(f"wijken and buurten: hidden counts: {areas.hidden}, exposed by differencing "
          f"(non-zero): {areas.pinned}; e.g. {areas.examples[:5] if areas.examples else []}")


if __name__ == "__main__":
    main()
