"""Marts of the method for municipalities and their regions.

`results`: one row per indicator, region (municipality, province, RIEC region, country) and
period (the columns and rules: zichtop/method/municipal.py, which computes them on frames).
`comparisons`: one row per indicator, municipality, period and reference other than the
country (RIEC region, province, size class, statistical neighbours): the reference's value and
coverage, index, limits and category against it (municipal.comparisons).
`indicator_status`: one row per declared indicator (available or why not, coverage).
`composites`: one row per theme and municipality (zichtop/method/composites.py). `peers`: one
row per municipality and statistical neighbour (zichtop/pipeline/peers.py).

This module only reads the staged tables into frames and writes the results back.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from zichtop.core.codes import NATIONAL_CODE
from zichtop.indicators.catalog import spec_for
from zichtop.indicators.model import INHABITANTS, Indicator, Source
from zichtop.indicators.registry import check_source, is_loaded, themes
from zichtop.method import municipal
from zichtop.method.composites import composites
from zichtop.method.kinds import kind_of
from zichtop.method.municipalities import Municipalities
from zichtop.pipeline import peers
from zichtop.pipeline.input_checks import check_not_above_denominator

# the references every municipality's figure is also compared with (the country is in `results`)
OTHER_REFERENCES = ("regio", "provincie", "grootte", "buren")


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


def interval_sources(source: Source) -> dict[str, Source | None]:
    """The sources of CBS's 95% interval of an estimate (the same measure, another member of
    its interval dimension), or None where the source has none."""
    return {bound: None if getattr(source, bound) is None else replace(
        source, filters={**source.filters, source.interval_dimension: getattr(source, bound)})
        for bound in ("lower", "upper")}


def regional_published(con: duckdb.DuckDBPyConnection, source: Source,
                       period_type: str) -> pd.DataFrame:
    """CBS's own figures of the country, the provinces and the RIEC regions (politie-eenheden)
    with their interval: region_code, period_key, value, lower, upper."""
    def rows(src: Source) -> pd.DataFrame:
        return con.execute(
            """SELECT region_code, period_key, value FROM observations WHERE table_id = ?
               AND measure = ? AND dims = ? AND period_type = ? AND region_level IN
               ('NL', 'PV', 'RE')""",
            [src.table, src.measure, spec_for(src.table, src.measure).dims_key(src.filters),
             period_type]).df()

    out = rows(source)
    for bound, src in interval_sources(source).items():
        found = rows(src) if src is not None else out[["region_code", "period_key"]].assign(
            value=np.nan)
        out = out.merge(found.rename(columns={"value": bound}),
                        on=["region_code", "period_key"], how="left")
    return out


def indicator_frame(con: duckdb.DuckDBPyConnection, ind: Indicator) -> pd.DataFrame:
    """Numerator and denominator side by side per municipality and period (2024 boundaries):
    the rows zichtop/method/municipal.py takes. Where the numerator was converted
    'approximately' (a small former part without a figure), the denominator is taken over the
    same share, so the rate is that of the parts that have one."""
    kind = kind_of(ind)
    num = fetch_source(con, ind.numerator, ind.period_type).rename(
        columns={"value": "numerator", "status": "boundary_status"})
    num["row_present"] = True
    for bound, source in interval_sources(ind.numerator).items():  # CBS's 95% interval
        if source is not None:
            rows = fetch_source(con, source, ind.period_type)
            num = num.merge(rows[["region_code", "period_key", "value"]].rename(
                columns={"value": bound}), on=["region_code", "period_key"], how="left")
    if not kind.has_denominator:
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
    if kind.counted:
        check_not_above_denominator(frame, ind.id, ind.numerator.describe(),
                                    ind.denominator.describe())  # type: ignore[union-attr]
    return frame


def compute_indicator(con: duckdb.DuckDBPyConnection, theme_id: str, ind: Indicator,
                      area: Municipalities) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One indicator's results against the country and its comparisons with the other
    references (OTHER_REFERENCES): its rows read from the store once, the method applied."""
    kind = kind_of(ind)
    published = None if kind.has_denominator else \
        national_published(con, ind.numerator, ind.period_type) if kind.pools else \
        regional_published(con, ind.numerator, ind.period_type)
    rows = indicator_frame(con, ind)
    return (municipal.compute(rows, ind, area, theme_id, published),
            municipal.comparisons(rows, ind, area, OTHER_REFERENCES, published))


def context(con: duckdb.DuckDBPyConnection,
            regions: pd.DataFrame) -> tuple[Municipalities, pd.DataFrame]:
    """The municipalities, their regions, inhabitants and neighbours, as the method takes them."""
    gm = regions[regions["level"] == "GM"].set_index("code").sort_index()
    codes = list(gm.index)
    population = con.execute("SELECT region_code, year, inhabitants FROM population").df()
    inhabitants = population.pivot(index="region_code", columns="year", values="inhabitants")
    nearest = peers.nearest(peers.features(con, regions))
    return Municipalities(codes, gm[["province_code", "riec_code", "size_class"]],
                          inhabitants.reindex(codes),
                   peers.matrix(nearest, codes)), nearest


def materialise_results(con: duckdb.DuckDBPyConnection) -> None:
    regions = con.execute("SELECT * FROM regions").df()
    ctx, nearest = context(con, regions)
    parts, status, compared = [], [], []
    for theme in themes():
        for ind in theme.indicators:
            missing = [s.table for s in ind.sources if not is_loaded(s)]
            if missing:
                status.append({"indicator": ind.id, "theme": theme.id, "available": False,
                               "reason": "niet beschikbaar in deze installatie (CBS-tabel "
                                         f"{', '.join(missing)})",
                               "latest_period": None, "coverage_latest": 0,
                               "source": ind.numerator.describe()})
                continue
            for source in ind.sources:
                check_source(ind, source)
            result, comparisons = compute_indicator(con, theme.id, ind, ctx)
            compared.append(comparisons)
            gm = result[result["level"] == "GM"]
            latest = gm["period_key"].max() if len(gm) else None
            covered = int(gm[(gm["period_key"] == latest) &
                             (gm["value"].notna() | gm["suppressed"])].shape[0]) if latest else 0
            status.append({"indicator": ind.id, "theme": theme.id, "available": latest is not None,
                           "reason": "" if latest else "geen cijfers in deze installatie",
                           "latest_period": latest, "coverage_latest": covered,
                           "source": ind.numerator.describe()})
            parts.append(result)
    results = pd.concat(parts, ignore_index=True)
    con.register("_results", results)
    con.execute("CREATE OR REPLACE TABLE results AS SELECT * FROM _results")
    con.register("_comparisons", pd.concat(compared, ignore_index=True))
    con.execute("CREATE OR REPLACE TABLE comparisons AS SELECT * FROM _comparisons")
    con.register("_status", pd.DataFrame(status))
    con.execute("CREATE OR REPLACE TABLE indicator_status AS SELECT * FROM _status")
    con.register("_comp", composites(results))
    con.execute("CREATE OR REPLACE TABLE composites AS SELECT * FROM _comp")
    con.register("_peers", nearest)
    con.execute("CREATE OR REPLACE TABLE peers AS SELECT * FROM _peers")

