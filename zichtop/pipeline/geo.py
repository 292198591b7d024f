"""Boundaries for the web: municipalities, provinces, RIEC regions and wijken of 2024 (WGS84
GeoJSON).

The mirror's files are already simplified (CBS/PDOK, cartomap; the wijk file by a third party,
see the mirror's geo/PROVENANCE.md); here they are validated (invalid rings repaired with
`make_valid`), coordinates rounded to 4 decimals (~10 m) and stored per feature; national layers
also as one FeatureCollection per level. Wijken are sent per municipality only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import requests
import shapely

from zichtop.core.areas import municipality_of
from zichtop.core.credits import BOUNDARIES
from zichtop.core.errors import SchemaError, SourceError

LAYERS = {"GM": "gemeente_2024.geojson", "PV": "provincie_2024.geojson",
          "RE": "regionale_eenheid_2024.geojson", "WK": "wijk_2024.geojson"}
# property names of code and name: cartomap/CBS files use statcode/statnaam, the wijk file
# wijkcode/wijknaam
CODE_PROPERTIES = ("statcode", "wijkcode")
NAME_PROPERTIES = ("statnaam", "wijknaam")
CREDIT = BOUNDARIES
SUBLEVEL_FILES = ("WK",)


DIGITS = 4  # coordinates rounded to 4 decimals: about 10 m


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
    code_col = next((c for c in CODE_PROPERTIES if c in frame.columns), None)
    name_col = next((c for c in NAME_PROPERTIES if c in frame.columns), None)
    if code_col is None or name_col is None:
        raise SchemaError(f"boundary file {path}: property {' or '.join(CODE_PROPERTIES)} or "
                          f"{' or '.join(NAME_PROPERTIES)} is missing")
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    codes = set(frame[code_col])
    if level in SUBLEVEL_FILES:
        # areas below the municipality: every listed area needs a shape; shapes of areas the
        # statistics do not list (water, 'Buitenland') are left out
        if missing_below := sorted(expected_codes - codes):
            raise SchemaError(f"boundary file {path}: {len(missing_below)} areas of the area "
                              f"table have no boundary (e.g. {missing_below[:5]})")
        frame = frame[frame[code_col].isin(expected_codes)]
    elif expected_codes and codes != expected_codes:
        missing, extra = sorted(expected_codes - codes)[:5], sorted(codes - expected_codes)[:5]
        raise SchemaError(f"boundary file {path}: codes differ from the region table "
                          f"(missing {missing}, unexpected {extra})")
    # Plotly's geo maps use d3-geo, which reads a counter-clockwise exterior ring as "the whole
    # globe minus this polygon"; exterior rings are therefore written clockwise.
    valid = shapely.make_valid(frame.geometry.values)
    valid = [shapely.unary_union([g for g in shapely.get_parts(v)
                                  if g.geom_type in ("Polygon", "MultiPolygon")])
             if v.geom_type == "GeometryCollection" else v for v in valid]
    oriented = shapely.orient_polygons(valid, exterior_cw=True)
    rounded = shapely.transform(oriented, lambda xy: np.round(xy, DIGITS))  # all at once
    shapes = shapely.to_geojson(rounded)  # GeoJSON text of every shape at once
    codes_out = list(frame[code_col])
    rows = pd.DataFrame({"level": level, "code": codes_out, "name": list(frame[name_col]),
                         "geometry": list(shapes)})
    # the id is all a map needs (names travel with the values): no properties to send
    collection = '{"type":"FeatureCollection","features":[' + ",".join(
        f'{{"type":"Feature","id":{json.dumps(c, ensure_ascii=False)},"properties":{{}},'
        f'"geometry":{g}}}' for c, g in zip(codes_out, shapes, strict=True)) + "]}"
    return rows, collection


def area_layers(boundaries: pd.DataFrame) -> pd.DataFrame:
    """One FeatureCollection per municipality and level below it (its wijken): what one wijk
    map sends, instead of the national layer of 3,393 shapes."""
    rows = []
    below = boundaries[boundaries["level"].isin(SUBLEVEL_FILES)]
    for (level, municipality), group in below.groupby(
            [below["level"], below["code"].map(municipality_of)]):
        features = [f'{{"type":"Feature","id":{json.dumps(c)},"properties":{{}},"geometry":{g}}}'
                    for c, g in zip(group["code"], group["geometry"], strict=True)]
        text = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
        rows.append({"municipality_code": municipality, "level": level, "geojson": text,
                     "bytes": len(text.encode("utf-8"))})
    return pd.DataFrame(rows, columns=["municipality_code", "level", "geojson", "bytes"])
