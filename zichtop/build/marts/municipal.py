"""Marts of the method.

`results`: one row per indicator, region (municipality, province, RIEC region, country) and
period: value, counts, national value, index, log ratio, funnel limits, category, funnel z-score,
small-number flag and its reason, coverage, peer value and index, rank and year-over-year change.
`indicator_status`: one row per declared indicator (available or why not, coverage).
`composites`: one row per theme and municipality: combined-pattern score, its make-up and how
stable its rank is under other weights. `peers`: one row per municipality and statistical
neighbour (zichtop/build/peers.py).

The rules (docs/method.md states each with a worked example):
- a municipality's figure is hidden ("te klein") under the one small-number rule
  (zichtop/method/privacy.py), or "te klein (CBS)" where CBS left a count empty below its threshold;
- a region, province or national figure is summed over the members whose own figure is shown,
  and published only when those hold at least 95% of the members' inhabitants (members without
  any row count as missing); otherwise it is "onvolledig (x% van de inwoners)";
- the national reference of the index is over every municipality with a figure and is rounded
  to a step that keeps any hidden count from being read back (statistics.national_step);
- significance: exact funnel limits widened for over-dispersion and CBS rounding; no test where
  fewer than 20 municipalities expect 5 or more events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from zichtop.build import peers
from zichtop.build.crosswalk import APPROXIMATE
from zichtop.build.input_checks import check_not_above_denominator
from zichtop.core.codes import NATIONAL_CODE
from zichtop.indicators.catalog import spec_for
from zichtop.indicators.model import INHABITANTS, MEAN, RATE, Indicator, Source, Theme
from zichtop.indicators.registry import check_source, is_loaded, themes
from zichtop.method import statistics
from zichtop.method.privacy import CBS_LABEL, LABEL, MIN_NUMERATOR, is_suppressed

RESULT_COLUMNS = [
    "indicator", "theme", "region_code", "level", "period_key", "year", "value", "numerator",
    "denominator", "national_value", "index", "log_ratio", "lower95", "upper95", "lower998",
    "upper998", "overdispersion", "category", "z", "suppressed", "status_label", "note",
    "peer_value", "peer_index", "peers_shown", "rank", "prev_index", "index_change", "yoy_flag",
    "boundary_status", "missing_share", "coverage", "incomplete", "unit",
]
ABOVE = ("hoger", "significant hoger")
MIN_COVERAGE = 0.95  # an aggregate is published when shown members hold 95% of inhabitants
MIN_PEERS_SHOWN = 5  # a peer value needs at least 5 of the 15 neighbours with a shown figure
Z_CAP = 5.0  # one indicator counts at most this much in a composite
# hidden together with a suppressed or incomplete figure: nothing that lets anyone recompute it
HIDDEN = ["value", "numerator", "denominator", "index", "log_ratio", "lower95", "upper95",
          "lower998", "upper998", "category", "z", "peer_value", "peer_index", "rank"]


@dataclass(frozen=True)
class Context:
    """What every indicator's computation shares: the municipalities, their regions,
    inhabitants per year and the nearest-neighbour matrix."""

    codes: list[str]
    members: pd.DataFrame  # index code: province_code, riec_code
    inhabitants: pd.DataFrame  # index code, columns years
    peer_matrix: np.ndarray

    @cached_property
    def groups(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per aggregate level (PV, RE, NL): its region codes, sorted, and each municipality's
        position among them."""
        out = {}
        for level, keys in (("PV", self.members["province_code"]),
                            ("RE", self.members["riec_code"]),
                            ("NL", pd.Series(NATIONAL_CODE, index=self.members.index))):
            values = keys.reindex(self.codes)
            if values.isna().any():
                raise ValueError(f"municipality {values[values.isna()].index[0]} has no {level}")
            unique, at = np.unique(values.to_numpy(str), return_inverse=True)
            out[level] = (unique.astype(object), at)
        return out

    def inhabitants_in(self, year: int) -> pd.Series:
        years = [int(y) for y in self.inhabitants.columns]
        nearest = min(years, key=lambda y: abs(y - year))
        return self.inhabitants[nearest].reindex(self.codes)


