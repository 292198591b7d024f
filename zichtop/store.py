"""`zichtop build`: CBS tables -> data/zichtop.duckdb, written to a temporary file and swapped in.

Tables in the store (each documents what one row is):
- raw."<TABLEID>"       the table as obtained (text), one row per CBS row
- observations          staging: one value per table, measure, dimension filters, region, period
- gm_observations       one value per table, measure, dims, 2024 municipality, period, with
                        boundary status (native, unchanged, converted, unconverted)
- regions               one row per 2024 municipality, province, RIEC region and the country
- former_names          one row per former municipality (2016-2023) and today's municipality
                        its homes went to (for search: 'Weesp' finds Amsterdam)
- population            one row per 2024 municipality and year 2016-2025 (inhabitants)
- boundaries            one row per region polygon; boundary_layers one row per map layer
- provenance            one row per loaded table: source, file hash or retrieval time, rows,
                        truncated, complete slice, build time
- build_info            one row: source, build time, Zichtop version
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from zichtop import __version__
from zichtop.catalog import TABLES, TableSpec
from zichtop.checks import check_observations, check_population, check_text
from zichtop.config import Settings
from zichtop.crosswalk import VARIANT, read_crosswalk, to_reference
from zichtop.errors import SchemaError, SourceError, ZichtopError
from zichtop.geo import read_layer
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
from zichtop.sources import LiveClient, RawTable, read_mirror_table, read_statline_extract

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
            if spec is not None:
                check_slice(spec, self.manifest.get(table_id))
            if spec is not None and spec.mirror_extract:
                raw = read_statline_extract(self.settings.mirror_dir / spec.mirror_extract,
                                            table_id, spec.measures[0].key)
            else:
                raw = read_mirror_table(self.settings.cbs_dir, table_id)
        else:
            raw = self.client.fetch(table_id, spec.slice if spec is not None else None)
        check_text(table_id, raw.origin, raw.frame)
        return raw


def build(settings: Settings, *, tables: Iterable[str] | None = None,
          progress: Callable[[str], None] | None = None) -> BuildSummary:
    """Build the store. On any error the previous database is left as it was."""
    started = time.perf_counter()
    getter = TableGetter(settings)
    summary = BuildSummary(getter.source, settings.db_path)
    target = Path(settings.db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    say = progress or (lambda _message: None)
    try:
        con = duckdb.connect(str(temporary))
        try:
            _build_into(con, settings, getter, list(tables or TABLES), summary, say)
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


def _build_into(con: duckdb.DuckDBPyConnection, settings: Settings, getter: TableGetter,
                table_ids: list[str], summary: BuildSummary, say: Callable[[str], None]) -> None:
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    con.execute("CREATE SCHEMA raw")
    provenance: list[dict] = []

    def keep_raw(raw: RawTable, rows: int, truncated: bool, complete: str) -> None:
        con.register("_raw", raw.frame)
        con.execute(f'CREATE TABLE raw."{raw.table_id}" AS SELECT * FROM _raw')
        con.unregister("_raw")
        provenance.append({"table_id": raw.table_id, "source": raw.source, "origin": raw.origin,
                           "fingerprint": raw.fingerprint, "rows": rows, "truncated": truncated,
                           "complete_slice": complete, "built_at": built_at})

    say("Gebieden in Nederland 2016-2025")
    gebieden: dict[int, Gebieden] = {}
    live_keys: dict[str, str] = {}
    for year, table_id in GEBIEDEN.items():
        raw = getter.get(table_id)
        gebieden[year] = Gebieden.from_raw(year, raw)
        entry = getter.manifest.get(table_id)
        keep_raw(raw, len(raw.frame), bool(entry and entry.truncated), "alle rijen")
    resolver = RegionResolver(gebieden.values())
    regions = region_dimension(gebieden)
    municipalities = set(regions.loc[regions["level"] == "GM", "code"])
    names = dict(zip(regions.loc[regions["level"] == "GM", "name"],
                     regions.loc[regions["level"] == "GM", "code"], strict=True))
    if len(municipalities) != 342:
        raise SchemaError(f"table {GEBIEDEN[REFERENCE_YEAR]}: expected 342 municipalities, "
                          f"found {len(municipalities)}")
    con.register("_regions", regions)
    con.execute("CREATE TABLE regions AS SELECT * FROM _regions")

    observations = []
    for table_id in table_ids:
        if table_id not in TABLES:
            raise SchemaError(f"table {table_id} is not in the catalog (zichtop/catalog.py)")
        spec = TABLES[table_id]
        say(f"{table_id} {spec.title}")
        raw = getter.get(table_id, spec)
        live_keys.update(raw.region_keys)

        frame, report = normalise(raw, spec, resolver.with_keys(raw.region_keys))
        check_observations(frame, spec)
        _check_coverage(frame, spec, municipalities, raw.origin,
                        without_code={names.get(t) for t in report.unmapped_titles})
        entry = getter.manifest.get(table_id)
        truncated = bool(entry and entry.truncated)
        complete = (entry.complete_slice if entry else "") or "alle rijen"
        if spec.slice and not truncated:
            complete = "; ".join(f"{d} in ({'; '.join(v)})" for d, v in spec.slice.items())
        keep_raw(raw, report.rows_in, truncated, complete)
        observations.append(frame)
        summary.tables.append({"table_id": table_id, "rows_in": report.rows_in,
                               "observations": len(frame), "truncated": truncated,
                               "complete_slice": complete,
                               "unmapped_titles": len(report.unmapped_titles)})

    obs = pd.concat(observations, ignore_index=True)
    con.register("_obs", obs)
    con.execute("CREATE TABLE observations AS SELECT * FROM _obs")
    con.unregister("_obs")

    say("Omrekenen naar gemeentegrenzen 2024")
    crosswalk = read_crosswalk(settings.crosswalk_dir) \
        if (settings.crosswalk_dir / "gemeente_crosswalk.csv").is_file() else None
    if crosswalk is None:
        say("Geen grenscorrectie beschikbaar: jaren voor 2024 worden niet omgerekend")
    gm = obs[obs["region_level"] == "GM"]
    kinds = gm[["table_id", "measure"]].merge(_kinds_frame(), on=["table_id", "measure"],
                                              how="left")["kind"]
    converted = to_reference(gm[[*GROUP, "year", "region_code", "value"]], GROUP,
                             pd.Series(kinds.to_numpy(), index=gm.index), crosswalk, municipalities)
    con.register("_gm", converted)
    con.execute("CREATE TABLE gm_observations AS SELECT * FROM _gm")
    con.unregister("_gm")

    con.register("_former", former_names(gebieden, crosswalk))
    con.execute("CREATE TABLE former_names AS SELECT * FROM _former")

    inhabitants = inhabitants_by_year(gebieden)
    inhabitants["period_key"] = inhabitants["year"].astype(str) + "JJ00"
    population = to_reference(
        inhabitants.rename(columns={"code": "region_code"}),
        ["table_id", "measure", "period_key"],
        pd.Series("count", index=inhabitants.index), crosswalk, municipalities)
    check_population(population)
    con.register("_pop", population)
    con.execute("CREATE TABLE population AS SELECT region_code, year, value AS inhabitants, "
                "status, missing_share, table_id, measure FROM _pop")

    say("Grenzen (gemeenten, provincies, RIEC-regio's)")
    boundary_rows, layers = [], []
    for level in ("GM", "PV", "RE"):
        expected = set(regions.loc[regions["level"] == level, "code"])
        rows, collection = read_layer(
            settings.geo_dir, level, expected,
            fallback_url=settings.boundaries_url if getter.source == "live" else None,
            verify=settings.cbs_verify, timeout=settings.cbs_timeout)
        boundary_rows.append(rows)
        layers.append({"level": level, "geojson": collection,
                       "bytes": len(collection.encode("utf-8"))})
    con.register("_b", pd.concat(boundary_rows, ignore_index=True))
    con.execute("CREATE TABLE boundaries AS SELECT * FROM _b")
    con.register("_l", pd.DataFrame(layers))
    con.execute("CREATE TABLE boundary_layers AS SELECT * FROM _l")

    con.register("_prov", pd.DataFrame(provenance))
    con.execute("CREATE TABLE provenance AS SELECT * FROM _prov")
    con.execute("CREATE TABLE build_info AS SELECT ? AS source, ? AS built_at, ? AS version, "
                "0.0::DOUBLE AS seconds, ? AS boundary_conversion",
                [getter.source, built_at, __version__,
                 f"grenswijzigen ({VARIANT}), 2016-2023 -> 2024" if crosswalk is not None
                 else "geen (jaren voor 2024 niet omgerekend)"])

    from zichtop.results import materialise_results  # the method reads the staging tables
    say("Thema's en afwijkingen berekenen")
    materialise_results(con)


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
                          f"342 municipalities in {latest} (missing e.g. {sorted(missing)[:3]}); "
                          "a partial table is never shown as national")
