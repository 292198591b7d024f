"""The map page's first paint: the same map drawn on the server as plain SVG inside the page's
HTML, so the user sees the 342 municipalities in the map's colours as soon as the HTML arrives,
while the browser still loads and starts Plotly (about 1.5 s). A small script
(assets/eerste-kaart.js) removes it once the interactive map is drawn.

Only shown figures are drawn (hidden ones are grey, as on the map); the simplified, projected
outlines come from the build (mart `map_sketch`, zichtop/pipeline/sketch.py): the app only colours them."""

from __future__ import annotations

import html
from functools import lru_cache

import pandas as pd

from zichtop.read import presentation as p
from zichtop.read import queries
from zichtop.read.store import get_store


@lru_cache(maxsize=4)
def _paths(_db: str, _stamp: object) -> tuple[dict[str, str], str]:
    """Per municipality its SVG path and the picture's viewBox, as the build drew them
    (zichtop/pipeline/sketch.py; read once per build)."""
    rows = get_store().query("SELECT code, path, view_box FROM map_sketch")
    return dict(zip(rows["code"], rows["path"], strict=True)), str(rows["view_box"].iloc[0])


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
    from zichtop.indicators.registry import indicators
    from zichtop.web import params

    try:
        theme = params.theme_id(args.get("thema"))
        indicator = params.indicator_id(args.get("indicator"), theme)
        period = params.period(args.get("jaar"), queries.periods(indicator))
    except params.BadParameter:
        return ""
    return first_paint(indicator, period, indicators()[indicator][1].label)
