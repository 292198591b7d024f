"""Obtaining a CBS table by id, from the local mirror or live from CBS through `cbsodata`.

Both return a `RawTable` shaped like `cbsodata.get_data`: one column per dimension holding CBS
*titles*, one column per measure, all as text. The live path also keeps each region title's
CBS key (its code), which the mirror lacks. Everything after this goes through
`zichtop.pipeline.normalise`, so both paths give the same tables.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import requests

from zichtop.core.errors import SchemaError, SourceError


@dataclass(frozen=True)
class RawTable:
    """One CBS table as obtained, before normalisation."""

    table_id: str
    frame: pd.DataFrame
    source: str  # "mirror" or "live"
    origin: str  # the file path or the URL it came from
    fingerprint: str  # sha256 of the file, or the retrieval time for live tables
    region_keys: Mapping[str, str] = field(default_factory=dict)  # title -> CBS key (live)


def _read_text(path: Path, table_id: str) -> tuple[bytes, str]:
    """A mirror file's bytes and its UTF-8 text; a clear error naming table and file."""
    if not path.is_file():
        raise SourceError(f"table {table_id}: file {path} does not exist")
    content = path.read_bytes()
    try:
        return content, content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"table {table_id}: file {path} is not UTF-8 (byte {error.start}: "
            f"{content[error.start:error.start + 1]!r}); expected UTF-8 with BOM"
        ) from error


def _check_last_row(text: str, names: list[str], table_id: str, path: Path) -> None:
    """A file cut mid-line (a copy that stopped) has a last row shorter than its header: name
    this file and that row, before its missing regions are blamed on another table."""
    lines = text.rstrip("\r\n").split("\n")
    if len(lines) < 2:
        return
    fields = next(csv.reader([lines[-1].rstrip("\r")], delimiter=";"))
    if len(fields) != len(names):
        raise SchemaError(f"table {table_id}: file {path} is cut or damaged: row {len(lines) - 1} "
                          f"has {len(fields)} of the header's {len(names)} fields "
                          f"({lines[-1][:60]!r})")


def read_mirror_table(cbs_dir: Path, table_id: str, columns: list[str] | None = None) -> RawTable:
    """Read `<cbs_dir>/<table_id>.csv` (';'-separated UTF-8 with BOM, as in ../shared/data/cbs).
    With `columns`, only those are kept, as the live path asks CBS for only those ($select)."""
    path = Path(cbs_dir) / f"{table_id}.csv"
    content, text = _read_text(path, table_id)
    if not text.strip():
        raise SchemaError(f"table {table_id}: file {path} is empty (no header, no rows)")
    header = text.split("\n", 1)[0]
    if ";" not in header:
        found = next((d for d in (",", "\t", "|") if d in header), None)
        hint = f"found {found!r} instead" if found else "found a single column"
        raise SchemaError(f"table {table_id}: file {path} is not ';'-separated ({hint})")
    names = next(csv.reader([header.rstrip("\r")], delimiter=";"))
    _check_last_row(text, names, table_id, path)
    if columns is not None:
        missing = [c for c in columns if c not in names]
        if missing:
            raise SchemaError(f"table {table_id} ({path}): column {missing[0]!r} is missing "
                              f"(found: {', '.join(names[:12])}...)")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False,
                            quoting=csv.QUOTE_MINIMAL,
                            usecols=None if columns is None else
                            [c for c in names if c in columns])
    except pd.errors.ParserError as error:
        raise SchemaError(f"table {table_id}: file {path} cannot be parsed: {error}") from error
    return RawTable(table_id, frame, "mirror", str(path), hashlib.sha256(content).hexdigest())


def read_statline_extract(path: Path, table_id: str, measure: str) -> RawTable:
    """A StatLine CSV export in the mirror's `statline/` folder (regions down, years across,
    comma-separated, one subject) reshaped as `cbsodata.get_data(table_id)` returns the table:
    `RegioS`, `Perioden` and the measure's OData key, all text. The live path fetches the same
    table with cbsodata, and both then go through the one normalisation."""
    content, text = _read_text(path, table_id)
    try:
        wide = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise SchemaError(f"table {table_id}: file {path} cannot be parsed: {error}") from error
    region = next((c for c in wide.columns if c.startswith("Regio")), None)
    years = [c for c in wide.columns if str(c).strip().isdigit()]
    if region is None or not years:
        raise SchemaError(f"table {table_id}: file {path} has no region column and year columns "
                          f"(found: {', '.join(map(str, wide.columns[:6]))})")
    wide = wide[~wide[region].str.startswith("Bron:")]  # the export's footer
    long = wide.melt(id_vars=[region], value_vars=years, var_name="Perioden", value_name=measure)
    long = long.rename(columns={region: "RegioS"})[["RegioS", "Perioden", measure]]
    # the export drops a title's leading apostrophe ('s-Gravenhage, 's-Hertogenbosch)
    long["RegioS"] = long["RegioS"].str.replace(r"^s-", "'s-", regex=True)
    return RawTable(table_id, long.reset_index(drop=True), "mirror", str(path),
                    hashlib.sha256(content).hexdigest())


