"""Step checks: every table has its grain, as dbt's unique and not_null tests."""

from __future__ import annotations

from zichtop.core.errors import SchemaError
from zichtop.pipeline.steps.context import BuildContext

# The grain of every table: its unique key (dbt's unique + not_null tests).
GRAIN: dict[str, tuple[str, ...]] = {
    "regions": ("code",),
    "observations": ("table_id", "measure", "dims", "region_code", "period_key"),
    "gm_observations": ("table_id", "measure", "dims", "region_code", "period_key"),
    "population": ("region_code", "year"),
    "former_names": ("code", "to_code"),
    "places": ("name", "municipality_code"),
    "search_options": ("position",),
    "boundary_layers": ("level",),
    "areas": ("code",),
    "area_layers": ("municipality_code", "level"),
    "map_sketch": ("level", "code"),
    "comparisons": ("indicator", "region_code", "period_key", "reference"),
    "area_results": ("indicator", "region_code", "period_key"),
    "area_coverage": ("indicator", "level", "municipality_code"),
    "results": ("indicator", "region_code", "period_key"),
    "indicator_status": ("indicator",),
    "composites": ("theme", "region_code"),
    "peers": ("region_code", "peer_code"),
    "provenance": ("table_id",),
}


def checks_step(ctx: BuildContext) -> None:
    """Every table has its grain: no NULL key and no key twice; the build stops otherwise."""
    for table, key in GRAIN.items():
        columns = ", ".join(key)
        nulls = " OR ".join(f"{c} IS NULL" for c in key)
        missing = ctx.con.execute(f"SELECT count(*) FROM {table} WHERE {nulls}").fetchall()[0][0]
        if missing:
            raise SchemaError(f"table {table}: {missing} rows without a key ({columns})")
        duplicated = ctx.con.execute(f"SELECT {columns}, count(*) FROM {table} GROUP BY ALL "
                                     "HAVING count(*) > 1 LIMIT 1").fetchall()
        twice = duplicated[0] if duplicated else None
        if twice:
            raise SchemaError(f"table {table}: key ({columns}) = {twice[:-1]} occurs "
                              f"{twice[-1]} times")
