"""MANIFEST.csv of the mirror: which dumps were cut at 10,000 rows and which slice is complete."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from zichtop.core.errors import SchemaError, SliceError
from zichtop.indicators.catalog import TableSpec


@dataclass(frozen=True)
class ManifestEntry:
    table_id: str
    truncated: bool
    complete_slice: str
    rows: int


def read_manifest(cbs_dir: Path) -> dict[str, ManifestEntry]:
    path = Path(cbs_dir) / "MANIFEST.csv"
    if not path.is_file():
        raise SchemaError(f"mirror manifest {path} does not exist")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        entries = {}
        for row in csv.DictReader(handle):
            try:
                entries[row["table_id"]] = ManifestEntry(
                    row["table_id"], row["truncated"].strip() == "yes",
                    row["complete_slice"].strip(), int(row["rows"]))
            except KeyError as error:
                raise SchemaError(f"{path}: column {error} is missing") from error
    return entries


_EQ = re.compile(r"^(\w+)\s*=\s*(.+)$")
_IN = re.compile(r"^(\w+)\s+in\s+\((.*)\)")


def parse_slice(text: str) -> dict[str, set[str]] | None:
    """'Dim=Value' or 'Dim in (a; b)' -> {Dim: {...}}; None for a slice given only in words."""
    if match := _IN.match(text):
        return {match[1]: {v.strip() for v in match[2].split(";")}}
    if match := _EQ.match(text):
        return {match[1]: {match[2].strip()}}
    return None


def check_slice(spec: TableSpec, entry: ManifestEntry | None) -> None:
    """A truncated dump may be used only within the slice its manifest calls complete."""
    if entry is None or not entry.truncated:
        return
    declared = parse_slice(entry.complete_slice)
    if declared is None:
        if not spec.gap_note:
            raise SliceError(f"table {spec.id} was cut at {entry.rows} rows and its complete slice "
                             f"is given only in words ({entry.complete_slice!r}); the catalog must "
                             "state the gap it accepts")
        return
    for dim, complete in declared.items():
        used = set(spec.slice.get(dim, ()))
        if not used:
            raise SliceError(f"table {spec.id} was cut at {entry.rows} rows: only {dim} in "
                             f"{sorted(complete)} is complete, but the catalog uses all of {dim}")
        if outside := used - complete:
            raise SliceError(f"table {spec.id}: {dim}={sorted(outside)} lies outside the complete "
                             f"slice {entry.complete_slice!r} of this truncated dump")
