"""The map of the municipalities as plain SVG, made once per build (mart `map_sketch`: one row per
area of the levels GM, RE and PV: its SVG path; the picture's viewBox on every row). The map page
draws its map from it (zichtop/web/svg_map.py): inside the page's HTML at once, and as the
interactive map the app colours, with the RIEC regions and provinces as outlines on top.

Simplified to about 300 m and projected (Web Mercator, fitted to the municipalities) onto whole
points of a 2,000 x 2,400 picture: sharp when zoomed to one municipality, about 30 KiB
compressed for all three levels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

WIDTH, HEIGHT = 2000, 2400
TOLERANCE = 0.004  # degrees (about 300 m): a municipality's outline when the map zooms to it
LEVELS = ("GM", "RE", "PV")


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return lon, np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def map_sketch(boundaries: pd.DataFrame) -> pd.DataFrame:
    """`boundaries` rows (level, code, geometry as GeoJSON text) of the levels GM, RE and PV ->
    level, code, path, view_box; the projection is fitted to the municipalities."""
    boundaries = boundaries[boundaries["level"].isin(LEVELS)].reset_index(drop=True)
    geoms = shapely.simplify(shapely.from_geojson(boundaries["geometry"].to_numpy()),
                             TOLERANCE, preserve_topology=True)
    bounds = shapely.total_bounds(geoms[(boundaries["level"] == "GM").to_numpy()])
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
    return pd.DataFrame({"level": boundaries["level"].to_numpy(),
                         "code": boundaries["code"].to_numpy(), "path": paths,
                         "view_box": view_box})
