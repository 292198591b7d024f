"""The method for municipalities and the regions they make up, on frames in hand.

`compute(rows, indicator, municipalities, published)` takes one indicator's rows (area, period,
numerator, denominator, weight, status) and returns one row per municipality, province, RIEC
region and the country per period (columns RESULT_COLUMNS): value, index against the country,
funnel limits and category, peer comparison, rank, year-over-year change; a hidden figure is
NULL with `suppressed` and its reason. No database: the build's marts (zichtop/pipeline/marts/)
and any other caller use this same entry point.

The rules (docs/method.md states each with a worked example):
- a municipality's figure is hidden ("te klein") under the one small-number rule
  (zichtop/method/privacy.py) as its kind applies it, or "te klein (CBS)" where CBS left a
  count empty below its threshold;
- a region, province or national total is pooled over the members whose own figure is shown,
  and published only when those hold at least 95% of the members' inhabitants; otherwise it is
  "onvolledig (x% van de inwoners)";
- the reference of the index is the country (zichtop/method/references/national.py), and the
  statistical neighbours for the peer index (references/neighbours.py);
- significance: zichtop/method/significance.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zichtop.core.codes import NATIONAL_CODE
from zichtop.indicators.model import Indicator
from zichtop.method import statistics
from zichtop.method.hookspecs import Figures, Kind
from zichtop.method.kinds import estimate, kind_of
from zichtop.method.municipalities import Municipalities
from zichtop.method.privacy import CBS_LABEL, HIDDEN, LABEL
from zichtop.method.references import NATIONAL, reference_for

RESULT_COLUMNS = [
    "indicator", "theme", "region_code", "level", "period_key", "year", "value", "numerator",
    "denominator", "national_value", "index", "log_ratio", "lower95", "upper95", "lower998",
    "upper998", "overdispersion", "category", "z", "suppressed", "status_label", "note",
    "peer_value", "peer_index", "peers_shown", "rank", "prev_index", "index_change", "yoy_flag",
    "boundary_status", "missing_share", "coverage", "incomplete", "unit",
    "estimate_lower", "estimate_upper",
]
# the columns of the rows a caller hands in (`weight` only for a mean with a declared weight;
# `lower` and `upper` only for an estimate with CBS's interval)
ROW_COLUMNS = ["region_code", "period_key", "numerator", "denominator", "weight",
               "missing_share", "row_present", "boundary_status", "lower", "upper"]
MIN_COVERAGE = 0.95  # an aggregate is published when shown members hold 95% of inhabitants
APPROXIMATE = "approximate"  # a figure converted to 2024 boundaries with parts missing


def _percent(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f}".replace(".", ",") + "%"


def _aggregates(ind: Indicator, area: Municipalities, figures: Figures, inhabitants: np.ndarray,
                national: float) -> dict[str, np.ndarray]:
    """Province, RIEC region and country pooled over the members whose figure is shown: one
    row per region, as arrays (region_code, value, numerator, denominator, coverage, level)."""
    kind = kind_of(ind)
    used = figures.shown & (~np.isnan(figures.weight) if not kind.has_denominator else True)
    parts: dict[str, list[np.ndarray]] = {c: [] for c in (
        "region_code", "value", "numerator", "denominator", "coverage", "level")}
    known_inhabitants = np.nan_to_num(inhabitants, nan=0.0)
    for level, (keys, matrix) in area.groups.items():
        value, num, den = kind.pool(matrix * figures.shown[None, :], figures.numerator,
                                    figures.denominator, figures.weight, figures.scale)
        coverage = (matrix @ np.where(used, known_inhabitants, 0.0)) / (matrix @ known_inhabitants)
        if level == "NL" and not kind.has_denominator and not np.isnan(national):
            value, coverage = np.full(len(keys), national), np.ones(len(keys))  # CBS's average
        for column, values in (("region_code", keys), ("value", value), ("numerator", num),
                               ("denominator", den), ("coverage", coverage),
                               ("level", np.full(len(keys), level, object))):
            parts[column].append(np.asarray(values))
    return {c: np.concatenate(v) for c, v in parts.items()}


def _published_aggregates(area: Municipalities, published: pd.DataFrame | None,
                          period_key: str) -> dict[str, np.ndarray]:
    """Province, RIEC region and country as CBS published them (a kind that does not pool: a
    survey estimate): value and interval per region, coverage 1 (CBS's own figure)."""
    rows = published[published["period_key"] == period_key].set_index("region_code") \
        if published is not None and "region_code" in published else pd.DataFrame()
    parts: dict[str, list[np.ndarray]] = {c: [] for c in (
        "region_code", "value", "numerator", "denominator", "coverage", "level", "lower",
        "upper")}
    for level, (keys, _) in area.groups.items():
        found = rows.reindex(list(keys))
        none = np.full(len(keys), np.nan)
        for column, values in (
                ("region_code", keys), ("value", found.get("value", none)),
                ("numerator", none), ("denominator", none), ("coverage", np.ones(len(keys))),
                ("level", np.full(len(keys), level, object)),
                ("lower", found.get("lower", none)), ("upper", found.get("upper", none))):
            parts[column].append(np.asarray(values, dtype=object if column in (
                "region_code", "level") else float))
    return {c: np.concatenate(v) for c, v in parts.items()}


def _national_figures(published: pd.DataFrame | None, period_key: str) -> dict[str, float]:
    """CBS's own national figure of this period and its interval, where the caller handed
    them in (else NaN)."""
    out = dict.fromkeys(("value", "lower", "upper"), float("nan"))
    if published is None:
        return out
    row = published[published["period_key"] == period_key]
    if "region_code" in row:
        row = row[row["region_code"] == NATIONAL_CODE]
    for column in out:
        if len(row) and column in row:
            out[column] = float(row[column].iloc[0])
    return out


def _grid(rows: pd.DataFrame,
          codes: list[str]) -> tuple[np.ndarray, Callable[..., np.ndarray]]:
    """The rows laid out as a period x municipality grid: the sorted period keys and a function
    giving one column of the rows on that grid."""
    at = pd.Index(codes).get_indexer(rows["region_code"])
    rows = rows[at >= 0]
    keys, when = np.unique(rows["period_key"].to_numpy(str), return_inverse=True)
    where = (when, at[at >= 0])

    def grid(column: str, fill: object = np.nan, dtype: type = float) -> np.ndarray:
        out: np.ndarray = np.full((len(keys), len(codes)), fill,  # type: ignore[call-overload]
                                  dtype=dtype)
        if column in rows:
            out[where] = rows[column].to_numpy()
        return out

    return keys, grid


@dataclass(frozen=True)
class Period:
    """One period of one indicator for the municipalities (arrays in the order of their codes):
    its figures and why some are hidden."""

    key: str
    figures: Figures
    inhabitants: np.ndarray
    own_small: np.ndarray  # hidden under our small-number rule
    cbs_small: np.ndarray  # left empty by CBS below its threshold
    statuses: np.ndarray  # boundary conversion status
    missing: np.ndarray  # share without a figure, where converted approximately


def periods(rows: pd.DataFrame, ind: Indicator, area: Municipalities,
            published: pd.DataFrame | None = None) -> Iterator[Period]:
    """The indicator's rows (ROW_COLUMNS) period by period, with the small-number rule applied;
    periods without any figure are skipped."""
    kind = kind_of(ind)
    rows = rows.drop_duplicates(["period_key", "region_code"])
    keys, grid = _grid(rows, area.codes)
    numerators, denominators, weights = grid("numerator"), grid("denominator"), grid("weight")
    lower, upper = grid("lower"), grid("upper")  # CBS's interval of an estimate, else empty
    missing, present = grid("missing_share"), grid("row_present", False, bool)
    statuses = grid("boundary_status", np.nan, object)
    n = len(area.codes)
    for p, period_key in enumerate(keys):
        num, den = numerators[p], denominators[p]
        value = kind.value(num, den, ind.scale)
        known = ~np.isnan(value)
        if not known.any():
            continue  # e.g. counts without a denominator for that year: nothing to show
        inhabitants = area.inhabitants_in(int(str(period_key)[:4]))
        cbs_small = np.zeros(n, bool)
        if ind.numerator.empty_below_cbs_threshold:
            cbs_small = present[p] & np.isnan(num) & (statuses[p] != "unconverted")
            if kind.cbs_empty_needs_base:
                cbs_small &= ~np.isnan(den)
        own_small = np.asarray(kind.hidden(num, den, inhabitants), bool) & known
        shown = known & ~(own_small | cbs_small)
        cbs = _national_figures(published, str(period_key))
        figures = Figures(value=value, numerator=num, denominator=den,
                          weight=weights[p] if ind.weight is not None else inhabitants,
                          shown=shown, scale=ind.scale, lower=lower[p], upper=upper[p],
                          published=cbs["value"], published_lower=cbs["lower"],
                          published_upper=cbs["upper"])
        yield Period(str(period_key), figures, inhabitants, own_small, cbs_small, statuses[p],
                     missing[p])


COMPARISON_COLUMNS = [
    "indicator", "region_code", "period_key", "reference", "reference_value", "members_shown",
    "reference_coverage", "index", "log_ratio", "lower95", "upper95", "lower998", "upper998",
    "category", "z",
]


def comparisons(rows: pd.DataFrame, ind: Indicator, area: Municipalities,
                reference_names: Sequence[str],
                published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each municipality's figure against other references than the country (one row per
    municipality, period and reference: COMPARISON_COLUMNS): the reference's value, how many
    members with a shown figure made it and which share of the members' inhabitants they hold,
    and the index, funnel limits and category against it. A hidden figure has none of these."""
    kind = kind_of(ind)
    codes = np.asarray(area.codes, dtype=object)
    n = len(codes)
    parts = []
    for period in periods(rows, ind, area, published):
        f = period.figures
        known_inhabitants = np.nan_to_num(period.inhabitants, nan=0.0)
        for name in reference_names:
            reference = reference_for(name, area)
            value, shown_members = reference.values(kind, f)
            matrix = _membership(reference, n)
            coverage = (matrix @ np.where(f.shown, known_inhabitants, 0.0)) / \
                (matrix @ known_inhabitants) if matrix is not None else np.ones(n)
            tested = kind.test(f, value, ind.numerator.rounding, np.ones(n, bool))
            out = {"region_code": codes, "period_key": np.full(n, period.key, object),
                   "reference": np.full(n, name, object), "reference_value": value,
                   "members_shown": shown_members, "reference_coverage": coverage,
                   "index": statistics.index(f.value, value),
                   "log_ratio": statistics.log_ratio(f.value, value), **tested}
            hide = ~f.shown  # as in `results`: a hidden figure is compared with nothing
            for column in ("reference_value", "members_shown", "reference_coverage", "index",
                           "log_ratio", "lower95", "upper95", "lower998", "upper998",
                           "category", "z"):
                column_values = np.asarray(out[column])
                blank: object = None if column_values.dtype == object else np.nan
                out[column] = np.where(hide, blank, column_values)  # type: ignore[call-overload]
            parts.append(out)
    if not parts:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    frame = pd.DataFrame({c: np.concatenate([np.asarray(part[c]) for part in parts])
                          for c in parts[0] if c != "overdispersion"})
    frame["category"] = frame["category"].astype(object).where(frame["category"].notna(), None)
    frame["indicator"] = ind.id
    return frame[COMPARISON_COLUMNS]


def _membership(reference: object, n: int) -> np.ndarray | None:
    """Which municipalities make each one's reference (rows), where the reference says so."""
    matrix = getattr(reference, "matrix", None)
    return None if matrix is None or np.shape(matrix) != (n, n) else np.asarray(matrix)


def compute(rows: pd.DataFrame, ind: Indicator, area: Municipalities, theme_id: str,
            published: pd.DataFrame | None = None, reference_name: str = "nl") -> pd.DataFrame:
    """One indicator for every municipality, region and period, from its rows (ROW_COLUMNS;
    municipalities on 2024 boundaries). `published`: CBS's national figures (period_key, value),
    used as the country's reference where the kind takes it (a mean). `reference_name`: what
    each figure is compared with (zichtop/method/references: REFERENCES); its value is stored
    as `national_value`, and the regions' totals are compared with it where it is the same for
    every municipality. Other references for the same rows: `comparisons`."""
    kind = kind_of(ind)
    reference = reference_for(reference_name, area)
    codes = np.asarray(area.codes, dtype=object)
    n = len(codes)
    parts = []
    for period in periods(rows, ind, area, published):
        figures, inhabitants = period.figures, period.inhabitants
        value, num, den, shown = figures.value, figures.numerator, figures.denominator, \
            figures.shown
        own_small, cbs_small = period.own_small, period.cbs_small
        suppressed = own_small | cbs_small
        period_key = period.key
        lower = figures.lower if figures.lower is not None else np.full(n, np.nan)
        upper = figures.upper if figures.upper is not None else np.full(n, np.nan)
        national = float(NATIONAL.values(kind, figures)[0][0])
        compared, _ = reference.values(kind, figures)
        peer_value, peers_shown = area.neighbours.values(kind, figures)
        labels = np.full(n, None, dtype=object)
        labels[own_small] = LABEL
        labels[cbs_small] = CBS_LABEL
        aggregates = _aggregates(ind, area, figures, inhabitants, national) if kind.pools \
            else _published_aggregates(area, published, period_key)
        n_agg = len(aggregates["region_code"])
        regional_lower = aggregates.get("lower", np.full(n_agg, np.nan))
        regional_upper = aggregates.get("upper", np.full(n_agg, np.nan))
        none = np.full(n_agg, np.nan)
        both = {
            "region_code": np.concatenate([codes, aggregates["region_code"]]),
            "level": np.concatenate([np.full(n, "GM", object), aggregates["level"]]),
            "value": np.concatenate([value, aggregates["value"]]),
            "numerator": np.concatenate([num, aggregates["numerator"]]),
            "denominator": np.concatenate([den, aggregates["denominator"]]),
            "coverage": np.concatenate([np.ones(n), aggregates["coverage"]]),
            "boundary_status": np.concatenate([period.statuses, np.full(n_agg, "aggregated",
                                                                          object)]),
            "missing_share": np.concatenate([period.missing, none]),
            "suppressed": np.concatenate([suppressed, np.zeros(n_agg, bool)]),
            "status_label": np.concatenate([labels, np.full(n_agg, None, object)]),
            "peer_value": np.concatenate([peer_value, none]),
            "peers_shown": np.concatenate([peers_shown, none]),
            "rank": np.concatenate([_rank(value, shown, ind.higher_is_risk is False), none]),
        }
        size = len(both["value"])
        municipal = both["level"] == "GM"
        regions_compared = compared[0] if reference.uniform else np.nan
        both["national_value"] = np.concatenate([compared, np.full(n_agg, regions_compared)])
        both["index"] = statistics.index(both["value"], both["national_value"])
        both["log_ratio"] = statistics.log_ratio(both["value"], both["national_value"])
        both["peer_index"] = statistics.index(both["value"], both["peer_value"])
        tested = Figures(value=both["value"], numerator=both["numerator"],
                         denominator=both["denominator"], weight=np.full(size, np.nan),
                         shown=~both["suppressed"], scale=ind.scale,
                         lower=np.concatenate([lower, regional_lower]),
                         upper=np.concatenate([upper, regional_upper]),
                         published_lower=figures.published_lower,
                         published_upper=figures.published_upper)
        both.update(kind.test(tested, both["national_value"], ind.numerator.rounding,
                              municipal))
        both["estimate_lower"] = np.asarray(tested.lower, float)
        both["estimate_upper"] = np.asarray(tested.upper, float)
        incomplete = ~municipal & (both["coverage"] < MIN_COVERAGE)
        both["incomplete"] = incomplete
        both["status_label"][incomplete] = [f"onvolledig ({statistics.whole_percent_down(c)}% "
                                            "van de inwoners)"
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
    out["indicator"], out["theme"], out["unit"] = ind.id, theme_id, ind.unit
    out["year"] = out["period_key"].str[:4].astype(int)
    return _year_over_year(out, ind, kind)[RESULT_COLUMNS]


def _rank(value: np.ndarray, shown: np.ndarray, ascending: bool) -> np.ndarray:
    """Rank among the shown municipalities, ties sharing the lowest rank (1 = the highest
    value, or the lowest where a lower value is the risk); NaN where not shown."""
    ordered = np.sort(value[shown])
    rank = np.searchsorted(ordered, value, side="left") + 1.0 if ascending else \
        len(ordered) - np.searchsorted(ordered, value, side="right") + 1.0
    return np.where(shown, rank, np.nan)


def _year_over_year(out: pd.DataFrame, ind: Indicator, kind: Kind) -> pd.DataFrame:
    """Change against the previous period; never across a declared series break. A survey
    estimate's change is flagged only where the two estimates differ by the same test as
    against the reference (their intervals), not where a category changed."""
    out = out.sort_values(["region_code", "period_key"]).reset_index(drop=True)
    previous = out.groupby("region_code")[["index", "category", "year", "value",
                                           "estimate_lower", "estimate_upper"]].shift(1)
    crosses = np.zeros(len(out), bool)
    for b in ind.breaks:
        crosses |= (previous["year"] < b.year).to_numpy() & (out["year"] >= b.year).to_numpy()
    previous.loc[crosses, ["index", "category"]] = np.nan
    out["prev_index"] = previous["index"]
    out["index_change"] = out["index"] - out["prev_index"]
    out["yoy_flag"] = statistics.yoy_flags(previous["category"], out["category"])
    if not kind.pools:  # an estimate: significant change between the two surveys
        z = estimate.difference_z(out["value"], out["estimate_lower"], out["estimate_upper"],
                                  previous["value"], previous["estimate_lower"],
                                  previous["estimate_upper"])
        out["yoy_flag"] = np.nan_to_num(np.abs(z), nan=0.0) > estimate.Z95 + estimate.TIE
        out.loc[crosses, "yoy_flag"] = False
    return out
