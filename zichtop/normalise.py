"""The one normalisation every CBS table goes through, whichever source it came from.

Staging model `observations`: one row is one value of one measure of one CBS table for one
region (code and level) and one period, within the table's complete slice, in the measure's
base unit. The staging runs as SQL in DuckDB (see `normalise`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from zichtop.catalog import TableSpec
from zichtop.errors import SchemaError, ValueProblem
from zichtop.periods import parse_period
from zichtop.reference import NATIONAL_CODE
from zichtop.regions import is_unassigned
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
    (live: the table's own region keys; mirror: the Gebieden table of that year).

    The staging is SQL in DuckDB, where SQL says it plainly: trimming and slicing, the period
    and region joins, parsing numbers, the duplicate check and the unpivot of the measures into
    rows. Python only parses the few distinct period titles, resolves the few distinct region
    titles and writes the few distinct dimension texts, each once."""
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
    # a private in-memory database per table; its memory is capped so that a wide table's
    # staging spills instead of holding everything twice
    con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
    try:
        return _normalise_sql(con, frame[needed].astype(str), spec, resolve, where, report)
    finally:
        con.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _normalise_sql(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, spec: TableSpec,
                   resolve: Callable[[str, int], str | None], where: str,
                   report: NormaliseReport) -> tuple[pd.DataFrame, NormaliseReport]:
    con.register("raw_in", frame)
    columns = list(frame.columns)
    slice_sql = " AND ".join(
        f"trim({_q(dim)}) IN ({', '.join('?' for _ in accepted)})"
        for dim, accepted in spec.slice.items()) or "true"
    slice_args = [v for accepted in spec.slice.values() for v in accepted]
    con.execute("CREATE TEMP TABLE s AS SELECT row_number() OVER () AS _row, "
                + ", ".join(f"trim({_q(c)}) AS {_q(c)}" for c in columns)
                + f" FROM raw_in WHERE {slice_sql}", slice_args)
    report.rows_in_slice = con.execute("SELECT count(*) FROM s").fetchall()[0][0]
    if report.rows_in_slice == 0:
        raise SchemaError(f"{where}: no rows in the complete slice {spec.slice}")

    # periods: each distinct title parsed once
    titles = [t for (t,) in con.execute('SELECT DISTINCT "Perioden" FROM s').fetchall()]
    parsed = [parse_period(t, table=spec.id) for t in titles]
    con.register("periods", pd.DataFrame({
        "title": titles, "period_key": [p.key for p in parsed],
        "period_type": [p.type for p in parsed], "year": [p.year for p in parsed],
        "part": [p.part for p in parsed]}))

    # numbers: CBS's symbols are no figure; anything else that is not a number stops the build
    symbols = ", ".join(f"'{x}'" for x in sorted(_SYMBOLS))
    for m in spec.measures:
        bad = con.execute(
            f"SELECT {_q(m.key)}, count(*) OVER () FROM s WHERE {_q(m.key)} NOT IN ({symbols}) "
            f"AND TRY_CAST({_q(m.key)} AS DOUBLE) IS NULL ORDER BY _row LIMIT 1").fetchall()
        if bad:
            raise ValueProblem(f"table {spec.id}, column {m.key}: {bad[0][0]!r} is not a number "
                               f"({bad[0][1]} such values)")

    # regions: the table's own code column, or each distinct (title, year) resolved once
    region = _q(spec.region_column)
    if spec.region_code_column:
        code_sql = f"NULLIF({_q(spec.region_code_column)}, '')"
        con.execute(f"CREATE TEMP TABLE r AS SELECT _row, {code_sql} AS region_code FROM s")
    else:
        pairs = con.execute(f"SELECT DISTINCT s.{region}, p.year FROM s JOIN periods p "
                            "ON p.title = s.\"Perioden\"").fetchall()
        con.register("codes", pd.DataFrame(
            {"title": [t for t, _ in pairs], "year": [y for _, y in pairs],
             "region_code": pd.Series([resolve(t, y) for t, y in pairs], dtype=object)}))
        con.execute(f"CREATE TEMP TABLE r AS SELECT s._row, c.region_code FROM s JOIN periods p "
                    f"ON p.title = s.\"Perioden\" LEFT JOIN codes c ON c.title = s.{region} "
                    "AND c.year = p.year")

    unknown = con.execute(
        f"""SELECT s.{region}, p.period_key,
                   ({' OR '.join(f"TRY_CAST(s.{_q(m.key)} AS DOUBLE) IS NOT NULL"
                                 for m in spec.measures)}) AS has_figures
            FROM s JOIN r USING (_row) JOIN periods p ON p.title = s."Perioden"
            WHERE r.region_code IS NULL ORDER BY s._row""").df()
    if not unknown.empty:
        unassigned = unknown.iloc[:, 0].map(is_unassigned)
        report.unassigned_rows = int(unassigned.sum())
        unknown = unknown[~unassigned]
        latest = con.execute("SELECT max(period_key) FROM periods").fetchall()[0][0]
        current = unknown[(unknown["period_key"] == latest) & unknown["has_figures"]]
        if not current.empty:
            raise ValueProblem(f"{where}, column {spec.region_column}: unknown region title "
                               f"{current.iloc[0, 0]!r} with figures in {latest}; it is in no "
                               "Gebieden table")
        report.unmapped_titles = sorted(unknown.iloc[:, 0].unique())

    # dimension texts: each distinct combination of the kept dimensions written once
    kept = list(spec.kept_dimensions)
    if kept:
        combos = con.execute(f"SELECT DISTINCT {', '.join(_q(d) for d in kept)} FROM s").df()
        combos["dims"] = [json.dumps(dict(sorted(zip(kept, values, strict=True))),
                                     ensure_ascii=False)
                          for values in combos[kept].itertuples(index=False)]
        con.register("combos", combos)
        dims_join = ("JOIN combos d ON " + " AND ".join(f"d.{_q(k)} = s.{_q(k)}" for k in kept))
        dims_sql = "d.dims"
    else:
        dims_join, dims_sql = "", "'{}'"
    con.execute(f"""CREATE TEMP TABLE staged AS
        SELECT s.*, r.region_code, {dims_sql} AS dims, p.period_key, p.period_type, p.year, p.part
        FROM s JOIN r USING (_row) JOIN periods p ON p.title = s."Perioden" {dims_join}
        WHERE r.region_code IS NOT NULL""")
    twice = con.execute(f"""SELECT region_code, {region}, "Perioden" FROM staged
        QUALIFY count(*) OVER (PARTITION BY region_code, period_key, dims) > 1
        ORDER BY _row LIMIT 1""").fetchall()
    if twice:
        code, title, period = twice[0]
        raise ValueProblem(f"{where}: region {code} ({title!r}) appears twice in period "
                           f"{period!r}")

    # numbers parsed in SQL, one row per region and period; then one block of rows per measure
    # (in the measure's base unit) that shares the row's texts instead of copying them
    numbers = ", ".join(f"CASE WHEN {_q(m.key)} IN ({symbols}) THEN NULL "
                        f"ELSE TRY_CAST({_q(m.key)} AS DOUBLE) END AS {_q(m.key)}"
                        for m in spec.measures)
    rows = con.execute(
        f"""SELECT dims, {region} AS region_title, region_code,
                   -- a code's level is its prefix (GM, WK, BU, PV, ...); the country is NL
                   CASE WHEN region_code = '{NATIONAL_CODE}' THEN 'NL'
                        ELSE left(region_code, 2) END AS region_level,
                   period_key, period_type, year::INTEGER AS year, part::TINYINT AS part,
                   {numbers}
            FROM staged ORDER BY dims, region_code, period_key""").df()
    out = pd.concat([pd.DataFrame({
        "table_id": spec.id, "measure": m.key, "dims": rows["dims"],
        "region_title": rows["region_title"], "region_code": rows["region_code"],
        "region_level": rows["region_level"], "period_key": rows["period_key"],
        "period_type": rows["period_type"], "year": rows["year"], "part": rows["part"],
        "value": rows[m.key] * m.scale, "unit": m.unit})
        for m in sorted(spec.measures, key=lambda m: m.key)], ignore_index=True)
    return out[OBSERVATION_COLUMNS], report
