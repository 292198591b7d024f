"""`zichtop build`: CBS tables -> data/zichtop.duckdb, written to a temporary file and swapped in,
as named steps listed once in STEPS: load -> stage -> boundaries -> marts -> checks.

Tables in the store (each documents what one row is):
- raw."<TABLEID>"       the table as obtained (text), one row per CBS row
- observations          staging: one value per table, measure, dimension filters, region, period
- gm_observations       one value per table, measure, dims, 2024 municipality, period, with
                        boundary status (native, unchanged, converted, unconverted)
- regions               one row per 2024 municipality, province, RIEC region and the country
- areas                 one row per area at every level (NL, PV, RE, GM, WK, BU) with its parent
                        and inhabitants 2024 (zichtop/areas.py)
- former_names          one row per former municipality (2016-2023) and today's municipality
                        its homes went to (for search: 'Weesp' finds Amsterdam)
- population            one row per 2024 municipality and year 2016-2025 (inhabitants)
- boundaries            one row per area polygon; boundary_layers one row per national map
                        layer; area_layers one row per municipality and level below it (wijken)
- provenance            one row per loaded table: source, file hash or retrieval time, rows,
                        truncated, complete slice, build time
- raw_region_keys       one row per region title and its CBS key, as live CBS sent them
- build_info            one row: source, build time, Zichtop version
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from zichtop import __version__
from zichtop.areas import build_areas
from zichtop.catalog import TABLES, TableSpec
from zichtop.checks import check_observations, check_population, check_text
from zichtop.config import Settings
from zichtop.crosswalk import VARIANT, read_crosswalk, to_reference
from zichtop.errors import SchemaError, SourceError, ZichtopError
from zichtop.geo import LAYERS, SUBLEVEL_FILES, area_layers, read_layer
from zichtop.manifest import ManifestEntry, check_slice, read_manifest
from zichtop.normalise import normalise
from zichtop.regions import (
    GEBIEDEN,
    REFERENCE_YEAR,
    Gebieden,
    RegionResolver,
    former_names,
    inhabitants_by_year,
    region_dimension,
)
from zichtop.sources import (
    LiveClient,
    RawTable,
    read_mirror_table,
    read_statline_extract,
    read_titled_export,
)

_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS}
GROUP = ["table_id", "measure", "dims", "period_key", "period_type", "part", "unit"]


@dataclass
class BuildSummary:
    source: str
    db_path: Path
    seconds: float = 0.0
    tables: list[dict] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Bron: {'lokale spiegel van CBS' if self.source == 'mirror' else 'CBS live (OData)'}"
               f" ({self.source})", f"Database: {self.db_path}"]
        for t in self.tables:
            out.append(f"  {t['table_id']:<9} {t['rows_in']:>6} rijen, {t['observations']:>6} "
                       f"waarnemingen{', afgekapt: ' + t['complete_slice'] if t['truncated'] else ''}")
        out.append(f"Klaar in {self.seconds:.1f} s")
        return out


class TableGetter:
    """Obtain raw tables from the chosen source; one object per build, no global state."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.source = settings.resolved_source()
        self.manifest: dict[str, ManifestEntry] = {}
        if self.source == "mirror":
            if not settings.cbs_dir.is_dir():
                raise SourceError(f"mirror folder {settings.cbs_dir} does not exist "
                                  "(set ZICHTOP_MIRROR, or ZICHTOP_SOURCE=live)")
            self.manifest = read_manifest(settings.cbs_dir)
        self.client = LiveClient(settings.cbs_url, settings.cbs_verify, settings.cbs_timeout)

    def get(self, table_id: str, spec: TableSpec | None = None) -> RawTable:
        if self.source == "mirror":
            if spec is not None and not spec.mirror_extract:
                check_slice(spec, self.manifest.get(table_id))
            if spec is not None and spec.mirror_extract and spec.mirror_metadata:
                raw = read_titled_export(self.settings.mirror_dir / spec.mirror_extract,
                                         self.settings.mirror_dir / spec.mirror_metadata,
                                         table_id, spec.columns)
            elif spec is not None and spec.mirror_extract:
                raw = read_statline_extract(self.settings.mirror_dir / spec.mirror_extract,
                                            table_id, spec.measures[0].key)
            else:
                raw = read_mirror_table(self.settings.cbs_dir, table_id)
        else:
            raw = self.client.fetch(table_id, spec.slice if spec is not None else None,
                                    spec.columns if spec is not None else None)
        check_text(table_id, raw.origin, raw.frame)
        return raw


