"""Marts of the method for areas below the municipality (wijken, buurten).

`area_results`: one row per area indicator, area and period: value, counts, the national value
and index, the parent's value (a wijk's municipality, a buurt's wijk) and the index against it,
funnel limits, category and z-score, small-number flag and its reason.
`area_coverage`: one row per area indicator, level and municipality: whether the loaded data
hold that municipality's areas ("volledig"), not ("niet geladen": a cut table), or CBS delivers
none ("geen cijfers"), with counts of areas with a value, "te klein" and no figure.

The same method as for municipalities (zichtop/build/marts/municipal.py, docs/method.md): rates from counts
and a stated denominator; the one small-number rule (zichtop/method/privacy.py) plus CBS's own empty
counts; the national reference is CBS's national row where the table has one, else the sum over
all municipalities, rounded so no hidden count can be read back; significance from funnel
limits widened for over-dispersion (estimated over the areas of the level) and CBS rounding.
A municipality whose areas are only partly in a cut table is never shown: it is "niet geladen".
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zichtop.build.marts.municipal import HIDDEN, funnel
from zichtop.core.areas import COMPLETE, NOT_DELIVERED, NOT_LOADED, REASONS
from zichtop.indicators.catalog import spec_for
from zichtop.indicators.model import MEAN, RATE, Indicator, Source, Theme
from zichtop.indicators.registry import check_source, is_loaded, themes
from zichtop.method import statistics
from zichtop.method.privacy import CBS_LABEL, LABEL, MIN_NUMERATOR, complementary, is_suppressed

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
    value = num if ind.kind == MEAN else statistics.rate(num, den, ind.scale)
    frame = frame.assign(value=value)
    counted = ind.kind in statistics.KINDS_WITH_LIMITS
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
    rounded to the step that keeps hidden counts hidden (statistics.national_step)."""
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
    step = statistics.national_step(den, ind.scale, MIN_NUMERATOR)
    return float(np.round(reference / step) * step) if step > 0 else reference


