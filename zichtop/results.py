"""Mart `results`: one row per indicator, region (municipality, province, RIEC region, country)
and period, with value, counts, national value, index, log ratio, funnel limits, category,
small-number flag, peer index, rank and year-over-year change. Also `indicator_status` (one row
per declared indicator: available or why not, coverage) and `composites` (one row per theme and
municipality: combined-pattern score and its make-up)."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd

from zichtop import method
from zichtop.catalog import TABLES
from zichtop.checks import check_not_above_denominator
from zichtop.privacy import is_suppressed
from zichtop.themes.model import INHABITANTS, MEAN, Indicator, Source, Theme
from zichtop.themes.registry import check_source, is_loaded, themes

RESULT_COLUMNS = [
    "indicator", "theme", "region_code", "level", "period_key", "year", "value", "numerator",
    "denominator", "national_value", "index", "log_ratio", "lower95", "upper95", "lower998",
    "upper998", "overdispersion", "category", "suppressed", "peer_value", "peer_index", "rank", "prev_index",
    "index_change", "yoy_flag", "boundary_status", "coverage", "unit",
]
ABOVE = ("hoger", "significant hoger")


def fetch_source(con: duckdb.DuckDBPyConnection, source: Source, period_type: str) -> pd.DataFrame:
    """Municipal values of a source on 2024 boundaries: region_code, period_key, year, value,
    status."""
    if source is INHABITANTS:
        return con.execute(
            "SELECT region_code, year, inhabitants AS value, status FROM population").df()
    return con.execute(
        """SELECT region_code, period_key, year, value, status FROM gm_observations
           WHERE table_id = ? AND measure = ? AND dims = ? AND period_type = ?""",
        [source.table, source.measure, TABLES[source.table].dims_key(source.filters),
         period_type]).df()


def national_published(con: duckdb.DuckDBPyConnection, source: Source,
                       period_type: str) -> pd.DataFrame:
    return con.execute(
        """SELECT period_key, value FROM observations WHERE table_id = ? AND measure = ?
           AND dims = ? AND period_type = ? AND region_code = 'NL01'""",
        [source.table, source.measure, TABLES[source.table].dims_key(source.filters),
         period_type]).df()


def indicator_frame(con: duckdb.DuckDBPyConnection, ind: Indicator) -> pd.DataFrame:
    """Numerator and denominator side by side per municipality and period (2024 boundaries)."""
    num = fetch_source(con, ind.numerator, ind.period_type).rename(
        columns={"value": "numerator", "status": "boundary_status"})
    if ind.kind == MEAN:
        frame = num.assign(denominator=np.nan)
        if ind.weight is not None:
            weight = fetch_source(con, ind.weight, "JJ")[["region_code", "year", "value"]]
            frame = frame.merge(weight.rename(columns={"value": "weight"}),
                                on=["region_code", "year"], how="left")
        return frame
    den = fetch_source(con, ind.denominator, ind.period_type)  # type: ignore[arg-type]
    on = ["region_code", "year"] if ind.denominator is INHABITANTS else ["region_code", "period_key"]
    den = den[[*on, "value"]].rename(columns={"value": "denominator"})
    frame = num.merge(den, on=on, how="left")
    # a figure converted from old boundaries but with an unconverted denominator is not usable
    frame.loc[frame["boundary_status"] == "unconverted", ["numerator", "denominator"]] = np.nan
    if ind.kind in method.KINDS_WITH_LIMITS:
        check_not_above_denominator(frame, ind.id, ind.numerator.describe(),
                                    ind.denominator.describe())  # type: ignore[union-attr]
    return frame


def _value(ind: Indicator, num: pd.Series, den: pd.Series) -> np.ndarray:
    if ind.kind == MEAN:
        return num.to_numpy(float)
    return method.rate(num, den, ind.scale)


def _aggregate(frame: pd.DataFrame, ind: Indicator, by: str) -> pd.DataFrame:
    """Regional figures from summed counts (or weighted means), never averaged rates."""
    rows = []
    for (code, period_key, year), g in frame.groupby([by, "period_key", "year"]):
        members = len(g)
        if ind.kind == MEAN:
            ok = g["numerator"].notna() & g.get("weight", pd.Series(np.nan, g.index)).notna()
            w = g.loc[ok, "weight"] if "weight" in g else pd.Series(dtype=float)
            value = float((g.loc[ok, "numerator"] * w).sum() / w.sum()) if w.sum() > 0 else np.nan
            num = den = np.nan
        else:
            ok = g["numerator"].notna() & g["denominator"].notna()
            num, den = g.loc[ok, "numerator"].sum(), g.loc[ok, "denominator"].sum()
            value = method.rate(num, den, ind.scale).item() if ok.any() else np.nan
        rows.append({"region_code": code, "period_key": period_key, "year": year,
                     "value": value if ok.any() else np.nan,
                     "numerator": num if ok.any() else np.nan,
                     "denominator": den if ok.any() else np.nan,
                     "coverage": ok.sum() / members, "boundary_status": "aggregated"})
    return pd.DataFrame(rows)


def compute_indicator(con: duckdb.DuckDBPyConnection, theme: Theme, ind: Indicator,
                      regions: pd.DataFrame) -> pd.DataFrame:
    frame = indicator_frame(con, ind)
    gm = regions[regions["level"] == "GM"][["code", "province_code", "riec_code", "urbanity"]]
    frame = frame.merge(gm, left_on="region_code", right_on="code", how="inner")
    published = national_published(con, ind.numerator, ind.period_type) if ind.kind == MEAN \
        else None
    parts = []
    for period_key, g in frame.groupby("period_key"):
        g = g.copy()
        if g["numerator"].notna().sum() == 0:
            continue
        g["value"] = _value(ind, g["numerator"], g["denominator"])
        if g["value"].notna().sum() == 0:
            continue  # e.g. counts without a denominator for that year: nothing to show
        g["coverage"] = 1.0
        g["level"] = "GM"
        if ind.kind == MEAN:
            assert published is not None
            row = published[published["period_key"] == period_key]
            national = float(row["value"].iloc[0]) if len(row) else np.nan
        else:
            national = method.national_rate(g["numerator"], g["denominator"], ind.scale)
        regional = []
        for by, level in (("province_code", "PV"), ("riec_code", "RE")):
            agg = _aggregate(g, ind, by)
            regional.append(agg.assign(level=level))
        nl = _aggregate(g.assign(nl="NL01"), ind, "nl").assign(level="NL")
        if ind.kind == MEAN:
            nl["value"] = national
        both = pd.concat([g, *regional, nl], ignore_index=True)
        both["national_value"] = national
        both["index"] = method.index(both["value"], national)
        both["log_ratio"] = method.log_ratio(both["value"], national)
        if ind.kind in method.KINDS_WITH_LIMITS:
            exact = method.count_limits(ind.kind, both["denominator"], national, ind.scale)
            expected, variance = method.expected_and_variance(ind.kind, both["denominator"],
                                                              national, ind.scale)
            municipal = (both["level"] == "GM").to_numpy()
            phi = method.overdispersion(both["numerator"][municipal], expected[municipal],
                                        variance[municipal])
            limits = method.widen(exact, expected, phi)
            both["overdispersion"] = phi
            both["category"] = method.categorise(both["numerator"], limits, ind.numerator.rounding)
            in_unit = method.value_limits(ind.kind, limits, both["denominator"], ind.scale)
            both["lower95"], both["upper95"] = in_unit["95"]
            both["lower998"], both["upper998"] = in_unit["998"]
        else:
            both["category"] = method.NO_TEST
            both["overdispersion"] = np.nan
            for c in ("lower95", "upper95", "lower998", "upper998"):
                both[c] = np.nan
        # peers: municipalities of the same stedelijkheid class
        peer = {}
        for urb, members in g.groupby("urbanity"):
            if ind.kind == MEAN:
                peer[urb] = float(members["value"].mean())
            else:
                peer[urb] = method.national_rate(members["numerator"], members["denominator"],
                                                 ind.scale)
        both["peer_value"] = both["urbanity"].map(peer)
        both["peer_index"] = method.index(both["value"], both["peer_value"])
        both["period_key"] = period_key
        parts.append(both)
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    suppressed = is_suppressed(
        out["numerator"] if ind.kind in method.KINDS_WITH_LIMITS else np.nan,
        out["denominator"] if ind.kind != MEAN else np.nan)
    suppressed = np.broadcast_to(suppressed, (len(out),)).copy()
    out["suppressed"] = suppressed
    hidden = ["value", "numerator", "denominator", "index", "log_ratio", "lower95", "upper95",
              "lower998", "upper998", "category", "peer_value", "peer_index"]
    out.loc[suppressed, hidden] = np.nan
    out.loc[suppressed, "category"] = None
    out["indicator"], out["theme"], out["unit"] = ind.id, theme.id, ind.unit
    ascending = ind.higher_is_risk is False
    gm_rows = out["level"] == "GM"
    out["rank"] = np.nan
    out.loc[gm_rows, "rank"] = out[gm_rows].groupby("period_key")["value"].rank(
        ascending=ascending, method="min")
    out = out.sort_values(["region_code", "period_key"])
    previous = out.groupby("region_code")[["index", "category"]].shift(1)
    out["prev_index"] = previous["index"]
    out["index_change"] = out["index"] - out["prev_index"]
    out["yoy_flag"] = [method.yoy_flag(a, b) for a, b in zip(previous["category"],
                                                             out["category"], strict=True)]
    out["year"] = out["period_key"].str[:4].astype(int)
    return out[RESULT_COLUMNS]


def composites(results: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Per theme and municipality: mean of standardised log ratios (risk direction), each
    indicator at its latest period; equal weights unless given. The make-up is kept as JSON."""
    rows = []
    gm = results[results["level"] == "GM"]
    for theme in themes():
        directional = [i for i in theme.indicators if i.higher_is_risk is not None]
        z, meta = {}, {}
        for ind in directional:
            r = gm[gm["indicator"] == ind.id]
            if r.empty:
                continue
            latest = r["period_key"].max()
            r = r[r["period_key"] == latest].set_index("region_code")
            sign = 1.0 if ind.higher_is_risk else -1.0
            z[ind.id] = pd.Series(method.standardise(sign * r["log_ratio"].to_numpy(float)),
                                  index=r.index)
            meta[ind.id] = (latest, r)
        if not z:
            continue
        codes = sorted(set().union(*(s.index for s in z.values())))
        aligned = {k: s.reindex(codes).to_numpy(float) for k, s in z.items()}
        w = {k: (weights or {}).get(k, 1.0) for k in aligned}
        score = method.composite(aligned, w)
        for n, code in enumerate(codes):
            makeup = []
            above = 0
            for k in aligned:
                latest, r = meta[k]
                cat = r["category"].get(code) if code in r.index else None
                above += cat in ABOVE
                makeup.append({"indicator": k, "period": latest, "weight": w[k],
                               "log_ratio": _num(r["log_ratio"].get(code)),
                               "z": _num(aligned[k][n]), "category": cat})
            rows.append({"theme": theme.id, "region_code": code, "score": _num(score[n]),
                         "n_indicators": int(sum(m["z"] is not None for m in makeup)),
                         "n_above": above, "makeup": json.dumps(makeup, ensure_ascii=False)})
    return pd.DataFrame(rows)