@dataclass(frozen=True)
class Step:
    """One named step of the build: it reads what earlier steps left in the database and
    (re)writes its own tables, so `zichtop build --step NAME` can run it alone."""

    name: str
    label: str  # Dutch, for the progress bar
    run: Callable[[BuildContext], None]


@dataclass
class BuildContext:
    con: duckdb.DuckDBPyConnection
    settings: Settings
    getter: TableGetter
    summary: BuildSummary
    say: Callable[[str], None]
    table_ids: list[str]
    built_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def _write(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("_frame", frame)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
    con.unregister("_frame")


def load_step(ctx: BuildContext) -> None:
    """Every table from the source as obtained (text) into schema `raw`, with its provenance
    and, for live CBS, the region keys it came with."""
    con, getter = ctx.con, ctx.getter
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    provenance: list[dict] = []
    keys: list[dict] = []

    def keep(raw: RawTable, truncated: bool, complete: str, key: str | None = None) -> None:
        _write(con, f'raw."{key or raw.table_id}"', raw.frame)
        provenance.append({"table_id": key or raw.table_id, "source": raw.source,
                           "origin": raw.origin,
                           "fingerprint": raw.fingerprint, "rows": len(raw.frame),
                           "truncated": truncated, "complete_slice": complete,
                           "built_at": ctx.built_at})
        keys.extend({"table_id": key or raw.table_id, "title": t, "code": k}
                    for t, k in raw.region_keys.items())

    for table_id in GEBIEDEN.values():
        ctx.say(f"{table_id} Gebieden in Nederland")
        raw = getter.get(table_id)
        entry = getter.manifest.get(table_id)
        keep(raw, bool(entry and entry.truncated), "alle rijen")
    for key in ctx.table_ids:
        if key not in TABLES:
            raise SchemaError(f"table {key} is not in the catalog (zichtop/catalog.py)")
        spec = TABLES[key]
        ctx.say(f"{spec.id} {spec.title}")
        raw = getter.get(spec.id, spec)
        entry = None if spec.mirror_extract else getter.manifest.get(spec.id)
        truncated = bool(entry and entry.truncated) and getter.source == "mirror"
        complete = (entry.complete_slice if entry else "") or "alle rijen"
        if spec.slice and not truncated:
            complete = "; ".join(f"{d} in ({'; '.join(v)})" for d, v in spec.slice.items())
        keep(raw, truncated, complete, spec.key)
    _write(con, "provenance", pd.DataFrame(provenance))
    _write(con, "raw_region_keys", pd.DataFrame(keys, columns=["table_id", "title", "code"]))


def _raw_table(con: duckdb.DuckDBPyConnection, table_id: str) -> RawTable:
    """A table as the load step kept it (by its key: the CBS id, or id_part)."""
    rows = con.execute("SELECT source, origin, fingerprint FROM provenance WHERE table_id = ?",
                       [table_id]).fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise SchemaError(f"table {table_id} was not loaded: run the load step first")
    frame = con.execute(f'SELECT * FROM raw."{table_id}"').df().astype(str)
    keys = dict(con.execute("SELECT title, code FROM raw_region_keys WHERE table_id = ?",
                            [table_id]).fetchall())
    return RawTable(table_id, frame, row[0], row[1], row[2], keys)


def _gebieden(con: duckdb.DuckDBPyConnection) -> dict[int, Gebieden]:
    return {year: Gebieden.from_raw(year, _raw_table(con, t)) for year, t in GEBIEDEN.items()}


def stage_step(ctx: BuildContext) -> None:
    """The one normalisation of every table into `observations`; the region dimension; today's
    boundaries for every earlier year (`gm_observations`, `population`); former names."""
    con, say = ctx.con, ctx.say
    gebieden = _gebieden(con)
    resolver = RegionResolver(gebieden.values())
    regions = region_dimension(gebieden)
    municipalities = set(regions.loc[regions["level"] == "GM", "code"])
    expected = len(gebieden[REFERENCE_YEAR].frame)
    if len(municipalities) != expected or not municipalities:
        raise SchemaError(f"table {GEBIEDEN[REFERENCE_YEAR]}: expected {expected} "
                          f"municipalities, found {len(municipalities)}")
    names = dict(zip(regions.loc[regions["level"] == "GM", "name"],
                     regions.loc[regions["level"] == "GM", "code"], strict=True))
    _write(con, "regions", regions)
    observations = []
    ctx.summary.tables.clear()
    for key in ctx.table_ids:
        spec = TABLES[key]
        say(f"{key} normaliseren")
        raw = _raw_table(con, key)
        frame, report = normalise(raw, spec, resolver.with_keys(raw.region_keys))
        check_observations(frame, spec)
        if not spec.by_municipality:
            _check_coverage(frame, spec, municipalities, raw.origin,
                            without_code={names.get(t) for t in report.unmapped_titles})
        observations.append(frame)
        truncated, complete = con.execute(
            "SELECT truncated, complete_slice FROM provenance WHERE table_id = ?",
            [key]).fetchall()[0]
        ctx.summary.tables.append({"table_id": key, "rows_in": report.rows_in,
                                   "observations": len(frame), "truncated": truncated,
                                   "complete_slice": complete,
                                   "unmapped_titles": len(report.unmapped_titles)})
    obs = pd.concat(observations, ignore_index=True)
    _write(con, "observations", obs)

    say("Omrekenen naar gemeentegrenzen 2024")
    crosswalk = read_crosswalk(ctx.settings.crosswalk_dir) \
        if (ctx.settings.crosswalk_dir / "gemeente_crosswalk.csv").is_file() else None
    if crosswalk is None:
        say("Geen grenscorrectie beschikbaar: jaren voor 2024 worden niet omgerekend")
    gm = obs[obs["region_level"] == "GM"]
    kinds = gm[["table_id", "measure"]].merge(_kinds_frame(), on=["table_id", "measure"],
                                              how="left")["kind"]
    _write(con, "gm_observations", to_reference(
        gm[[*GROUP, "year", "region_code", "value"]], GROUP,
        pd.Series(kinds.to_numpy(), index=gm.index), crosswalk, municipalities))
    _write(con, "former_names", former_names(gebieden, crosswalk))
    inhabitants = inhabitants_by_year(gebieden)
    inhabitants["period_key"] = inhabitants["year"].astype(str) + "JJ00"
    population = to_reference(
        inhabitants.rename(columns={"code": "region_code"}),
        ["table_id", "measure", "period_key"],
        pd.Series("count", index=inhabitants.index), crosswalk, municipalities)
    check_population(population)
    _write(con, "population", population.rename(columns={"value": "inhabitants"})[
        ["region_code", "year", "inhabitants", "status", "missing_share", "table_id",
         "measure"]])
    _write(con, "areas", build_areas(con))
    source = con.execute("SELECT any_value(source) FROM provenance").fetchall()[0][0]
    _write(con, "build_info", pd.DataFrame([{
        "source": source, "built_at": ctx.built_at, "version": __version__, "seconds": 0.0,
        "boundary_conversion": f"grenswijzigen ({VARIANT}), 2016-2023 -> 2024"
        if crosswalk is not None else "geen (jaren voor 2024 niet omgerekend)"}]))


def boundaries_step(ctx: BuildContext) -> None:
    """The map layers of the levels in `areas` that have boundary files (municipalities,
    provinces, RIEC regions, wijken); wijken also as one small layer per municipality."""
    regions = ctx.con.execute("SELECT code, level FROM areas").df()
    boundary_rows, layers = [], []
    for level in LAYERS:
        expected = set(regions.loc[regions["level"] == level, "code"])
        if not expected:
            continue
        rows, collection = read_layer(
            ctx.settings.geo_dir, level, expected,
            fallback_url=ctx.settings.boundaries_url if ctx.getter.source == "live" else None,
            verify=ctx.settings.cbs_verify, timeout=ctx.settings.cbs_timeout)
        boundary_rows.append(rows)
        if level in SUBLEVEL_FILES:
            continue  # never one national layer: sent per municipality (area_layers)
        layers.append({"level": level, "geojson": collection,
                       "bytes": len(collection.encode("utf-8"))})
    boundaries = pd.concat(boundary_rows, ignore_index=True)
    _write(ctx.con, "boundaries", boundaries)
    _write(ctx.con, "boundary_layers", pd.DataFrame(layers))
    _write(ctx.con, "area_layers", area_layers(boundaries))


def marts_step(ctx: BuildContext) -> None:
    """The method over every indicator: results, indicator_status, composites, peers; and
    over every area indicator: area_results, area_coverage."""
    from zichtop.area_results import materialise_area_results
    from zichtop.results import materialise_results  # the method reads the staging tables

    materialise_results(ctx.con)
    materialise_area_results(ctx.con)


# The grain of every table: its unique key (dbt's unique + not_null tests).
GRAIN: dict[str, tuple[str, ...]] = {
    "regions": ("code",),
    "observations": ("table_id", "measure", "dims", "region_code", "period_key"),
    "gm_observations": ("table_id", "measure", "dims", "region_code", "period_key"),
    "population": ("region_code", "year"),
    "former_names": ("code", "to_code"),
    "boundary_layers": ("level",),
    "areas": ("code",),
    "area_layers": ("municipality_code", "level"),
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


STEPS: tuple[Step, ...] = (
    Step("load", "CBS-tabellen ophalen", load_step),
    Step("stage", "Normaliseren en omrekenen naar gemeentegrenzen 2024", stage_step),
    Step("boundaries", "Grenzen van gemeenten, provincies, RIEC-regio's en wijken",
         boundaries_step),
    Step("marts", "Thema's en afwijkingen berekenen", marts_step),
    Step("checks", "Korrel van elke tabel controleren", checks_step),
)


def build(settings: Settings, *, tables: Iterable[str] | None = None,
          progress: Callable[[str], None] | None = None, step: str | None = None,
          on_step: Callable[[Step], None] | None = None) -> BuildSummary:
    """Build the store: every step in STEPS into a new file that is swapped in. With `step`,
    only that step runs, on a copy of the current database (for debugging). On any error the
    previous database is left as it was."""
    started = time.perf_counter()
    steps = STEPS if step is None else tuple(s for s in STEPS if s.name == step)
    if not steps:
        raise ZichtopError(f"unknown step {step!r}; steps: {', '.join(s.name for s in STEPS)}")
    target = Path(settings.db_path)
    if step is not None and not target.is_file():
        raise ZichtopError(f"database {target} does not exist: build it whole first")
    getter = TableGetter(settings)
    summary = BuildSummary(getter.source, settings.db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    say = progress or (lambda _message: None)
    try:
        if step is not None:
            shutil.copyfile(target, temporary)
        con = duckdb.connect(str(temporary))
        try:
            ctx = BuildContext(con, settings, getter, summary, say, list(tables or TABLES))
            for s in steps:
                if on_step is not None:
                    on_step(s)
                say(s.label)
                s.run(ctx)
            summary.seconds = time.perf_counter() - started
            con.execute("UPDATE build_info SET seconds = ?", [summary.seconds])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(temporary, target)  # atomic on one filesystem: readers see old or new
    except (duckdb.Error, OSError) as error:
        if isinstance(error, OSError) and error.errno not in _WRITE_ERRORS:
            temporary.unlink(missing_ok=True)
            raise
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + ".wal").unlink(missing_ok=True)
        raise ZichtopError(f"database {target}: could not write {temporary.name} (disk full or "
                           f"not writable?): {error}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + ".wal").unlink(missing_ok=True)
        raise
    return summary


def remove_stale_temporaries(target: Path) -> None:
    """Remove half-written files of builds that were killed (their process is gone)."""
    for stale in Path(target).parent.glob(f".{Path(target).name}.*.tmp*"):
        pid = stale.name.removeprefix(f".{Path(target).name}.").split(".")[0]
        if not pid.isdigit() or not Path(f"/proc/{pid}").exists() or int(pid) == os.getpid():
            stale.unlink(missing_ok=True)


def _kinds_frame() -> pd.DataFrame:
    return pd.DataFrame([{"table_id": t.id, "measure": m.key, "kind": m.kind}
                         for t in TABLES.values() for m in t.measures])


def _check_coverage(frame: pd.DataFrame, spec: TableSpec, municipalities: set[str],
                    origin: str, without_code: set[str | None] | None = None) -> None:
    """Every municipality of 2024 must have rows in the table's latest period (with figures, or
    listed by name without a code or figures); otherwise the table is partial and must not be
    shown as national."""
    gm = frame[frame["region_level"] == "GM"]
    if gm.empty:
        raise SchemaError(f"table {spec.id} ({origin}): no municipality rows in the complete slice")
    latest = gm["period_key"].max()
    present = set(gm.loc[gm["period_key"] == latest, "region_code"])
    missing = municipalities - present - (without_code or set())
    if missing:
        raise SchemaError(f"table {spec.id} ({origin}): only {len(present & municipalities)} of "
                          f"{len(municipalities)} municipalities in {latest} (missing e.g. {sorted(missing)[:3]}); "
                          "a partial table is never shown as national")
