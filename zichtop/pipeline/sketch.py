"""The municipalities as a small plain-SVG sketch, made once per build (mart `map_sketch`: one
row per municipality: its SVG path; the picture's viewBox on every row). The map page draws its
first paint from it (zichtop/web/first_paint.py) before Plotly is ready.

Simplified to about 2 km and projected (Web Mercator) onto whole points of a 400 x 480 picture:
enough for a country-wide picture, about 10 KiB compressed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

WIDTH, HEIGHT = 400, 480
TOLERANCE = 0.03  # degrees (about 2 km): the outline of a municipality at country scale


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return lon, np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def map_sketch(boundaries: pd.DataFrame) -> pd.DataFrame:
    """`boundaries` rows of one level (code, geometry as GeoJSON text) -> code, path, view_box."""
    geoms = shapely.simplify(shapely.from_geojson(boundaries["geometry"].to_numpy()),
                             TOLERANCE, preserve_topology=True)
    bounds = shapely.total_bounds(geoms)
    x0, y0 = _mercator(bounds[[0]], bounds[[1]])
    x1, y1 = _mercator(bounds[[2]], bounds[[3]])
    scale = min(WIDTH / float(x1[0] - x0[0]), HEIGHT / float(y1[0] - y0[0]))

    def ring(coords: np.ndarray) -> str:
        """Whole points of the picture, repeated points dropped."""
        x, y = _mercator(coords[:, 0], coords[:, 1])
        xy = np.column_stack([np.round((x - x0[0]) * scale), np.round((y1[0] - y) * scale)])
        keep = np.ones(len(xy), bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        points = xy[keep].astype(int)
        if len(points) < 3:
            return ""
        return "M" + " ".join(f"{a} {b}" for a, b in points) + "Z"

    paths = ["".join(ring(np.asarray(poly.exterior.coords))
                     for poly in getattr(geom, "geoms", [geom]) if poly.geom_type == "Polygon")
             for geom in geoms]
    view_box = (f"0 0 {math.ceil(float(x1[0] - x0[0]) * scale)} "
                f"{math.ceil(float(y1[0] - y0[0]) * scale)}")
    return pd.DataFrame({"code": boundaries["code"].to_numpy(), "path": paths,
                         "view_box": view_box})