def coverage(ind: Indicator, level: str, areas: pd.DataFrame, present: set[str],
             by_municipality: bool) -> pd.DataFrame:
    """Per municipality: are its areas of this level in the loaded table?"""
    below = areas[areas["level"] == level]
    found = below.assign(found=below["code"].isin(present)).groupby("municipality_code")[
        "found"].agg(["all", "any", "size"])
    status = np.where(found["all"], COMPLETE,
                      NOT_LOADED if by_municipality else
                      np.where(found["any"], COMPLETE, NOT_DELIVERED))
    return pd.DataFrame({"indicator": ind.id, "level": level,
                         "municipality_code": found.index, "status": status,
                         "n_areas": found["size"].to_numpy(),
                         "reason": [REASONS[s] for s in status]})


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
    if frame.empty:  # the table was not part of this build (`zichtop build` of some tables)
        return pd.DataFrame(columns=AREA_RESULT_COLUMNS), pd.DataFrame(columns=COVERAGE_COLUMNS)
    spec = spec_for(ind.numerator.table, ind.numerator.measure)
    national_rows = frame[frame["region_level"].isin(["NL", "GM"])]
    nationals = {pk: _national(ind, national_rows[national_rows["period_key"] == pk])
                 for pk in frame["period_key"].unique()}
    periods = pd.DataFrame({"period_key": sorted(nationals)})
    counted = ind.kind in statistics.KINDS_WITH_LIMITS
    results, covered = [], []
    for level in ind.levels:
        present = frame.loc[frame["region_level"] == level, "region_code"].unique()
        cov = coverage(ind, level, areas, present, spec.by_municipality)
        complete = set(cov.loc[cov["status"] == COMPLETE, "municipality_code"])
        columns = ["code", "parent_code", "municipality_code", "inhabitants"]
        members = areas.loc[(areas["level"] == level) & areas["municipality_code"].isin(
            complete), columns]
        parents = areas.loc[areas["code"].isin(members["parent_code"].unique()), columns]
        # every area of the level (and its parent) in every period, all periods at once
        grid = pd.concat([members.assign(is_child=True), parents.assign(is_child=False)],
                         ignore_index=True).rename(columns={"code": "region_code"})
        grid = grid.merge(periods, how="cross").merge(
            frame[["region_code", "period_key", "numerator", "denominator", "row_present"]],
            on=["region_code", "period_key"], how="left")
        grid["row_present"] = grid["row_present"].astype("boolean").fillna(False).astype(bool)
        grid = _values(ind, grid)
        shown_parents = grid.loc[~grid["is_child"] & ~grid["own_small"] & ~grid["cbs_small"],
                                 ["region_code", "period_key", "value"]].rename(
            columns={"region_code": "parent_code", "value": "parent_value"})
        g = grid[grid["is_child"]].drop(columns="is_child").merge(
            shown_parents.assign(parent_shown=True), on=["parent_code", "period_key"],
            how="left").reset_index(drop=True)
        hidden = (g["own_small"] | g["cbs_small"]).to_numpy(bool, copy=True)
        if counted:
            published = g["parent_shown"].astype("boolean").fillna(False).to_numpy(bool)
            groups = g.groupby(["period_key", "parent_code"], sort=False, dropna=False).ngroup()
            hidden = hidden | complementary(groups, hidden, g["numerator"], published)
        g["suppressed"], g["level"] = hidden, level
        labels = np.full(len(g), None, dtype=object)
        labels[hidden] = LABEL
        labels[g["cbs_small"].to_numpy(bool)] = CBS_LABEL
        g["status_label"] = labels
        g["national_value"] = g["period_key"].map(nationals).astype(float)
        g["index"] = statistics.index(g["value"], g["national_value"])
        g["log_ratio"] = statistics.log_ratio(g["value"], g["national_value"])
        g["parent_index"] = statistics.index(g["value"], g["parent_value"])
        shown = ~hidden & g["value"].notna().to_numpy()
        # significance per period (the over-dispersion is estimated per period), on arrays
        num, den = g["numerator"].to_numpy(float), g["denominator"].to_numpy(float)
        known = g["value"].notna().to_numpy()
        tested: dict[str, np.ndarray] = {}
        for period_key, at in g.groupby("period_key").indices.items():
            for column, values in funnel(ind, num[at], den[at], known[at], nationals[period_key],
                                         shown[at]).items():
                if column not in tested:
                    tested[column] = np.full(len(g), None, dtype=object) \
                        if values.dtype == object else np.full(len(g), np.nan)
                tested[column][at] = values
        g = g.assign(**tested)
        for column in [c for c in [*HIDDEN, "parent_index"] if c in g]:
            g[column] = g[column].mask(hidden)
        g["year"] = g["period_key"].map({k: int(str(k)[:4]) for k in nationals}).astype(int)
        results.append(g.sort_values("period_key", kind="stable"))  # period by period
        latest = (g["period_key"] == periods["period_key"].iloc[-1]).to_numpy()
        counts = pd.DataFrame({"municipality_code": g["municipality_code"][latest],
                               "n_value": shown[latest], "n_small": hidden[latest],
                               "n_missing": ~shown[latest] & ~hidden[latest]}).groupby(
            "municipality_code").sum()
        covered.append(cov.merge(counts, left_on="municipality_code", right_index=True,
                                 how="left").fillna({"n_value": 0, "n_small": 0,
                                                     "n_missing": 0}))
    out = pd.concat(results, ignore_index=True) if results else pd.DataFrame(
        columns=AREA_RESULT_COLUMNS)
    out["category"] = out["category"].astype(object).where(out["category"].notna(), None)
    out["indicator"], out["theme"], out["unit"] = ind.id, theme.id, ind.unit
    cov_out = pd.concat(covered, ignore_index=True) if covered else \
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