def fetch_source(con: duckdb.DuckDBPyConnection, source: Source, period_type: str) -> pd.DataFrame:
    """Municipal values of a source on 2024 boundaries: region_code, period_key, year, value,
    status, missing_share."""
    if source is INHABITANTS:
        return con.execute("SELECT region_code, year, inhabitants AS value, status, missing_share "
                           "FROM population").df()
    return con.execute(
        """SELECT region_code, period_key, year, value, status, missing_share FROM gm_observations
           WHERE table_id = ? AND measure = ? AND dims = ? AND period_type = ?""",
        [source.table, source.measure, spec_for(source.table, source.measure).dims_key(source.filters),
         period_type]).df()


def national_published(con: duckdb.DuckDBPyConnection, source: Source,
                       period_type: str) -> pd.DataFrame:
    return con.execute(
        """SELECT period_key, value FROM observations WHERE table_id = ? AND measure = ?
           AND dims = ? AND period_type = ? AND region_code = ?""",
        [source.table, source.measure, spec_for(source.table, source.measure).dims_key(source.filters),
         period_type, NATIONAL_CODE]).df()


def indicator_frame(con: duckdb.DuckDBPyConnection, ind: Indicator) -> pd.DataFrame:
    """Numerator and denominator side by side per municipality and period (2024 boundaries).
    Where the numerator was converted 'approximately' (a small former part without a figure),
    the denominator is taken over the same share, so the rate is that of the parts that have one."""
    num = fetch_source(con, ind.numerator, ind.period_type).rename(
        columns={"value": "numerator", "status": "boundary_status"})
    num["row_present"] = True
    if ind.kind == MEAN:
        frame = num.assign(denominator=np.nan)
        if ind.weight is not None:
            weight = fetch_source(con, ind.weight, "JJ")[["region_code", "year", "value"]]
            frame = frame.merge(weight.rename(columns={"value": "weight"}),
                                on=["region_code", "year"], how="left")
        return frame
    den = fetch_source(con, ind.denominator, ind.period_type)  # type: ignore[arg-type]
    on = ["region_code", "year"] if ind.denominator is INHABITANTS else ["region_code", "period_key"]
    den = den[[*on, "value", "missing_share"]].rename(
        columns={"value": "denominator", "missing_share": "den_missing"})
    frame = num.merge(den, on=on, how="left")
    num_known = 1.0 - frame["missing_share"].fillna(0.0)
    den_known = 1.0 - frame["den_missing"].fillna(0.0)
    frame["denominator"] = frame["denominator"] * num_known / den_known
    frame = frame.drop(columns="den_missing")
    # a figure converted from old boundaries but with an unconverted denominator is not usable
    frame.loc[frame["boundary_status"] == "unconverted", ["numerator", "denominator"]] = np.nan
    if ind.kind in statistics.KINDS_WITH_LIMITS:
        check_not_above_denominator(frame, ind.id, ind.numerator.describe(),
                                    ind.denominator.describe())  # type: ignore[union-attr]
    return frame


