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

from zichtop.core.codes import NATIONAL_CODE
from zichtop.core.errors import SchemaError, ValueProblem
from zichtop.core.periods import parse_period
from zichtop.indicators.catalog import TableSpec
from zichtop.pipeline.regions import is_unassigned
from zichtop.pipeline.sources import RawTable

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
    (live: the table's own region keys; mirror: the Gebieden table of that year). The same
    staging as `stage`, which the build runs on the table as it loaded it."""
    # a private in-memory database per table; its memory is capped so that a wide table's
    # staging spills instead of holding everything twice
    con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
    try:
        con.register("_frame", raw.frame.astype(str))
        con.execute("CREATE TEMP TABLE raw_in AS SELECT * FROM _frame")
        report = stage(con, "raw_in", spec, resolve, raw.origin, "staged_out")
        return con.execute("SELECT * FROM staged_out").df(), report
    finally:
        con.close()


def stage(con: duckdb.DuckDBPyConnection, relation: str, spec: TableSpec,
          resolve: Callable[[str, int], str | None], origin: str,
          into: str) -> NormaliseReport:
    """The staging of one raw table (`relation`: a table of text columns in `con`, one row per
    CBS row) into the temporary table `into` (OBSERVATION_COLUMNS; one row per measure, region
    and period).

    The staging is SQL in DuckDB, where SQL says it plainly: trimming and slicing, the period
    and region joins, parsing numbers, the duplicate check and the unpivot of the measures into
    rows. Python only parses the few distinct period titles, resolves the few distinct region
    titles and writes the few distinct dimension texts, each once."""
    where = f"table {spec.id} ({origin})"
    columns = [d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description]
    report = NormaliseReport(spec.id, rows_in=con.execute(
        f"SELECT count(*) FROM {relation}").fetchall()[0][0])
    if report.rows_in == 0:
        raise SchemaError(f"{where} is empty: no data rows")
    needed = [spec.region_column, "Perioden", *spec.dimensions, *(m.key for m in spec.measures)]
    if spec.region_code_column:
        needed.append(spec.region_code_column)
    present = columns + (["Perioden"] if spec.period is not None else [])
    for column in needed:
        if column not in present:
            raise SchemaError(f"{where}: column {column!r} is missing "
                              f"(found: {', '.join(map(str, columns[:12]))}...)")
    try:
        return _stage_sql(con, relation, needed, spec, resolve, where, report, into)
    finally:
        for name in ("s", "r", "staged"):
            con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        for name in ("periods", "codes", "combos"):
            con.unregister(name)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stage_sql(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str],
               spec: TableSpec, resolve: Callable[[str, int], str | None], where: str,
               report: NormaliseReport, into: str) -> NormaliseReport:
    slice_sql = " AND ".join(
        f"trim({_q(dim)}) IN ({', '.join('?' for _ in accepted)})"
        for dim, accepted in spec.slice.items()) or "true"
    slice_args = [v for accepted in spec.slice.values() for v in accepted]
    # a table without a period dimension (KWB: one per year) gets its declared period
    text = {c: ("?::VARCHAR" if c == "Perioden" and spec.period is not None
                else f"trim({_q(c)})") for c in columns}
    period_args = [spec.period] if spec.period is not None else []
    con.execute("CREATE TEMP TABLE s AS SELECT rowid AS _row, "
                + ", ".join(f"{text[c]} AS {_q(c)}" for c in columns)
                + f" FROM {relation} WHERE {slice_sql} ORDER BY rowid",
                [*period_args, *slice_args])
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
        # one spelling per member (a dump's title and a live key name the same member)
        canonical = [{k: spec.member_keys.get(k, {}).get(v, v)
                      for k, v in zip(kept, values, strict=True)}
                     for values in combos[kept].itertuples(index=False)]
        combos["dims"] = [json.dumps(dict(sorted(c.items())), ensure_ascii=False)
                          for c in canonical]
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

    # one block of rows per measure (in the measure's base unit), numbers parsed in SQL
    measures = sorted(spec.measures, key=lambda m: m.key)
    blocks = " UNION ALL ".join(
        f"""SELECT {n} AS _m, ?::VARCHAR AS table_id, ?::VARCHAR AS measure, dims,
                   {region} AS region_title, region_code,
                   -- a code's level is its prefix (GM, WK, BU, PV, ...); the country is NL
                   CASE WHEN region_code = '{NATIONAL_CODE}' THEN 'NL'
                        ELSE left(region_code, 2) END AS region_level,
                   period_key, period_type, year::INTEGER AS year, part::TINYINT AS part,
                   (CASE WHEN {_q(m.key)} IN ({symbols}) THEN NULL
                         ELSE TRY_CAST({_q(m.key)} AS DOUBLE) END) * ?::DOUBLE AS value,
                   ?::VARCHAR AS unit
            FROM staged""" for n, m in enumerate(measures))
    args = [a for m in measures for a in (spec.id, m.key, float(m.scale), m.unit)]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT "
                f"{', '.join(OBSERVATION_COLUMNS)} FROM ({blocks}) "
                "ORDER BY _m, dims, region_code, period_key", args)
    return report
