"""Step load: every table as obtained (text) into schema `raw`, with its provenance."""

from __future__ import annotations

import pandas as pd

from zichtop.core.errors import SchemaError, SourceError
from zichtop.indicators.catalog import TABLES
from zichtop.pipeline.regions import GEBIEDEN, PLACES
from zichtop.pipeline.sources import RawTable
from zichtop.pipeline.steps.context import BuildContext, write


def load_step(ctx: BuildContext) -> None:
    """Every table from the source as obtained (text) into schema `raw`, with its provenance
    and, for live CBS, the region keys it came with."""
    con, getter = ctx.con, ctx.getter
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    provenance: list[dict] = []
    keys: list[dict] = []

    def keep(raw: RawTable, truncated: bool, complete: str, key: str | None = None) -> None:
        write(con, f'raw."{key or raw.table_id}"', raw.frame)
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
    try:  # the woonplaatsen are for search only: a source without them leaves search by name
        raw = getter.get(PLACES)
        keep(raw, False, "alle rijen")
    except SourceError as error:
        ctx.say(f"{PLACES} Woonplaatsen niet beschikbaar ({error}): zoeken op plaatsnaam uit")
    for key in ctx.table_ids:
        if key not in TABLES:
            raise SchemaError(f"table {key} is not in the catalog (zichtop/indicators/catalog.py)")
        spec = TABLES[key]
        ctx.say(f"{spec.id} {spec.title}")
        raw = getter.get(spec.id, spec)
        entry = None if spec.mirror_extract else getter.manifest.get(spec.id)
        truncated = bool(entry and entry.truncated) and getter.source == "mirror"
        complete = (entry.complete_slice if entry else "") or "alle rijen"
        if spec.slice and not truncated:
            complete = "; ".join(f"{d} in ({'; '.join(v)})" for d, v in spec.slice.items())
        keep(raw, truncated, complete, spec.key)
    write(con, "provenance", pd.DataFrame(provenance))
    write(con, "raw_region_keys", pd.DataFrame(keys, columns=["table_id", "title", "code"]))