def _value(ind: Indicator, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    if ind.kind == MEAN:
        return np.asarray(num, float)
    return statistics.rate(num, den, ind.scale)


def _percent(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f}".replace(".", ",") + "%"


def _aggregates(ind: Indicator, ctx: Context, g: dict[str, np.ndarray], shown: np.ndarray,
                year: int, national: float) -> dict[str, np.ndarray]:
    """Province, RIEC region and country from the members whose figure is shown: one row per
    region, as arrays (region_code, value, numerator, denominator, coverage, level)."""
    inhabitants = ctx.inhabitants_in(year).to_numpy(float)
    value = g["value"]
    parts: dict[str, list[np.ndarray]] = {c: [] for c in (
        "region_code", "value", "numerator", "denominator", "coverage", "level")}
    for level, (keys, at) in ctx.groups.items():
        size = len(keys)

        def total(x: np.ndarray, at: np.ndarray = at, size: int = size) -> np.ndarray:
            # as a group-by sum: unknown values count as nothing
            return np.bincount(at, weights=np.nan_to_num(x, nan=0.0), minlength=size)

        if ind.kind == MEAN:
            weight = g["weight"] if ind.weight is not None else inhabitants
            use = shown & ~np.isnan(weight) if ind.weight is not None else shown
            w = total(np.where(use, weight, 0.0))
            covered_sum = total(np.where(use, inhabitants, 0.0))
            with np.errstate(invalid="ignore", divide="ignore"):
                agg_value = np.where(w > 0, total(np.where(use, value * weight, 0.0)) / w,
                                     np.nan)
            agg_num = agg_den = np.full(size, np.nan)
        else:
            covered_sum = total(np.where(shown, inhabitants, 0.0))
            agg_num = total(np.where(shown, g["numerator"], 0.0))
            agg_den = total(np.where(shown, g["denominator"], 0.0))
            agg_value = statistics.rate(agg_num, agg_den, ind.scale)
        coverage = covered_sum / total(inhabitants)
        if level == "NL" and ind.kind == MEAN and not np.isnan(national):
            agg_value, coverage = np.full(size, national), np.ones(size)  # CBS's own average
        for column, values in (("region_code", keys), ("value", agg_value),
                               ("numerator", agg_num), ("denominator", agg_den),
                               ("coverage", coverage), ("level", np.full(size, level, object))):
            parts[column].append(np.asarray(values))
    return {c: np.concatenate(v) for c, v in parts.items()}


def _peer_values(ind: Indicator, ctx: Context, g: dict[str, np.ndarray], shown: np.ndarray,
                 year: int) -> tuple[np.ndarray, np.ndarray]:
    m = ctx.peer_matrix
    count = m @ shown.astype(float)
    value = g["value"]
    if ind.kind == MEAN:
        weight = g["weight"] if ind.weight is not None \
            else ctx.inhabitants_in(year).to_numpy(float)
        use = shown & ~np.isnan(weight)
        with np.errstate(invalid="ignore", divide="ignore"):
            peer = (m @ np.where(use, value * weight, 0.0)) / (m @ np.where(use, weight, 0.0))
    else:
        num, den = g["numerator"], g["denominator"]
        peer = statistics.rate(m @ np.where(shown, num, 0.0), m @ np.where(shown, den, 0.0),
                           ind.scale)
    peer = np.where(count >= MIN_PEERS_SHOWN, peer, np.nan)
    return peer, count


def funnel(ind: Indicator, num: np.ndarray, den: np.ndarray, known: np.ndarray,
           national: float, municipal: np.ndarray) -> dict[str, np.ndarray]:
    """Significance of each area's count against the national value: z-score, category,
    limits in the indicator's unit and the over-dispersion factor (estimated over the
    `municipal` rows); "geen toets" where no test can be made."""
    n = len(num)
    none = np.full(n, np.nan)
    rounding = ind.numerator.rounding
    if ind.kind not in statistics.KINDS_WITH_LIMITS or np.isnan(national):
        return {"category": np.full(n, statistics.NO_TEST, dtype=object), "overdispersion": none,
                "lower95": none, "upper95": none, "lower998": none, "upper998": none, "z": none}
    expected, variance = statistics.expected_and_variance(ind.kind, den, national, ind.scale)
    phi = statistics.overdispersion(num[municipal], expected[municipal], variance[municipal])
    z = statistics.z_scores(num, expected, variance, phi or 1.0, rounding)
    if phi is None:
        category = np.full(n, None, dtype=object)
        category[known] = statistics.NO_TEST
        return {"category": category,
                "overdispersion": none, "lower95": none, "upper95": none, "lower998": none,
                "upper998": none, "z": z}
    exact = statistics.count_limits(ind.kind, den, national, ind.scale)
    limits = statistics.widen(exact, expected, variance, phi, rounding)
    in_unit = statistics.value_limits(ind.kind, limits, den, ind.scale)
    return {"category": statistics.categorise(num, limits), "overdispersion": np.full(n, phi),
            "lower95": in_unit["95"][0], "upper95": in_unit["95"][1],
            "lower998": in_unit["998"][0], "upper998": in_unit["998"][1], "z": z}


def _national(ind: Indicator, g: dict[str, np.ndarray], published: pd.DataFrame | None,
              period_key: str) -> float:
    num, den = g["numerator"], g["denominator"]
    if ind.kind == MEAN:
        assert published is not None
        row = published[published["period_key"] == period_key]
        if len(row):
            return float(row["value"].iloc[0])
        if ind.weight is None:
            return np.nan
        # no national row (a StatLine extract): the mean weighted by its declared weight
        weight = g["weight"]
        known = ~np.isnan(num) & ~np.isnan(weight)
        total = weight[known].sum()
        return float((num[known] * weight[known]).sum() / total) if total > 0 else np.nan
    reference = statistics.national_rate(num, den, ind.scale)
    if ind.kind not in statistics.KINDS_WITH_LIMITS:
        return reference
    known = ~np.isnan(num) & ~np.isnan(den)
    step = statistics.national_step(float(den[known].sum()), ind.scale, MIN_NUMERATOR)
    return float(np.round(reference / step) * step) if step > 0 else reference


def compute_indicator(con: duckdb.DuckDBPyConnection, theme: Theme, ind: Indicator,
                      ctx: Context) -> pd.DataFrame:
    """One indicator for every municipality, region and period: the municipal rows laid out
    as a period x municipality grid once, then each period's method on plain arrays."""
    frame = indicator_frame(con, ind).drop_duplicates(["period_key", "region_code"])
    published = national_published(con, ind.numerator, ind.period_type) if ind.kind == MEAN \
        else None
    at = pd.Index(ctx.codes).get_indexer(frame["region_code"])
    frame = frame[at >= 0]
    keys, when = np.unique(frame["period_key"].to_numpy(str), return_inverse=True)
    where = (when, at[at >= 0])

    def grid(column: str, fill: object = np.nan, dtype: type = float) -> np.ndarray:
        out: np.ndarray = np.full((len(keys), len(ctx.codes)), fill,  # type: ignore[call-overload]
                                  dtype=dtype)
        if column in frame:
            out[where] = frame[column].to_numpy()
        return out

    numerators, denominators, weights = grid("numerator"), grid("denominator"), grid("weight")
    missing, present = grid("missing_share"), grid("row_present", False, bool)
    statuses = grid("boundary_status", np.nan, object)
    codes = np.asarray(ctx.codes, dtype=object)
    counted = ind.kind in statistics.KINDS_WITH_LIMITS
    parts = []
    for p, period_key in enumerate(keys):
        num, den = numerators[p], denominators[p]
        value = _value(ind, num, den)
        known = ~np.isnan(value)
        if not known.any():
            continue  # e.g. counts without a denominator for that year: nothing to show
        year = int(str(period_key)[:4])
        cbs_small = np.zeros(len(codes), bool)
        if ind.numerator.empty_below_cbs_threshold:
            cbs_small = present[p] & np.isnan(num) & (statuses[p] != "unconverted")
            if ind.kind != RATE:
                cbs_small &= ~np.isnan(den)
        own_small = np.broadcast_to(is_suppressed(num if counted else np.nan,
                                                  den if ind.kind != MEAN else np.nan),
                                    (len(codes),)) & known
        suppressed = own_small | cbs_small
        shown = known & ~suppressed
        g = {"value": value, "numerator": num, "denominator": den, "weight": weights[p]}
        national = _national(ind, g, published, str(period_key))
        peer_value, peers_shown = _peer_values(ind, ctx, g, shown, year)
        labels = np.full(len(codes), None, dtype=object)
        labels[own_small] = LABEL
        labels[cbs_small] = CBS_LABEL
        aggregates = _aggregates(ind, ctx, g, shown, year, national)
        n_agg = len(aggregates["region_code"])
        none = np.full(n_agg, np.nan)
        both = {
            "region_code": np.concatenate([codes, aggregates["region_code"]]),
            "level": np.concatenate([np.full(len(codes), "GM", object), aggregates["level"]]),
            "value": np.concatenate([value, aggregates["value"]]),
            "numerator": np.concatenate([num, aggregates["numerator"]]),
            "denominator": np.concatenate([den, aggregates["denominator"]]),
            "coverage": np.concatenate([np.ones(len(codes)), aggregates["coverage"]]),
            "boundary_status": np.concatenate([statuses[p], np.full(n_agg, "aggregated",
                                                                    object)]),
            "missing_share": np.concatenate([missing[p], none]),
            "suppressed": np.concatenate([suppressed, np.zeros(n_agg, bool)]),
            "status_label": np.concatenate([labels, np.full(n_agg, None, object)]),
            "peer_value": np.concatenate([peer_value, none]),
            "peers_shown": np.concatenate([peers_shown, none]),
            "rank": np.concatenate([_rank(value, shown, ind.higher_is_risk is False), none]),
        }
        size = len(both["value"])
        municipal = both["level"] == "GM"
        both["national_value"] = np.full(size, national)
        both["index"] = statistics.index(both["value"], national)
        both["log_ratio"] = statistics.log_ratio(both["value"], national)
        both["peer_index"] = statistics.index(both["value"], both["peer_value"])
        both.update(funnel(ind, both["numerator"], both["denominator"],
                           ~np.isnan(both["value"]), national, municipal))
        incomplete = ~municipal & (both["coverage"] < MIN_COVERAGE)
        both["incomplete"] = incomplete
        both["status_label"][incomplete] = [f"onvolledig ({_percent(c)} van de inwoners)"
                                            for c in both["coverage"][incomplete]]
        hide = incomplete | both["suppressed"]
        for column in HIDDEN:
            blank: object = None if both[column].dtype == object else np.nan
            both[column] = np.where(hide, blank, both[column])  # type: ignore[call-overload]
        both["period_key"] = np.full(size, period_key, dtype=object)
        parts.append(both)
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    out = pd.DataFrame({c: np.concatenate([part[c] for part in parts]) for c in parts[0]})
    approximate = out["boundary_status"] == APPROXIMATE
    out["note"] = None
    out.loc[approximate, "note"] = [f"bij benadering: {_percent(m, 1)} zonder cijfer"
                                    for m in out.loc[approximate, "missing_share"]]
    out.loc[~approximate, "missing_share"] = np.nan
    out["category"] = out["category"].astype(object).where(out["category"].notna(), None)
    out["indicator"], out["theme"], out["unit"] = ind.id, theme.id, ind.unit
    out["year"] = out["period_key"].str[:4].astype(int)
    return _year_over_year(out, ind)[RESULT_COLUMNS]


def _rank(value: np.ndarray, shown: np.ndarray, ascending: bool) -> np.ndarray:
    """Rank among the shown municipalities, ties sharing the lowest rank (1 = the highest
    value, or the lowest where a lower value is the risk); NaN where not shown."""
    ordered = np.sort(value[shown])
    rank = np.searchsorted(ordered, value, side="left") + 1.0 if ascending else \
        len(ordered) - np.searchsorted(ordered, value, side="right") + 1.0
    return np.where(shown, rank, np.nan)


def _year_over_year(out: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Change against the previous period; never across a declared series break."""
    out = out.sort_values(["region_code", "period_key"]).reset_index(drop=True)
    previous = out.groupby("region_code")[["index", "category", "year"]].shift(1)
    crosses = np.zeros(len(out), bool)
    for b in ind.breaks:
        crosses |= (previous["year"] < b.year).to_numpy() & (out["year"] >= b.year).to_numpy()
    previous.loc[crosses, ["index", "category"]] = np.nan
    out["prev_index"] = previous["index"]
    out["index_change"] = out["index"] - out["prev_index"]
    out["yoy_flag"] = statistics.yoy_flags(previous["category"], out["category"])
    return out


def composites(results: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Per theme and municipality: weighted mean of the parts' funnel z-scores (over-dispersion
    and rounding adjusted, zeros included, capped at +-5), each indicator at its latest period;
    indicators without counts use their standardised log ratio. A part that is higher than
    expected always adds to the score. With the rank under 1,000 random weightings."""
    rows = []
    gm = results[results["level"] == "GM"]
    for theme in themes():
        directional = [i for i in theme.indicators if i.higher_is_risk is not None]
        parts, meta = {}, {}
        for ind in directional:
            r = gm[gm["indicator"] == ind.id]
            if r.empty:
                continue
            latest = r["period_key"].max()
            r = r[r["period_key"] == latest].set_index("region_code")
            sign = 1.0 if ind.higher_is_risk else -1.0
            if ind.kind in statistics.KINDS_WITH_LIMITS:
                z = r["z"].to_numpy(float)
            else:
                z = statistics.standardise(r["log_ratio"].to_numpy(float))
            parts[ind.id] = pd.Series(np.clip(sign * z, -Z_CAP, Z_CAP), index=r.index)
            meta[ind.id] = (latest, r)
        if not parts:
            continue
        codes = sorted(set().union(*(s.index for s in parts.values())))
        aligned = {k: s.reindex(codes).to_numpy(float) for k, s in parts.items()}
        w = {k: (weights or {}).get(k, 1.0) for k in aligned}
        score = statistics.composite(aligned, w)
        matrix = np.column_stack(list(aligned.values()))
        rank, low, high = statistics.rank_ranges(matrix, np.array(list(w.values())))
        # each part's category and log ratio laid out over `codes` once
        categories = {k: [c if isinstance(c, str) else None
                          for c in meta[k][1]["category"].reindex(codes)] for k in aligned}
        ratios = {k: meta[k][1]["log_ratio"].reindex(codes).to_numpy(float) for k in aligned}
        for n, code in enumerate(codes):
            makeup = []
            above = 0
            for k in aligned:
                cat = categories[k][n]
                above += cat in ABOVE
                makeup.append({"indicator": k, "period": meta[k][0], "weight": w[k],
                               "log_ratio": _num(ratios[k][n]),
                               "z": _num(aligned[k][n]), "category": cat})
            rows.append({"theme": theme.id, "region_code": code, "score": _num(score[n]),
                         "n_indicators": int(sum(m["z"] is not None for m in makeup)),
                         "n_above": above, "rank": _num(rank[n]), "rank_low": _num(low[n]),
                         "rank_high": _num(high[n]),
                         "makeup": json.dumps(makeup, ensure_ascii=False, allow_nan=False)})
    return pd.DataFrame(rows)


def _num(x: object) -> float | None:
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else round(f, 4)


def context(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame) -> tuple[Context, pd.DataFrame]:
    gm = regions[regions["level"] == "GM"].set_index("code").sort_index()
    codes = list(gm.index)
    population = con.execute("SELECT region_code, year, inhabitants FROM population").df()
    inhabitants = population.pivot(index="region_code", columns="year", values="inhabitants")
    nearest = peers.nearest(peers.features(con, regions))
    return Context(codes, gm[["province_code", "riec_code"]], inhabitants.reindex(codes),
                   peers.matrix(nearest, codes)), nearest


def materialise_results(con: duckdb.DuckDBPyConnection) -> None:
    regions = con.execute("SELECT * FROM regions").df()
    ctx, nearest = context(con, regions)
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
            result = compute_indicator(con, theme, ind, ctx)
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
    con.register("_results", results)
    con.execute("CREATE OR REPLACE TABLE results AS SELECT * FROM _results")
    con.register("_status", pd.DataFrame(status))
    con.execute("CREATE OR REPLACE TABLE indicator_status AS SELECT * FROM _status")
    con.register("_comp", composites(results))
    con.execute("CREATE OR REPLACE TABLE composites AS SELECT * FROM _comp")
    con.register("_peers", nearest)
    con.execute("CREATE OR REPLACE TABLE peers AS SELECT * FROM _peers")

