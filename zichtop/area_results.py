"""Marts of the method for areas below the municipality (wijken, buurten).

`area_results`: one row per area indicator, area and period: value, counts, the national value
and index, the parent's value (a wijk's municipality, a buurt's wijk) and the index against it,
funnel limits, category and z-score, small-number flag and its reason.
`area_coverage`: one row per area indicator, level and municipality: whether the loaded data
hold that municipality's areas ("volledig"), not ("niet geladen": a cut table), or CBS delivers
none ("geen cijfers"), with counts of areas with a value, "te klein" and no figure.

The same method as for municipalities (zichtop/results.py, docs/method.md): rates from counts
and a stated denominator; the one small-number rule (zichtop/privacy.py) plus CBS's own empty
counts; the national reference is CBS's national row where the table has one, else the sum over
all municipalities, rounded so no hidden count can be read back; significance from funnel
limits widened for over-dispersion (estimated over the areas of the level) and CBS rounding.
A municipality whose areas are only partly in a cut table is never shown: it is "niet geladen".
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zichtop import method
from zichtop.areas import COMPLETE, LEVELS, NOT_DELIVERED, NOT_LOADED, REASONS
from zichtop.catalog import spec_for
from zichtop.privacy import CBS_LABEL, LABEL, MIN_NUMERATOR, complementary, is_suppressed
from zichtop.results import HIDDEN, significance
from zichtop.themes.model import MEAN, RATE, Indicator, Source, Theme
from zichtop.themes.registry import check_source, is_loaded, themes

AREA_RESULT_COLUMNS = [
    "indicator", "theme", "level", "region_code", "parent_code", "municipality_code",
    "period_key", "year", "value", "numerator", "denominator", "national_value", "index",
    "log_ratio", "parent_value", "parent_index", "lower95", "upper95", "lower998", "upper998",
    "overdispersion", "category", "z", "suppressed", "status_label", "unit",
]
COVERAGE_COLUMNS = ["indicator", "level", "municipality_code", "status", "n_areas", "n_value",
                    "n_small", "n_missing", "reason"]


def source_rows(con: duckdb.DuckDBPyConnection, source: Source,
                period_type: str | None = None) -> pd.DataFrame:
    """Every row of a source at every level: region_code, period_key, year, value."""
    spec = spec_for(source.table, source.measure)
    sql = ("SELECT region_code, region_level, period_key, year, value FROM observations "
           "WHERE table_id = ? AND measure = ? AND dims = ?")
    args: list[object] = [source.table, source.measure, spec.dims_key(source.filters)]
    if period_type is not None:
        sql += " AND period_type = ?"
        args.append(period_type)
    return con.execute(sql, args).df()


def _values(ind: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """value, and which figures are hidden (own rule, CBS's empty counts)."""
    num, den = frame["numerator"].to_numpy(float), frame["denominator"].to_numpy(float)
    value = num if ind.kind == MEAN else method.rate(num, den, ind.scale)
    frame = frame.assign(value=value)
    counted = ind.kind in method.KINDS_WITH_LIMITS
    base = den if counted else frame["inhabitants"].to_numpy(float)
    # a figure on a base under the threshold is hidden, also where the base is 0 (a business
    # park without inhabitants): its count must not be stored either
    known = ~np.isnan(value) | (~np.isnan(num) if counted else np.zeros(len(frame), bool))
    own = np.asarray(is_suppressed(num if counted else np.nan, base), bool) & known
    cbs = np.zeros(len(frame), bool)
    if ind.numerator.empty_below_cbs_threshold:
        cbs = frame["row_present"].to_numpy(bool) & np.isnan(num)
        if ind.kind != RATE:
            cbs &= ~np.isnan(den)
    return frame.assign(own_small=own, cbs_small=cbs)


def _national(ind: Indicator, rows: pd.DataFrame) -> float:
    """CBS's national row where the table has one, else the sum over the municipalities;
    rounded to the step that keeps hidden counts hidden (method.national_step)."""
    nl = rows[rows["region_level"] == "NL"]
    if ind.kind == MEAN:
        return float(nl["numerator"].iloc[0]) if len(nl) and nl["numerator"].notna().any() \
            else np.nan
    if len(nl) and nl["numerator"].notna().any() and nl["denominator"].notna().any():
        num, den = float(nl["numerator"].iloc[0]), float(nl["denominator"].iloc[0])
    else:
        gm = rows[(rows["region_level"] == "GM") & rows["numerator"].notna()
                  & rows["denominator"].notna()]
        num, den = float(gm["numerator"].sum()), float(gm["denominator"].sum())
    if not den > 0:
        return np.nan
    reference = num / den * ind.scale
    step = method.national_step(den, ind.scale, MIN_NUMERATOR)
    return float(np.round(reference / step) * step) if step > 0 else reference


def coverage(ind: Indicator, level: str, areas: pd.DataFrame, present: set[str],
             by_municipality: bool) -> pd.DataFrame:
    """Per municipality: are its areas of this level in the loaded table?"""
    rows = []
    below = areas[areas["level"] == level]
    for municipality, group in below.groupby("municipality_code"):
        found = group["code"].isin(present)
        if found.all():
            status = COMPLETE
        elif by_municipality:
            status = NOT_LOADED  # a cut table: none or only part of this municipality
        else:
            status = COMPLETE if found.any() else NOT_DELIVERED
        rows.append({"indicator": ind.id, "level": level, "municipality_code": municipality,
                     "status": status, "n_areas": len(group), "reason": REASONS[status]})
    return pd.DataFrame(rows)


def compute_area_indicator(con: duckdb.DuckDBPyConnection, theme: Theme, ind: Indicator,
                           areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    num = source_rows(con, ind.numerator, ind.period_type).rename(columns={"value": "numerator"})
    num["row_present"] = True
    if ind.kind == MEAN:
        frame = num.assign(denominator=np.nan)
    else:
        den = source_rows(con, ind.denominator)  # type: ignore[arg-type]
        frame = num.merge(den[["region_code", "year", "value"]].rename(
            columns={"value": "denominator"}), on=["region_code", "year"], how="left")
    spec = spec_for(ind.numerator.table, ind.numerator.measure)
    info = areas.set_index("code")
    results, covered = [], []
    for level in ind.levels:
        parent_level = LEVELS[level][1]
        present = set(frame.loc[frame["region_level"] == level, "region_code"])
        cov = coverage(ind, level, areas, present, spec.by_municipality)
        complete = set(cov.loc[cov["status"] == COMPLETE, "municipality_code"])
        members = areas[(areas["level"] == level) & areas["municipality_code"].isin(complete)]
        for period_key, rows in frame.groupby("period_key"):
            national = _national(ind, rows)
            year = int(str(period_key)[:4])
            at = rows.set_index("region_code")
            child = pd.DataFrame({"region_code": members["code"].to_numpy()})
            parents = sorted(set(members["parent_code"]))
            part = pd.concat([child, pd.DataFrame({"region_code": parents})], ignore_index=True)
            part["level"] = [level] * len(child) + [parent_level] * len(parents)
            for column in ("numerator", "denominator"):
                part[column] = part["region_code"].map(at[column])
            part["row_present"] = part["region_code"].map(at["row_present"]).fillna(False)
            part["inhabitants"] = part["region_code"].map(info["inhabitants"])
            part = _values(ind, part)
            is_child = (part["level"] == level).to_numpy()
            shown_parent = part[~is_child & ~part["own_small"] & ~part["cbs_small"]]
            parent_value = dict(zip(shown_parent["region_code"], shown_parent["value"],
                                    strict=True))
            g = part[is_child].reset_index(drop=True)
            g["parent_code"] = g["region_code"].map(info["parent_code"])
            g["municipality_code"] = g["region_code"].map(info["municipality_code"])
            hidden = (g["own_small"] | g["cbs_small"]).to_numpy(bool, copy=True)
            if ind.kind in method.KINDS_WITH_LIMITS:
                published = g["parent_code"].isin(list(parent_value)).to_numpy()
                hidden = hidden | complementary(g["parent_code"], hidden, g["numerator"],
                                                published)
            g["suppressed"] = hidden
            g["status_label"] = [CBS_LABEL if c else LABEL if h else None
                                 for c, h in zip(g["cbs_small"], hidden, strict=True)]
            g["national_value"] = national
            g["index"] = method.index(g["value"], national)
            g["log_ratio"] = method.log_ratio(g["value"], national)
            g["parent_value"] = g["parent_code"].map(parent_value)
            g["parent_index"] = method.index(g["value"], g["parent_value"])
            shown = ~hidden & g["value"].notna().to_numpy()
            g = significance(ind, g, national, shown)
            g.loc[hidden, HIDDEN + ["parent_index"]] = np.nan
            g["period_key"], g["year"] = period_key, year
            results.append(g)
            counts = g.assign(
                n_value=shown, n_small=hidden,
                n_missing=~shown & ~hidden).groupby("municipality_code")[
                ["n_value", "n_small", "n_missing"]].sum()
            covered.append(cov.merge(counts, left_on="municipality_code", right_index=True,
                                     how="left").fillna({"n_value": 0, "n_small": 0,
                                                         "n_missing": 0}))
    out = pd.concat(results, ignore_index=True) if results else pd.DataFrame(
        columns=AREA_RESULT_COLUMNS)
    out["category"] = out["category"].astype(object).where(out["category"].notna(), None)
    out["indicator"], out["theme"], out["unit"] = ind.id, theme.id, ind.unit
    cov_out = pd.concat(covered, ignore_index=True).drop_duplicates(
        ["indicator", "level", "municipality_code"], keep="last") if covered else \
        pd.DataFrame(columns=COVERAGE_COLUMNS)
    return out[AREA_RESULT_COLUMNS], cov_out[COVERAGE_COLUMNS]


def materialise_area_results(con: duckdb.DuckDBPyConnection) -> None:
    areas = con.execute("SELECT * FROM areas").df()
    results, covered = [], []
    for theme in themes():
        for ind in theme.area_indicators:
            if not all(is_loaded(s) for s in ind.sources):
                continue
            for source in ind.sources:
                check_source(ind, source)
            result, cov = compute_area_indicator(con, theme, ind, areas)
            results.append(result)
            covered.append(cov)
    frame = pd.concat(results, ignore_index=True) if results else pd.DataFrame(
        columns=AREA_RESULT_COLUMNS)
    cov_frame = pd.concat(covered, ignore_index=True) if covered else pd.DataFrame(
        columns=COVERAGE_COLUMNS)
    for name, data in (("area_results", frame), ("area_coverage", cov_frame)):
        con.register("_frame", data)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
        con.unregister("_frame")
