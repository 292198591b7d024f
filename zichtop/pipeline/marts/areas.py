"""Marts of the method for areas below the municipality (wijken, buurten).

`area_results`: one row per area indicator, area and period; `area_coverage`: one row per area
indicator, level and municipality: whether the loaded data hold that municipality's areas
("volledig"), not ("niet geladen": a cut table), or CBS delivers none ("geen cijfers"). The
columns and rules: zichtop/method/areas.py, which computes them on frames; this module reads
the staged rows and writes the results back.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zichtop.indicators.catalog import spec_for
from zichtop.indicators.model import Indicator, Source
from zichtop.indicators.registry import check_source, is_loaded, themes
from zichtop.method import areas as method
from zichtop.method.areas import AREA_RESULT_COLUMNS, COVERAGE_COLUMNS
from zichtop.method.kinds import kind_of


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


def area_frame(con: duckdb.DuckDBPyConnection, ind: Indicator) -> pd.DataFrame:
    """Numerator and denominator side by side per area and period, at every level: the rows
    zichtop/method/areas.py takes."""
    num = source_rows(con, ind.numerator, ind.period_type).rename(columns={"value": "numerator"})
    num["row_present"] = True
    if not kind_of(ind).has_denominator:
        return num.assign(denominator=np.nan)
    den = source_rows(con, ind.denominator)  # type: ignore[arg-type]
    return num.merge(den[["region_code", "year", "value"]].rename(
        columns={"value": "denominator"}), on=["region_code", "year"], how="left")


def compute_area_indicator(con: duckdb.DuckDBPyConnection, theme_id: str, ind: Indicator,
                           areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One area indicator's results: its rows read from the store, the method applied."""
    by_municipality = spec_for(ind.numerator.table, ind.numerator.measure).by_municipality
    return method.compute(area_frame(con, ind), ind, areas, theme_id, by_municipality)


def materialise_area_results(con: duckdb.DuckDBPyConnection) -> None:
    areas = con.execute("SELECT * FROM areas").df()
    results, covered, computed = [], [], []
    for theme in themes():
        for ind in theme.area_indicators:
            if not all(is_loaded(s) for s in ind.sources):
                continue
            for source in ind.sources:
                check_source(ind, source)
            result, cov = compute_area_indicator(con, theme.id, ind, areas)
            results.append(result)
            covered.append(cov)
            computed.append(ind)
    frame = pd.concat(results, ignore_index=True) if results else pd.DataFrame(
        columns=AREA_RESULT_COLUMNS)
    cov_frame = pd.concat(covered, ignore_index=True) if covered else pd.DataFrame(
        columns=COVERAGE_COLUMNS)
    frame, cov_frame = method.hide_shared_counts(frame, cov_frame, computed)
    for name, data in (("area_results", frame), ("area_coverage", cov_frame)):
        con.register("_frame", data)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
        con.unregister("_frame")