def read_titled_export(path: Path, metadata: Path, table_id: str,
                       columns: list[str]) -> RawTable:
    """A StatLine CSV export whose headers are Dutch titles ("Regioaanduiding/Codering (code)",
    ';'-separated, quoted) reshaped as `cbsodata.get_data(table_id)` returns the table: the
    columns renamed to their OData keys through the table's own DataProperties metadata, and
    only `columns` kept. The live path fetches the same columns with cbsodata."""
    content, text = _read_text(path, table_id)
    _, meta_text = _read_text(metadata, table_id)
    try:
        properties = json.loads(meta_text)
    except json.JSONDecodeError as error:
        raise SchemaError(f"table {table_id}: metadata {metadata} is not JSON: {error}") from error
    properties = properties.get("value", properties) if isinstance(properties, dict) else properties
    by_title: dict[str, list[str]] = {}
    for prop in properties:
        if prop.get("Key"):
            by_title.setdefault(str(prop.get("Title", "")).strip().lower(), []).append(prop["Key"])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise SchemaError(f"table {table_id}: file {path} cannot be parsed: {error}") from error
    renamed = {}
    for header in frame.columns:
        title = re.sub(r"\s*\([^()]*\)\s*$", "", str(header).split("/")[-1]).strip().lower()
        keys = [k for k in by_title.get(title, []) if k in columns]
        if len(keys) == 1:
            renamed[header] = keys[0]
    frame = frame.rename(columns=renamed)
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise SchemaError(f"table {table_id}: file {path} has no column whose title is that of "
                          f"{', '.join(absent)} in {metadata.name}")
    return RawTable(table_id, frame[columns].reset_index(drop=True), "mirror", str(path),
                    hashlib.sha256(content).hexdigest())


@dataclass(frozen=True)
class LiveClient:
    """Live CBS through the real `cbsodata` client (OData v3). No global options are changed:
    the catalog host, certificate check and timeout travel with each call."""

    catalog_url: str = "opendata.cbs.nl"
    verify: str | None = None
    timeout: float = 60.0

    def _kwargs(self) -> dict[str, object]:
        kwargs: dict[str, object] = {"timeout": self.timeout}
        if self.verify:
            kwargs["verify"] = self.verify
        return kwargs

    def fetch(self, table_id: str, slice_: Mapping[str, tuple[str, ...]] | None = None,
              columns: list[str] | None = None) -> RawTable:
        """Download a table with its dimension metadata; swap keys for titles as get_data does,
        but keep the region keys (codes). With `columns`, only those are asked for ($select):
        a KWB table has over a hundred."""
        import cbsodata

        url = f"https://{self.catalog_url}/ODataFeed/odata/{table_id}/"
        try:
            filters = self._slice_filter(cbsodata, table_id, slice_ or {})
            meta = cbsodata.download_data(table_id, catalog_url=self.catalog_url,
                                          filters=filters, select=columns, **self._kwargs())
        except requests.Timeout as error:
            raise SourceError(f"table {table_id}: CBS did not answer within {self.timeout:g} s "
                              f"({url})") from error
        except (requests.HTTPError, requests.ConnectionError) as error:
            raise SourceError(f"table {table_id}: CBS request failed: {error}") from error
        except ValueError as error:  # broken JSON
            raise SourceError(f"table {table_id}: CBS sent a response that is not OData JSON: "
                              f"{error}") from error
        return raw_from_odata(table_id, meta, url)

    def _slice_filter(self, cbsodata: object, table_id: str,
                      slice_: Mapping[str, tuple[str, ...]]) -> str | None:
        """An OData $filter that asks CBS only for the complete slice (by the members' keys),
        so a live build does not download every category of a large table. Normalisation
        applies the slice again, so a dimension whose titles do not match is simply not
        filtered here."""
        clauses = []
        for dim, accepted in slice_.items():
            members = cbsodata.get_meta(table_id, dim, catalog_url=self.catalog_url,  # type: ignore[attr-defined]
                                        **self._kwargs())
            keys = [m["Key"] for m in members if str(m.get("Title", "")).strip() in accepted
                    or str(m["Key"]).strip() in accepted]
            if keys:
                clauses.append("(" + " or ".join(f"{dim} eq '{k}'" for k in keys) + ")")
        return " and ".join(clauses) or None


def raw_from_odata(table_id: str, meta: Mapping[str, list[dict]], url: str) -> RawTable:
    """Turn cbsodata.download_data output into a RawTable (titles in dimension columns)."""
    rows = meta.get("TypedDataSet") or meta.get("UntypedDataSet")
    if not rows:
        raise SchemaError(f"table {table_id}: CBS returned no data rows ({url})")
    properties = meta.get("DataProperties", [])
    dimensions = [p["Key"] for p in properties
                  if p.get("Type") in ("Dimension", "TimeDimension", "GeoDimension")]
    frame = pd.DataFrame(rows)
    region_keys: dict[str, str] = {}
    for dim in dimensions:
        if dim not in meta:
            raise SchemaError(f"table {table_id}: dimension {dim!r} has no metadata endpoint")
        titles = {str(r["Key"]): str(r["Title"]) for r in meta[dim]}
        kind = next(p.get("Type") for p in properties if p["Key"] == dim)
        if kind == "GeoDimension":
            region_keys.update({title.strip(): key.strip() for key, title in titles.items()})
        frame[dim] = frame[dim].astype(str).map(lambda key, t=titles: t.get(key, key))
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    retrieved = datetime.now(UTC).isoformat(timespec="seconds")
    return RawTable(table_id, frame, "live", url, f"retrieved {retrieved}", region_keys)
