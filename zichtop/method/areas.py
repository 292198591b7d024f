"""The method for areas below the municipality (wijken, buurten), on frames in hand.

`compute(rows, indicator, areas, theme_id, by_municipality)` takes one indicator's rows at every
level (region_code, region_level, period_key, numerator, denominator) and the area dimension,
and returns the rows of `area_results` and `area_coverage` (columns AREA_RESULT_COLUMNS,
COVERAGE_COLUMNS): value, the index against the country (references/national.py) and against
the parent area (references/parent.py), funnel limits and category, small-number flag.

The same method as for municipalities (zichtop/method/municipal.py, docs/method.md): figures
formed by their kind (zichtop/method/kinds/); the one small-number rule plus CBS's own empty
counts and the complementary suppression (zichtop/method/privacy.py); the national reference is
CBS's national row where the table has one, else the sum over all municipalities, rounded so no
hidden count can be read back; significance from funnel limits widened for over-dispersion
(estimated over the areas of the level) and CBS rounding. A municipality whose areas are only
partly in a cut table is never shown: it is "niet geladen".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zichtop.core.areas import COMPLETE, NOT_DELIVERED, NOT_LOADED, REASONS
from zichtop.indicators.model import Indicator
from zichtop.method import statistics
from zichtop.method.hookspecs import Figures
from zichtop.method.kinds import kind_of
from zichtop.method.privacy import CBS_LABEL, HIDDEN, LABEL, complementary
from zichtop.method.references import NATIONAL, Parent

AREA_RESULT_COLUMNS = [
    "indicator", "theme", "level", "region_code", "parent_code", "municipality_code",
    "period_key", "year", "value", "numerator", "denominator", "national_value", "index",
    "log_ratio", "parent_value", "parent_index", "lower95", "upper95", "lower998", "upper998",
    "overdispersion", "category", "z", "parent_category", "suppressed", "status_label", "unit",
]
COVERAGE_COLUMNS = ["indicator", "level", "municipality_code", "status", "n_areas", "n_value",
                    "n_small", "n_missing", "reason"]
# the columns of the rows a caller hands in
ROW_COLUMNS = ["region_code", "region_level", "period_key", "numerator", "denominator"]


def _values(ind: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """value, and which figures are hidden (own rule, CBS's empty counts)."""
    kind = kind_of(ind)
    num, den = frame["numerator"].to_numpy(float), frame["denominator"].to_numpy(float)
    value = kind.value(num, den, ind.scale)
    frame = frame.assign(value=value)
    # a figure on a base under the threshold is hidden, also where the base is 0 (a business
    # park without inhabitants): its count must not be stored either
    known = ~np.isnan(value) | (~np.isnan(num) if kind.counted else np.zeros(len(frame), bool))
    own = np.asarray(kind.hidden(num, den, frame["inhabitants"].to_numpy(float)), bool) & known
    cbs = np.zeros(len(frame), bool)
    if ind.numerator.empty_below_cbs_threshold:
        cbs = frame["row_present"].to_numpy(bool) & np.isnan(num)
        if kind.cbs_empty_needs_base:
            cbs &= ~np.isnan(den)
    return frame.assign(own_small=own, cbs_small=cbs)


def _national(ind: Indicator, rows: pd.DataFrame) -> float:
    """The country (references/national.py) from CBS's national row where the table has one,
    else from the municipalities; a mean's is CBS's national average or none."""
    kind = kind_of(ind)
    nl = rows[rows["region_level"] == "NL"]
    has_nl = len(nl) > 0 and nl["numerator"].notna().any()
    published = float(nl["numerator"].iloc[0]) if has_nl else np.nan
    if has_nl and nl["denominator"].notna().any():
        use = nl.iloc[:1]
    else:
        use = rows[(rows["region_level"] == "GM") & rows["numerator"].notna()
                   & rows["denominator"].notna()]
    num, den = use["numerator"].to_numpy(float), use["denominator"].to_numpy(float)
    figures = Figures(value=kind.value(num, den, ind.scale), numerator=num, denominator=den,
                      weight=np.full(len(use), np.nan), shown=np.ones(len(use), bool),
                      scale=ind.scale, published=published)
    value, _ = NATIONAL.values(kind, figures)
    return float(value[0]) if len(value) else published


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




def compute(frame: pd.DataFrame, ind: Indicator, areas: pd.DataFrame, theme_id: str,
            by_municipality: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One area indicator at each of its levels. `frame`: its rows at every level
    (ROW_COLUMNS; `row_present` where the table has the row); `areas`: the area dimension
    (zichtop/core/areas.py AREA_COLUMNS); `by_municipality`: the table was cut by municipality,
    so a municipality with only part of its areas is "niet geladen"."""
    if frame.empty:  # the table was not part of this build (`zichtop build` of some tables)
        return pd.DataFrame(columns=AREA_RESULT_COLUMNS), pd.DataFrame(columns=COVERAGE_COLUMNS)
    kind = kind_of(ind)
    national_rows = frame[frame["region_level"].isin(["NL", "GM"])]
    nationals = {pk: _national(ind, national_rows[national_rows["period_key"] == pk])
                 for pk in frame["period_key"].unique()}
    periods = pd.DataFrame({"period_key": sorted(nationals)})
    results, covered = [], []
    # the final hidden flags of the level above (with its complementary suppression): a parent
    # hidden there is hidden here too, and so are its children
    above: pd.Series | None = None
    for level in ind.levels:
        present = frame.loc[frame["region_level"] == level, "region_code"].unique()
        cov = coverage(ind, level, areas, present, by_municipality)
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
        # the parent of each row (a wijk's municipality, a buurt's wijk) within the grid
        parent_rows = pd.Series(np.flatnonzero(~grid["is_child"].to_numpy()))
        parent_key = pd.MultiIndex.from_frame(grid.loc[~grid["is_child"],
                                                       ["region_code", "period_key"]])
        at = parent_key.get_indexer(pd.MultiIndex.from_frame(grid[["parent_code", "period_key"]]))
        parent = Parent(np.where(at >= 0, parent_rows.reindex(at).to_numpy(), -1).astype(int))
        hidden_all = (grid["own_small"] | grid["cbs_small"]).to_numpy(bool, copy=True)
        child = grid["is_child"].to_numpy(bool)
        if above is not None:
            keys = pd.MultiIndex.from_frame(grid[["region_code", "period_key"]])
            hidden_above = above.reindex(keys).fillna(False).to_numpy(bool)
            hidden_all |= ~child & hidden_above
        # the areas of a hidden area are hidden too: their shown figures would add up to it
        parent_hidden = np.where(parent.at >= 0, hidden_all[np.maximum(parent.at, 0)], False)
        hidden_all |= child & parent_hidden
        num_all = grid["numerator"].to_numpy(float)
        den_all = grid["denominator"].to_numpy(float)
        parent_value, parent_shown = parent.values(kind, Figures(
            value=grid["value"].to_numpy(float), numerator=num_all, denominator=den_all,
            weight=np.full(len(grid), np.nan), shown=~hidden_all, scale=ind.scale))
        g = grid[child].drop(columns="is_child").assign(
            parent_value=parent_value[child]).reset_index(drop=True)
        hidden = hidden_all[child].copy()
        if kind.counted:
            published = parent_shown[child] > 0
            groups = g.groupby(["period_key", "parent_code"], sort=False, dropna=False).ngroup()
            hidden = hidden | complementary(groups, hidden, g["numerator"], published)
        g["suppressed"], g["level"] = hidden, level
        above = pd.Series(hidden, index=pd.MultiIndex.from_frame(g[["region_code",
                                                                    "period_key"]]))
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
        value = g["value"].to_numpy(float)
        tested: dict[str, np.ndarray] = {}
        for period_key, rows in g.groupby("period_key").indices.items():
            figures = Figures(value=value[rows], numerator=num[rows], denominator=den[rows],
                              weight=np.full(len(rows), np.nan), shown=shown[rows],
                              scale=ind.scale)
            reference = np.full(len(rows), nationals[period_key])
            for column, values in kind.test(figures, reference, ind.numerator.rounding,
                                            shown[rows]).items():
                if column not in tested:
                    tested[column] = np.full(len(g), None, dtype=object) \
                        if values.dtype == object else np.full(len(g), np.nan)
                tested[column][rows] = values
            # the same test against the area's own parent (a wijk against its municipality)
            against_parent = kind.test(figures, g["parent_value"].to_numpy(float)[rows],
                                       ind.numerator.rounding, shown[rows])["category"]
            tested.setdefault("parent_category", np.full(len(g), None, dtype=object))
            tested["parent_category"][rows] = against_parent
        g = g.assign(**tested)
        for column in [c for c in [*HIDDEN, "parent_index", "parent_category"] if c in g]:
            g[column] = g[column].mask(hidden)
        g["year"] = g["period_key"].map({k: int(str(k)[:4]) for k in nationals}).astype(int)
        results.append(g.sort_values("period_key", kind="stable"))  # period by period
        covered.append(cov)
    out = pd.concat(results, ignore_index=True) if results else pd.DataFrame(
        columns=AREA_RESULT_COLUMNS)
    for column in ("category", "parent_category"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    out["indicator"], out["theme"], out["unit"] = ind.id, theme_id, ind.unit
    cov_out = pd.concat(covered, ignore_index=True) if covered else \
        pd.DataFrame(columns=COVERAGE_COLUMNS)
    return out[AREA_RESULT_COLUMNS], _recount(out, cov_out)


def hide_shared_counts(results: pd.DataFrame, coverage: pd.DataFrame,
                       indicators: list[Indicator]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One count, one fate: indicators that share a numerator (pgb clients per 1 000
    inhabitants and as a share of Wmo clients) hide the same areas, or the count hidden in one
    follows from the other (the shown share times the shown Wmo count). An area hidden in one is
    hidden in all; the complementary suppression then runs again on each, until nothing
    changes. `results`, `coverage`: area_results and area_coverage of every indicator."""
    by_count: dict[tuple, list[Indicator]] = {}
    for ind in indicators:
        source = ind.numerator
        by_count.setdefault((source.table, source.measure, tuple(sorted(source.filters.items()))),
                            []).append(ind)
    shared = [group for group in by_count.values() if len(group) > 1]
    if not shared or results.empty:
        return results, coverage
    out = results.copy()
    key = ["level", "region_code", "period_key"]
    counts = out["numerator"].copy()  # of shown rows: what complementary suppression weighs
    newly = np.zeros(len(out), bool)
    changed = True
    while changed:
        changed = False
        for group in shared:
            ids = [ind.id for ind in group]
            rows = out["indicator"].isin(ids)
            hidden_any = out[rows].groupby(key)["suppressed"].transform("any")
            extra = rows & ~out["suppressed"] & hidden_any.reindex(out.index, fill_value=False)
            for ind in group:
                mine = (out["indicator"] == ind.id).to_numpy()
                if not kind_of(ind).counted:
                    continue
                part = out[mine]
                hidden = (part["suppressed"] | extra[mine]).to_numpy(bool)
                groups = part.groupby(["level", "period_key", "parent_code"], sort=False,
                                      dropna=False).ngroup()
                more = complementary(groups, hidden, counts[mine].where(~hidden),
                                     part["parent_value"].notna().to_numpy())
                extra.loc[part.index[more]] = True
            if extra.any():
                out.loc[extra, "suppressed"] = True
                newly |= extra.to_numpy(bool)
                changed = True
    if newly.any():
        for column in [c for c in [*HIDDEN, "parent_index", "parent_category"] if c in out]:
            out[column] = out[column].mask(newly)
        out.loc[newly, "status_label"] = LABEL
        coverage = _recount(out, coverage)
    return out, coverage


def _recount(results: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """area_coverage's counts of shown, hidden and missing areas in each indicator's latest
    period, again from the results."""
    latest = results.groupby("indicator")["period_key"].transform("max") == results["period_key"]
    r = results[latest]
    shown = r["value"].notna() & ~r["suppressed"]
    counts = pd.DataFrame({"indicator": r["indicator"], "level": r["level"],
                           "municipality_code": r["municipality_code"], "n_value": shown,
                           "n_small": r["suppressed"].astype(bool),
                           "n_missing": ~shown & ~r["suppressed"].astype(bool)}).groupby(
        ["indicator", "level", "municipality_code"]).sum()
    merged = coverage.drop(columns=["n_value", "n_small", "n_missing"], errors="ignore").merge(
        counts, left_on=["indicator", "level", "municipality_code"], right_index=True,
        how="left").fillna({"n_value": 0, "n_small": 0, "n_missing": 0})
    return merged[COVERAGE_COLUMNS]
