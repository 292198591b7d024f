"""Step stage: the one normalisation of every table into `observations`; the region and area
dimensions; today's boundaries for every earlier year (`gm_observations`, `population`)."""

from __future__ import annotations

import duckdb
import pandas as pd

from zichtop import __version__
from zichtop.core import search
from zichtop.core.errors import SchemaError
from zichtop.indicators.catalog import COUNT, TABLES, TableSpec, spec_for
from zichtop.indicators.model import INHABITANTS
from zichtop.indicators.registry import indicators
from zichtop.pipeline.areas import build_areas
from zichtop.pipeline.crosswalk import VARIANT, read_crosswalk, to_reference
from zichtop.pipeline.input_checks import (
    check_denominator_jumps,
    check_population,
    check_staged,
)
from zichtop.pipeline.normalise import stage
from zichtop.pipeline.regions import (
    GEBIEDEN,
    PLACES,
    REFERENCE_YEAR,
    RegionResolver,
    former_names,
    inhabitants_by_year,
    places,
    region_dimension,
)
from zichtop.pipeline.steps.context import BuildContext, raw_table, read_gebieden, write

GROUP = ["table_id", "measure", "dims", "period_key", "period_type", "part", "unit"]


def stage_step(ctx: BuildContext) -> None:
    """The one normalisation of every table into `observations`; the region dimension; today's
    boundaries for every earlier year (`gm_observations`, `population`); former names."""
    con, say = ctx.con, ctx.say
    gebieden = read_gebieden(con)
    resolver = RegionResolver(gebieden.values())
    regions = region_dimension(gebieden)
    municipalities = set(regions.loc[regions["level"] == "GM", "code"])
    expected = len(gebieden[REFERENCE_YEAR].frame)
    if len(municipalities) != expected or not municipalities:
        raise SchemaError(f"table {GEBIEDEN[REFERENCE_YEAR]}: expected {expected} "
                          f"municipalities, found {len(municipalities)}")
    names = dict(zip(regions.loc[regions["level"] == "GM", "name"],
                     regions.loc[regions["level"] == "GM", "code"], strict=True))
    write(con, "regions", regions)
    ctx.summary.tables.clear()
    con.execute("DROP TABLE IF EXISTS observations")
    for key in ctx.table_ids:
        spec = TABLES[key]
        say(f"{key} normaliseren")
        origin, truncated, complete = con.execute(
            "SELECT origin, truncated, complete_slice FROM provenance WHERE table_id = ?",
            [key]).fetchall()[0]
        keys = dict(con.execute("SELECT title, code FROM raw_region_keys WHERE table_id = ?",
                                [key]).fetchall())
        report = stage(con, f'raw."{key}"', spec, resolver.with_keys(keys), origin, "_staged")
        check_staged(con, "_staged", spec)
        if not (spec.by_municipality or spec.sampled):
            _check_coverage(con, "_staged", spec, municipalities, origin,
                            without_code={names.get(t) for t in report.unmapped_titles})
        rows = con.execute("SELECT count(*) FROM _staged").fetchall()[0][0]
        con.execute("INSERT INTO observations SELECT * FROM _staged" if key != ctx.table_ids[0]
                    else "CREATE TABLE observations AS SELECT * FROM _staged")
        con.execute("DROP TABLE temp._staged")
        ctx.summary.tables.append({"table_id": key, "rows_in": report.rows_in,
                                   "observations": rows, "truncated": truncated,
                                   "complete_slice": complete,
                                   "unmapped_titles": len(report.unmapped_titles)})

    say("Omrekenen naar gemeentegrenzen 2024")
    crosswalk = read_crosswalk(ctx.settings.crosswalk_dir) \
        if (ctx.settings.crosswalk_dir / "gemeente_crosswalk.csv").is_file() else None
    if crosswalk is None:
        say("Geen grenscorrectie beschikbaar: jaren voor 2024 worden niet omgerekend")
    con.register("_kinds", _kinds_frame())
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _gm AS
        SELECT {', '.join(f'o.{c}' for c in GROUP)}, o.year, o.region_code, o.value,
               coalesce(k.kind = '{COUNT}', false) AS _count
        FROM observations o LEFT JOIN _kinds k USING (table_id, measure)
        WHERE o.region_level = 'GM'""")
    to_reference(con, "_gm", GROUP, crosswalk, municipalities, "gm_observations")
    con.execute("DROP VIEW _gm")
    con.unregister("_kinds")
    for table, measure, dims, period_type in _denominators(ctx.table_ids):
        check_denominator_jumps(con, table, measure, dims, period_type)
    write(con, "former_names", former_names(gebieden, crosswalk))
    has_places = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' "
                             "AND table_name = ?", [PLACES]).fetchall()[0][0]
    found_places = places(raw_table(con, PLACES), municipalities) if has_places \
        else pd.DataFrame({"name": pd.Series(dtype=str), "municipality_code": pd.Series(dtype=str)})
    write(con, "places", found_places)
    write(con, "search_options", _search_options(regions, con, found_places))
    inhabitants = inhabitants_by_year(gebieden)
    inhabitants["period_key"] = inhabitants["year"].astype(str) + "JJ00"
    con.register("_inhabitants", inhabitants.rename(columns={"code": "region_code"}).assign(
        _count=True))
    to_reference(con, "_inhabitants", ["table_id", "measure", "period_key"], crosswalk,
                 municipalities, "_population", temporary=True)
    population = con.execute("SELECT * FROM _population").df()
    con.execute("DROP TABLE temp._population")
    con.unregister("_inhabitants")
    check_population(population)
    write(con, "population", population.rename(columns={"value": "inhabitants"})[
        ["region_code", "year", "inhabitants", "status", "missing_share", "table_id",
         "measure"]])
    write(con, "areas", build_areas(con))
    source = con.execute("SELECT any_value(source) FROM provenance").fetchall()[0][0]
    write(con, "build_info", pd.DataFrame([{
        "source": source, "built_at": ctx.built_at, "version": __version__, "seconds": 0.0,
        "boundary_conversion": f"grenswijzigen ({VARIANT}), 2016-2023 -> 2024"
        if crosswalk is not None else "geen (jaren voor 2024 niet omgerekend)"}]))


def _search_options(regions: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                    found_places: pd.DataFrame) -> pd.DataFrame:
    """The search field's options in their order (zichtop/core/search.py), made once here
    rather than on every page that shows the field."""
    gm = regions[regions["level"] == "GM"]
    also: dict[str, list[str]] = {}
    former = con.execute("SELECT DISTINCT to_code, name FROM former_names ORDER BY name").fetchall()
    for code, name in former:
        also.setdefault(code, []).append(name)
    options = search.options(list(zip(gm["code"], gm["name"], strict=True)), also,
                             list(zip(found_places["municipality_code"], found_places["name"],
                                      strict=True)))
    return pd.DataFrame(options).assign(position=range(len(options)))[
        ["position", "value", "label", "search"]]


def _denominators(table_ids: list[str]) -> list[tuple[str, str, str, str]]:
    """Every denominator a municipal indicator divides by, in the tables of this build (the
    inhabitants are checked on their own: check_population)."""
    found = set()
    for _theme, ind in indicators().values():
        source = ind.denominator
        if source is None or source is INHABITANTS or source.table not in table_ids:
            continue
        dims = spec_for(source.table, source.measure).dims_key(source.filters)
        found.add((source.table, source.measure, dims, ind.period_type))
    return sorted(found)


def _kinds_frame() -> pd.DataFrame:
    return pd.DataFrame([{"table_id": t.id, "measure": m.key, "kind": m.kind}
                         for t in TABLES.values() for m in t.measures])


def _check_coverage(con: duckdb.DuckDBPyConnection, relation: str, spec: TableSpec,
                    municipalities: set[str], origin: str,
                    without_code: set[str | None] | None = None) -> None:
    """Every municipality of 2024 must have rows in the table's latest period (with figures, or
    listed by name without a code or figures); otherwise the table is partial and must not be
    shown as national."""
    rows = con.execute(f"""SELECT period_key, list(DISTINCT region_code) FROM {relation}
                           WHERE region_level = 'GM' GROUP BY period_key
                           ORDER BY period_key DESC LIMIT 1""").fetchall()
    if not rows:
        raise SchemaError(f"table {spec.id} ({origin}): no municipality rows in the complete slice")
    latest, codes = rows[0]
    present = set(codes)
    missing = municipalities - present - (without_code or set())
    if missing:
        raise SchemaError(f"table {spec.id} ({origin}): only {len(present & municipalities)} of "
                          f"{len(municipalities)} municipalities in {latest} (missing e.g. {sorted(missing)[:3]}); "
                          "a partial table is never shown as national")
