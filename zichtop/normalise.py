"""The one normalisation every CBS table goes through, whichever source it came from.

Staging model `observations`: one row is one value of one measure of one CBS table for one
region (code and level) and one period, within the table's complete slice, in the measure's
base unit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zichtop.catalog import TableSpec
from zichtop.errors import SchemaError, ValueProblem
from zichtop.periods import parse_period
from zichtop.regions import is_unassigned, level_of
from zichtop.sources import RawTable

# CBS symbols for "no figure": empty, '.' (missing), 'x' (secret), '-' (nil / not applicable),
# '?' (unreliable). All become NULL; any other non-number is an error.
_SYMBOLS = {"", ".", "x", "X", "-", "?"}

OBSERVATION_COLUMNS = [
    "table_id", "measure", "dims", "region_title", "region_code", "region_level",
    "period_key", "period_type", "year", "part", "value", "unit",
]


@dataclass
class NormaliseReport:
    table_id: str
    rows_in: int = 0
    rows_in_slice: int = 0
    unmapped_titles: list[str] = field(default_factory=list)  # historic, no figures in latest period
    unassigned_rows: int = 0


def normalise(raw: RawTable, spec: TableSpec,
              resolve: Callable[[str, int], str | None]) -> tuple[pd.DataFrame, NormaliseReport]:
    """Raw CBS table -> long observations. `resolve(title, year)` maps region titles to codes
    (live: the table's own region keys; mirror: the Gebieden table of that year)."""
    where = f"table {spec.id} ({raw.origin})"
    frame = raw.frame
    report = NormaliseReport(spec.id, rows_in=len(frame))
    if frame.empty:
        raise SchemaError(f"{where} is empty: no data rows")
    if spec.period is not None:  # a table without a period dimension (KWB: one per year)
        frame = frame.assign(Perioden=spec.period)
    needed = [spec.region_column, "Perioden", *spec.dimensions, *(m.key for m in spec.measures)]
    if spec.region_code_column:
        needed.append(spec.region_code_column)
    for column in needed:
        if column not in frame.columns:
            raise SchemaError(f"{where}: column {column!r} is missing "
                              f"(found: {', '.join(map(str, frame.columns[:12]))}...)")
    frame = frame[needed].apply(lambda col: col.astype(str).str.strip())

    for dim, accepted in spec.slice.items():
        frame = frame[frame[dim].isin(accepted)]
    if frame.empty:
        raise SchemaError(f"{where}: no rows in the complete slice {spec.slice}")
    report.rows_in_slice = len(frame)

    periods = {text: parse_period(text, table=spec.id) for text in frame["Perioden"].unique()}
    frame = frame.assign(
        period_key=frame["Perioden"].map(lambda t: periods[t].key),
        period_type=frame["Perioden"].map(lambda t: periods[t].type),
        year=frame["Perioden"].map(lambda t: periods[t].year),
        part=frame["Perioden"].map(lambda t: periods[t].part),
    )

    values = {m.key: _numbers(frame[m.key], spec.id, m.key) for m in spec.measures}

    if spec.region_code_column:
        # the table names its own codes; a row without one is not guessed from its title
        region_code = [g or None for g in frame[spec.region_code_column]]
    else:
        titles = frame[[spec.region_column, "year"]].drop_duplicates()
        codes: dict[tuple[str, int], str | None] = {
            (t, y): resolve(t, y) for t, y in titles.itertuples(index=False)}
        region_code = [codes[(t, y)] for t, y in zip(frame[spec.region_column], frame["year"],
                                                     strict=True)]
    frame = frame.assign(region_code=region_code)

    unknown = frame[frame["region_code"].isna()]
    if not unknown.empty:
        unassigned = unknown[spec.region_column].map(is_unassigned)
        report.unassigned_rows = int(unassigned.sum())
        unknown = unknown[~unassigned]
        latest = frame["period_key"].max()
        has_figures = np.column_stack([values[m.key].loc[unknown.index].notna()
                                       for m in spec.measures]).any(axis=1)
        current = unknown[(unknown["period_key"] == latest) & has_figures]
        if not current.empty:
            title = current[spec.region_column].iloc[0]
            raise ValueProblem(f"{where}, column {spec.region_column}: unknown region title "
                               f"{title!r} with figures in {latest}; it is in no Gebieden table")
        report.unmapped_titles = sorted(unknown[spec.region_column].unique())
        frame = frame[frame["region_code"].notna()]

    dims = _dims_json(frame, spec)
    twice = frame.assign(_d=dims).duplicated(["region_code", "period_key", "_d"])
    if twice.any():
        row = frame[twice].iloc[0]
        raise ValueProblem(f"{where}: region {row['region_code']} ({row[spec.region_column]!r}) "
                           f"appears twice in period {row['Perioden']!r}")
    parts = []
    levels = frame["region_code"].map(level_of)  # once, not per measure
    for measure in spec.measures:
        parts.append(pd.DataFrame({
            "table_id": spec.id, "measure": measure.key, "dims": dims,
            "region_title": frame[spec.region_column], "region_code": frame["region_code"],
            "region_level": levels,
            "period_key": frame["period_key"], "period_type": frame["period_type"],
            "year": frame["year"].astype("int32"), "part": frame["part"].astype("int8"),
            "value": values[measure.key].loc[frame.index] * measure.scale,
            "unit": measure.unit,
        }))
    result = pd.concat(parts, ignore_index=True)[OBSERVATION_COLUMNS]
    return result.sort_values(["measure", "dims", "region_code", "period_key"],
                              ignore_index=True), report


def _numbers(column: pd.Series, table_id: str, name: str) -> pd.Series:
    symbols = column.isin(_SYMBOLS)
    parsed = pd.to_numeric(column.where(~symbols, None), errors="coerce")
    bad = parsed.isna() & ~symbols
    if bad.any():
        first = column[bad].iloc[0]
        raise ValueProblem(f"table {table_id}, column {name}: {first!r} is not a number "
                           f"({int(bad.sum())} such values)")
    return parsed.astype("float64")


def _dims_json(frame: pd.DataFrame, spec: TableSpec) -> pd.Series:
    """The `dims` text of every row: written once per distinct combination of the kept
    dimensions (a handful), then mapped onto the rows."""
    kept = list(spec.kept_dimensions)
    if not kept:
        return pd.Series("{}", index=frame.index)
    combos = frame[kept].drop_duplicates()
    texts = [json.dumps(dict(sorted(zip(kept, values, strict=True))), ensure_ascii=False)
             for values in combos.itertuples(index=False)]
    keyed = combos.assign(_dims=texts)
    return frame[kept].merge(keyed, on=kept, how="left")["_dims"].set_axis(frame.index)