def _num(x: object) -> float | None:
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else round(f, 4)


def materialise_results(con: duckdb.DuckDBPyConnection) -> None:
    regions = con.execute("SELECT * FROM regions").df()
    urbanity = regions.set_index("code")["urbanity"]
    parts, status = [], []
    for theme in themes():
        for ind in theme.indicators:
            missing = [s.table for s in ind.sources if not is_loaded(s)]
            if missing:
                status.append({"indicator": ind.id, "theme": theme.id, "available": False,
                               "reason": "niet in de geladen gegevens (tabel "
                                         f"{', '.join(missing)})",
                               "latest_period": None, "coverage_latest": 0,
                               "source": ind.numerator.describe()})
                continue
            for source in ind.sources:
                check_source(ind, source)
            result = compute_indicator(con, theme, ind, regions)
            gm = result[result["level"] == "GM"]
            latest = gm["period_key"].max() if len(gm) else None
            covered = int(gm[(gm["period_key"] == latest) &
                             (gm["value"].notna() | gm["suppressed"])].shape[0]) if latest else 0
            status.append({"indicator": ind.id, "theme": theme.id, "available": latest is not None,
                           "reason": "" if latest else "geen cijfers in de geladen gegevens",
                           "latest_period": latest, "coverage_latest": covered,
                           "source": ind.numerator.describe()})
            parts.append(result)
    results = pd.concat(parts, ignore_index=True)
    results["peer_group"] = results["region_code"].map(urbanity)
    con.register("_results", results)
    con.execute("CREATE TABLE results AS SELECT * FROM _results")
    con.register("_status", pd.DataFrame(status))
    con.execute("CREATE TABLE indicator_status AS SELECT * FROM _status")
    con.register("_comp", composites(results))
    con.execute("CREATE TABLE composites AS SELECT * FROM _comp")
