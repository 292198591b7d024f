"""Where things are. Resolved once from the environment into an immutable Settings object.

Environment variables (all optional):
- ZICHTOP_SOURCE: "auto" (default: the mirror when its folder exists, else live CBS),
  "mirror" or "live".
- ZICHTOP_MIRROR: folder holding `cbs/<TABLEID>.csv`, `geo/` and `crosswalk/`
  (default `../shared/data` beside the checkout).
- ZICHTOP_DB: the DuckDB file (default `data/zichtop.duckdb`).
- ZICHTOP_CBS_URL: the OData catalog host for live CBS (default `opendata.cbs.nl`).
- ZICHTOP_CBS_VERIFY: a CA bundle for the live host (tests use a self-signed server).
- ZICHTOP_CBS_TIMEOUT: seconds before a live request is given up (default 60).
- ZICHTOP_BOUNDARIES_URL: where boundaries are fetched when the mirror has no `geo/` folder
  (default: cartomap/nl, the source of the mirror's files).
- ZICHTOP_RESPONSE_CACHE_MB: memory per web worker for memoised callback answers (default 64;
  0 turns the cache off).
- ZICHTOP_RESPONSE_CACHE: "0" turns the callback answer cache off (default "1").

Nothing else in zichtop reads the environment (tests/integration/test_layers.py checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MIRROR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_DB = REPO_ROOT / "data" / "zichtop.duckdb"
SOURCES = ("auto", "mirror", "live")


@dataclass(frozen=True)
class Settings:
    source: str = "auto"
    mirror_dir: Path = DEFAULT_MIRROR
    db_path: Path = DEFAULT_DB
    cbs_url: str = "opendata.cbs.nl"
    cbs_verify: str | None = None
    cbs_timeout: float = 60.0
    boundaries_url: str = "https://cartomap.github.io/nl/wgs84"
    response_cache_mb: float = 64.0
    response_cache: bool = True

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        settings = cls(
            source=env.get("ZICHTOP_SOURCE", "auto"),
            mirror_dir=Path(env.get("ZICHTOP_MIRROR", str(DEFAULT_MIRROR))),
            db_path=Path(env.get("ZICHTOP_DB", str(DEFAULT_DB))),
            cbs_url=env.get("ZICHTOP_CBS_URL", "opendata.cbs.nl"),
            cbs_verify=env.get("ZICHTOP_CBS_VERIFY") or None,
            cbs_timeout=float(env.get("ZICHTOP_CBS_TIMEOUT", "60")),
            boundaries_url=env.get("ZICHTOP_BOUNDARIES_URL",
                                   "https://cartomap.github.io/nl/wgs84"),
            response_cache_mb=float(env.get("ZICHTOP_RESPONSE_CACHE_MB", "64")),
            response_cache=env.get("ZICHTOP_RESPONSE_CACHE", "1") != "0",
        )
        if settings.source not in SOURCES:
            raise ValueError(f"ZICHTOP_SOURCE must be one of {SOURCES}, not {settings.source!r}")
        return settings

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def cbs_dir(self) -> Path:
        return self.mirror_dir / "cbs"

    @property
    def geo_dir(self) -> Path:
        return self.mirror_dir / "geo"

    @property
    def crosswalk_dir(self) -> Path:
        return self.mirror_dir / "crosswalk"

    def resolved_source(self) -> str:
        """The source a build uses: 'auto' picks the mirror when its folder exists."""
        if self.source != "auto":
            return self.source
        return "mirror" if self.cbs_dir.is_dir() else "live"
