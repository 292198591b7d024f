"""What every step shares: the build's context, the step record, the summary, and reading back
what the load step kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from zichtop.core.config import Settings
from zichtop.core.errors import SchemaError
from zichtop.pipeline.regions import GEBIEDEN, Gebieden
from zichtop.pipeline.sources import RawTable
from zichtop.pipeline.steps.getter import TableGetter


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


def write(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("_frame", frame)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
    con.unregister("_frame")


def raw_table(con: duckdb.DuckDBPyConnection, table_id: str) -> RawTable:
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


def read_gebieden(con: duckdb.DuckDBPyConnection) -> dict[int, Gebieden]:
    return {year: Gebieden.from_raw(year, raw_table(con, t)) for year, t in GEBIEDEN.items()}
