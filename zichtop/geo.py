"""Boundaries for the web: municipalities, provinces and RIEC regions of 2024 (WGS84 GeoJSON).

The mirror's files are already simplified by CBS/PDOK and cartomap (mapshaper 10%); here they are
validated, coordinates rounded to 4 decimals (~10 m) and stored as one FeatureCollection per level.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import requests
import shapely

from zichtop.credits import BOUNDARIES
from zichtop.errors import SchemaError, SourceError

LAYERS = {"GM": "gemeente_2024.geojson", "PV": "provincie_2024.geojson",
          "RE": "regionale_eenheid_2024.geojson"}
CREDIT = BOUNDARIES


def _round(coords: object, digits: int = 4) -> object:
    if isinstance(coords, list):
        return [_round(c, digits) for c in coords]
    return round(float(coords), digits)  # type: ignore[arg-type]


def fetch_layer(url: str, level: str, verify: str | None, timeout: float) -> bytes:
    """Download a boundary file (same files as the mirror's) when no local copy exists."""
    target = f"{url.rstrip('/')}/{LAYERS[level]}"
    try:
        response = requests.get(target, timeout=timeout, verify=verify or True)
        response.raise_for_status()
    except requests.RequestException as error:
        raise SourceError(f"boundaries {LAYERS[level]}: download from {target} failed: "
                          f"{error}") from error
    return response.content


def read_layer(geo_dir: Path, level: str, expected_codes: set[str], *,
               fallback_url: str | None = None, verify: str | None = None,
               timeout: float = 60.0) -> tuple[pd.DataFrame, str]:
    """Rows (level, code, name, geometry as GeoJSON text) and the layer's FeatureCollection text."""
    path = Path(geo_dir) / LAYERS[level]
    if path.is_file():
        source: object = path
    elif fallback_url:
        source = io.BytesIO(fetch_layer(fallback_url, level, verify, timeout))
    else:
        raise SourceError(f"boundary file {path} does not exist")
    frame = gpd.read_file(source)
    if "statcode" not in frame.columns:
        raise SchemaError(f"boundary file {path}: property 'statcode' is missing")
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    codes = set(frame["statcode"])
    if expected_codes and codes != expected_codes:
        missing, extra = sorted(expected_codes - codes)[:5], sorted(codes - expected_codes)[:5]
        raise SchemaError(f"boundary file {path}: codes differ from the region table "
                          f"(missing {missing}, unexpected {extra})")
    features, rows = [], []
    # Plotly's geo maps use d3-geo, which reads a counter-clockwise exterior ring as "the whole
    # globe minus this polygon"; exterior rings are therefore written clockwise.
    oriented = shapely.orient_polygons(frame.geometry.values, exterior_cw=True)
    for code, name, geometry in zip(frame["statcode"], frame["statnaam"], oriented, strict=True):
        geom = geometry.__geo_interface__
        geom = {"type": geom["type"], "coordinates": _round(json.loads(json.dumps(geom["coordinates"])))}
        features.append({"type": "Feature", "id": code, "properties": {"code": code, "name": name},
                         "geometry": geom})
        rows.append({"level": level, "code": code, "name": name,
                     "geometry": json.dumps(geom, separators=(",", ":"))})
    collection = json.dumps({"type": "FeatureCollection", "features": features},
                            separators=(",", ":"), ensure_ascii=False)
    return pd.DataFrame(rows), collection
