"""The map page's first paint: the same map drawn on the server as plain SVG inside the page's
HTML, so the user sees the 342 municipalities in the map's colours as soon as the HTML arrives,
while the browser still loads and starts Plotly (about 1.5 s). A small script
(assets/eerste-kaart.js) removes it once the interactive map is drawn.

Only shown figures are drawn (hidden ones are grey, as on the map); the geometry is simplified
to about 1 km, enough for a country-wide picture of 400 x 480 points."""

from __future__ import annotations

import html
import math
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from zichtop import presentation as p
from zichtop.web import queries
from zichtop.web.store import get_store

WIDTH, HEIGHT = 400, 480
TOLERANCE = 0.03  # degrees (about 2 km): the outline of a municipality at country scale


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return lon, np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


@lru_cache(maxsize=4)
def _paths(_db: str, _stamp: object) -> tuple[dict[str, str], str]:
    """Per municipality its SVG path, projected and fitted to the picture (once per build)."""
    layer = queries.layer("GM")
    geoms = {f["id"]: shapely.simplify(shapely.geometry.shape(f["geometry"]), TOLERANCE,
                                       preserve_topology=True) for f in layer["features"]}
    bounds = np.array(shapely.total_bounds(list(geoms.values())))
    x0, y0 = _mercator(bounds[[0]], bounds[[1]])
    x1, y1 = _mercator(bounds[[2]], bounds[[3]])
    scale = min(WIDTH / float(x1[0] - x0[0]), HEIGHT / float(y1[0] - y0[0]))

    def ring(coords: np.ndarray) -> str:
        """Whole points of the picture (about 1 km), repeated points dropped."""
        x, y = _mercator(coords[:, 0], coords[:, 1])
        xy = np.column_stack([np.round((x - x0[0]) * scale), np.round((y1[0] - y) * scale)])
        keep = np.ones(len(xy), bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        points = xy[keep].astype(int)
        if len(points) < 3:
            return ""
        return "M" + " ".join(f"{a} {b}" for a, b in points) + "Z"

    paths = {}
    for code, geom in geoms.items():
        polygons = getattr(geom, "geoms", [geom])
        paths[code] = "".join(ring(np.asarray(poly.exterior.coords)) for poly in polygons
                              if poly.geom_type == "Polygon")
    height = math.ceil(float(y1[0] - y0[0]) * scale)
    return paths, f"0 0 {math.ceil(float(x1[0] - x0[0]) * scale)} {height}"


def _colour(log_ratio: float) -> str:
    """The map's diverging colour for a log2 ratio (presentation.DIVERGING, linear in RGB)."""
    t = (min(max(log_ratio, -p.LOG_RANGE), p.LOG_RANGE) + p.LOG_RANGE) / (2 * p.LOG_RANGE)
    stops = [(float(str(at)), str(colour)) for at, colour in p.DIVERGING]
    for (a, ca), (b, cb) in zip(stops, stops[1:], strict=False):
        if t <= b:
            f = (t - a) / (b - a) if b > a else 0.0
            rgb = [round(int(ca[i:i + 2], 16) * (1 - f) + int(cb[i:i + 2], 16) * f)
                   for i in (1, 3, 5)]
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return stops[-1][1]


def svg_map(frame: pd.DataFrame, title: str) -> str:
    """The municipalities in the map's colours: by index where a figure is shown, grey where it
    is te klein, pale blue where there is none."""
    store = get_store()
    paths, view_box = _paths(str(store.db_path), store.stamp())
    rows = frame.set_index("region_code")
    shapes = []
    for code, d in paths.items():
        if code in rows.index and bool(rows.loc[code, "suppressed"]):
            fill = p.TOO_SMALL_COLOUR
        elif code in rows.index and p.is_number(rows.loc[code, "log_ratio"]):
            fill = _colour(float(rows.loc[code, "log_ratio"]))
        elif code in rows.index and p.is_number(rows.loc[code, "value"]):
            fill = p.NEUTRAL
        else:
            fill = p.NO_DATA_COLOUR
        shapes.append(f'<path d="{d}" fill="{fill}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" role="img" '
            f'aria-label="{html.escape(title)}" stroke="#666" stroke-width="0.3">'
            + "".join(shapes) + "</svg>")


def first_paint(indicator: str, period_key: str, label: str) -> str:
    """The placeholder page shown until the app has drawn its map (drawn once per view and
    build: the map page's HTML is asked for often)."""
    store = get_store()
    return _first_paint(indicator, period_key, label, str(store.db_path), store.stamp())


@lru_cache(maxsize=64)
def _first_paint(indicator: str, period_key: str, label: str, _db: str, _stamp: object) -> str:
    frame = queries.indicator_results(indicator, period_key)
    title = f"{label}, {p.period_label(period_key)}"
    return ('<div id="eerste-kaart" aria-hidden="true"><div class="topbar">'
            '<span class="brand">Zichtop</span></div><div class="eerste-kaart-inhoud">'
            # no heading of its own: the page's texts appear only when the page itself is there
            f'<p>{html.escape(title)}. De kaart wordt geladen.</p>'
            f'{svg_map(frame, title)}</div></div>')


def for_request(args: dict[str, str]) -> str:
    """The first paint for the map page's URL parameters ('' when they are not usable: the
    page itself then says why)."""
    from zichtop.themes.registry import indicators
    from zichtop.web import params

    try:
        theme = params.theme_id(args.get("thema"))
        indicator = params.indicator_id(args.get("indicator"), theme)
        period = params.period(args.get("jaar"), queries.periods(indicator))
    except params.BadParameter:
        return ""
    return first_paint(indicator, period, indicators()[indicator][1].label)
