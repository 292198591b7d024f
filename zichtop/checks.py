"""Input sanity checks of the build, as Our World in Data's etl checks its steps: an impossible
number or a control character stops the build with a message that names the table, column,
region and period, and the previous database stays as it was (the build writes a temporary file).

Rules (docs/operations.md lists them with their tests):
- text:        no control characters (NUL, newline, ...) in any cell or column name;
- finite:      every number is finite;
- non-negative: counts, averages and shares are not negative;
- share:       a share lies within 0-100;
- denominator: a count is not above its denominator where it counts members of it
               (an indicator of kind rate or share);
- jump:        inhabitants change by at most 50% from one year to the next (2024 boundaries).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from zichtop.catalog import SHARE as SHARE_MEASURE
from zichtop.catalog import TableSpec
from zichtop.errors import ValueProblem

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
    """Finite, non-negative numbers; shares within 0-100 (per measure of one table)."""
    for measure in spec.measures:
        rows = frame[frame["measure"] == measure.key]
        values = rows["value"].to_numpy(float)
        known = ~np.isnan(values)
        problems = [
            (~np.isfinite(values) & known, "is not a finite number"),
            ((values < 0) & known, "is negative"),
        ]
        if measure.kind == SHARE_MEASURE:
            problems.append(((values > 100) & known, "is a share above 100"))
        for mask, what in problems:
            if mask.any():
                row = rows.iloc[int(mask.nonzero()[0][0])]
                raise ValueProblem(f"table {spec.id}, column {measure.key}, {_where(row)}: "
                                   f"value {float(row['value'])!r} {what}")


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
