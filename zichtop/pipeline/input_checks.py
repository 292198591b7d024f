"""Input sanity checks of the build, as Our World in Data's etl checks its steps: an impossible
number or a control character stops the build with a message that names the table, column,
region and period, and the previous database stays as it was (the build writes a temporary file).

Rules (docs/operations.md lists them with their tests):
- text:        no control characters (NUL, newline, ...) in any cell or column name;
- finite:      every number is finite;
- non-negative: counts, averages and shares are not negative;
- share:       a share lies within 0-100;
- plausible:   no value lies above its measure's plausible maximum (declared once per measure
               in the catalog: counts, denominators and rates by their kind, averages each);
- denominator: a count is not above its denominator where it counts members of it
               (an indicator of kind rate or share);
- jump:        inhabitants, and every other denominator an indicator divides by, change by at
               most 50% from one year to the next on 2024 boundaries (a dwelling stock, a number
               of Wmo clients or a housing stock does not halve or grow by half in a year).
"""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd

from zichtop.core.errors import ValueProblem
from zichtop.indicators.catalog import SHARE as SHARE_MEASURE
from zichtop.indicators.catalog import TableSpec

CONTROL = r"[\x00-\x1f\x7f]"
MAX_JUMP = 0.5


def _where(row: pd.Series | dict, region: str = "region_code", period: str = "period_key") -> str:
    return f"region {row.get(region)}, period {row.get(period)}"


def check_text(table_id: str, origin: str, frame: pd.DataFrame) -> None:
    """No control characters in the raw table (they would forge log lines or break exports)."""
    for column in frame.columns:
        if pd.Series([str(column)]).str.contains(CONTROL, regex=True).iloc[0]:
            raise ValueProblem(f"table {table_id} ({origin}): column name {str(column)!r} holds "
                               "a control character")
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values):
            continue
        text = values.astype(str)
        # one search over the whole column first (fast); the row only when something is found
        if not re.search(CONTROL, " ".join(text.tolist())):
            continue
        bad = text.str.contains(CONTROL, regex=True)
        if bad.any():
            first = bad.to_numpy().nonzero()[0][0]
            raise ValueProblem(f"table {table_id} ({origin}), column {column}: row {first + 1} "
                               f"holds a control character ({str(values.iloc[first])[:40]!r})")


def check_observations(frame: pd.DataFrame, spec: TableSpec) -> None:
    """`check_staged` on observations in hand (measure, region_code, period_key, value)."""
    con = duckdb.connect()
    try:
        con.register("_frame", frame)
        con.execute("CREATE TEMP TABLE observations_in AS SELECT * FROM _frame")
        check_staged(con, "observations_in", spec)
    finally:
        con.close()


def check_staged(con: duckdb.DuckDBPyConnection, relation: str, spec: TableSpec) -> None:
    """Finite, non-negative numbers; shares within 0-100; nothing above its measure's plausible
    maximum (per measure of one table, in the order the catalog declares them; the first
    offending row of the staged table)."""
    shares = [m.key for m in spec.measures if m.kind == SHARE_MEASURE]
    keys = [m.key for m in spec.measures]
    maxima = [m.plausible_maximum for m in spec.measures]
    found = con.execute(
        f"""WITH m AS (SELECT unnest(?) AS measure, unnest(?) AS maximum)
            SELECT measure, region_code, period_key, value, maximum,
                   CASE WHEN isinf(value) THEN 'is not a finite number'
                        WHEN value < 0 THEN 'is negative'
                        WHEN list_contains(?, measure) AND value > 100
                             THEN 'is a share above 100'
                        ELSE 'is above the plausible maximum' END AS problem
            FROM {relation} JOIN m USING (measure)
            WHERE value IS NOT NULL AND NOT isnan(value)
              AND (isinf(value) OR value < 0 OR (list_contains(?, measure) AND value > 100)
                   OR value > maximum)
            ORDER BY list_position(?, measure),
                     CASE WHEN isinf(value) THEN 0 WHEN value < 0 THEN 1 ELSE 2 END, rowid
            LIMIT 1""",
        [keys, maxima, shares, shares, keys]).fetchall()
    if found:
        measure, region, period, value, maximum, what = found[0]
        if what == "is above the plausible maximum":
            what += (f" {maximum:g} for this column (declared in zichtop/indicators/catalog.py;"
                     " check the source file)")
        raise ValueProblem(f"table {spec.id}, column {measure}, region {region}, period {period}"
                           f": value {float(value)!r} {what}")


def check_denominator_jumps(con: duckdb.DuckDBPyConnection, table: str, measure: str,
                            dims: str, period_type: str) -> None:
    """A denominator an indicator divides by changes by at most 50% from one period to the next
    in a municipality (2024 boundaries, `gm_observations`), as inhabitants do."""
    found = con.execute(
        """WITH s AS (
               SELECT region_code, period_key, value,
                      lag(value) OVER (PARTITION BY region_code ORDER BY period_key) AS before,
                      lag(period_key) OVER (PARTITION BY region_code ORDER BY period_key)
                          AS period_before
               FROM gm_observations
               WHERE table_id = ? AND measure = ? AND dims = ? AND period_type = ?
                 AND value IS NOT NULL AND NOT isnan(value))
           SELECT region_code, period_key, value, before, period_before FROM s
           WHERE before > 0 AND abs(value - before) / before > ?
           ORDER BY region_code, period_key LIMIT 1""",
        [table, measure, dims, period_type, MAX_JUMP]).fetchall()
    if found:
        region, period, value, before, period_before = found[0]
        raise ValueProblem(f"table {table}, column {measure}, region {region}, period {period}: "
                           f"{value:g} against {before:g} in {period_before} (a denominator that "
                           f"changes by more than {MAX_JUMP:.0%}; check the source file)")


def check_not_above_denominator(frame: pd.DataFrame, indicator_id: str, numerator: str,
                                denominator: str) -> None:
    """Members of a population cannot outnumber it (suspects <= inhabitants, ...)."""
    over = frame["numerator"].to_numpy(float) > frame["denominator"].to_numpy(float)
    if over.any():
        row = frame.iloc[int(over.nonzero()[0][0])]
        raise ValueProblem(f"indicator {indicator_id}: {numerator} = {float(row['numerator'])!r} "
                           f"is above its denominator {denominator} = "
                           f"{float(row['denominator'])!r} for "
                           f"{_where(row)}")


def check_population(population: pd.DataFrame) -> None:
    """Inhabitants per municipality (2024 boundaries) do not jump by more than 50% a year."""
    p = population.dropna(subset=["value"]).sort_values(["region_code", "year"])
    if (p["value"] <= 0).any() or not np.isfinite(p["value"].to_numpy(float)).all():
        row = p[(p["value"] <= 0) | ~np.isfinite(p["value"].to_numpy(float))].iloc[0]
        raise ValueProblem(f"table {row['table_id']}, column {row['measure']}, region "
                           f"{row['region_code']}, year {row['year']}: inhabitants "
                           f"{float(row['value'])!r} is not plausible")
    previous = p.groupby("region_code")["value"].shift(1)
    previous_year = p.groupby("region_code")["year"].shift(1)
    jump = ((p["value"] - previous).abs() / previous > MAX_JUMP) & (p["year"] - previous_year == 1)
    if jump.any():
        row = p[jump].iloc[0]
        before = previous[jump].iloc[0]
        raise ValueProblem(f"table {row['table_id']}, column {row['measure']}, region "
                           f"{row['region_code']}, year {row['year']}: inhabitants "
                           f"{row['value']:.0f} against {before:.0f} the year before (a jump of "
                           f"more than {MAX_JUMP:.0%})")
