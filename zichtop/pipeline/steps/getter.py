"""Obtaining raw tables from the chosen source (the mirror, or live CBS): one object per build,
no global state."""

from __future__ import annotations

from zichtop.core.config import Settings
from zichtop.core.errors import SourceError
from zichtop.indicators.catalog import TableSpec
from zichtop.pipeline.input_checks import check_text
from zichtop.pipeline.manifest import ManifestEntry, check_slice, read_manifest
from zichtop.pipeline.sources import (
    LiveClient,
    RawTable,
    read_mirror_table,
    read_statline_extract,
    read_titled_export,
)


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
                raw = read_mirror_table(self.settings.cbs_dir, table_id,
                                        spec.columns if spec is not None else None)
        else:
            raw = self.client.fetch(table_id, spec.slice if spec is not None else None,
                                    spec.columns if spec is not None else None)
        check_text(table_id, raw.origin, raw.frame)
        return raw
