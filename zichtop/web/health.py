"""`/healthz`: is the served database usable? A cheap query on every table a page reads on every
call, and once per database file a query that reads every table in it (DuckDB verifies each
block's checksum as it reads), so a damaged file, or a store without a table some page needs,
answers 503 instead of 200. The answer says nothing about paths, SQL or processes."""

from __future__ import annotations

import logging
import threading

from zichtop.core.errors import ZichtopError
from zichtop.read.store import Store

# every table the read side queries (tests/integration/test_faults.py checks this list against
# the queries in zichtop/read and zichtop/web), plus population, a core table of every build
CORE_TABLES = ("build_info", "regions", "results", "indicator_status", "composites",
               "boundary_layers", "provenance", "population", "area_results", "area_coverage",
               "areas", "area_layers", "former_names", "peers", "map_sketch", "places",
               "comparisons", "search_options", "observations")
# fixed texts over the constant list above (never from input): "SELECT 1 FROM <t> LIMIT 1"; the
# first check of a build then reads every table of the store in full once (ALL_TABLES), the
# core ones included
PROBES = tuple("SELECT 1 FROM " + table + " LIMIT 1" for table in CORE_TABLES)
ALL_TABLES = "SELECT schema_name || '.' || table_name FROM duckdb_tables() ORDER BY 1"
log = logging.getLogger("zichtop.web")


def full_read_of(qualified: str) -> str:
    """A query reading every column of one table of the store's own catalog (never input)."""
    schema, table = qualified.split(".", 1)
    name = '"' + schema.replace('"', '""') + '"."' + table.replace('"', '""') + '"'
    return "SELECT count(*), sum(hash(t)) FROM " + name + " t"


class HealthCheck:
    def __init__(self) -> None:
        self._verified: set[object] = set()
        self._lock = threading.Lock()

    def __call__(self, store: Store) -> tuple[dict, int]:
        try:
            stamp = store.stamp()
            for probe in PROBES:
                store.query(probe)
            with self._lock:
                verified = stamp in self._verified
            if not verified:  # every table once, read in full (a damaged block shows here)
                for (table,) in store.query(ALL_TABLES).itertuples(index=False):
                    store.query(full_read_of(str(table)))
                with self._lock:
                    self._verified.add(stamp)
            info = store.query("SELECT source, built_at, version FROM build_info").iloc[0]
        except (ZichtopError, IndexError, KeyError) as error:
            log.error("health check failed: %s", error)
            return {"status": "error", "message": "De gegevens zijn niet beschikbaar."}, 503
        return {"status": "ok", "source": str(info["source"]),
                "data_version": str(info["built_at"]), "loaded_at": store.loaded_at,
                "version": str(info["version"])}, 200
