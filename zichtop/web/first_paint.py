"""The map page's first paint: the map drawn on the server into the page's HTML
(zichtop/web/svg_map.py), so the user sees the 342 municipalities in the map's colours, and can
click one, as soon as the HTML arrives. The page's script (assets/kaart.js) moves this same
picture into the map panel once the app is there."""

from __future__ import annotations

import html
from functools import lru_cache

from zichtop.read import presentation as p
from zichtop.read import queries
from zichtop.read.store import get_store
from zichtop.web import svg_map


def first_paint(indicator: str, period_key: str, label: str, mode: str = "afwijking",
                reference: str = "nl") -> str:
    """The placeholder page shown until the app has drawn its map (drawn once per view and
    build: the map page's HTML is asked for often)."""
    store = get_store()
    return _first_paint(indicator, period_key, label, mode, reference, str(store.db_path),
                        store.stamp())


@lru_cache(maxsize=64)
def _first_paint(indicator: str, period_key: str, label: str, mode: str, reference: str,
                 _db: str, _stamp: object) -> str:
    from zichtop.indicators.registry import indicators

    frame = queries.indicator_results(indicator, period_key)
    title = f"{label}, {p.period_label(period_key)}"
    regions = queries.regions()
    names = dict(zip(regions["code"], regions["name"], strict=True))
    national = frame["national_value"].dropna()
    values = svg_map.map_values(queries.with_reference(frame, reference),
                                indicators()[indicator][1], mode,
                                national=national.iloc[0] if len(national) else None)
    return ('<div id="eerste-kaart"><div class="topbar">'
            '<span class="brand">Zichtop</span></div><div class="eerste-kaart-inhoud">'
            # no heading of its own: the page's texts appear only when the page itself is there
            f'<p>{html.escape(title)}. Klik op een gemeente voor het profiel.</p>'
            f'{svg_map.svg(title, names, values)}</div></div>')


def for_request(args: dict[str, str]) -> str:
    """The first paint for the map page's URL parameters ('' when they are not usable: the
    page itself then says why)."""
    from zichtop.indicators.registry import indicators
    from zichtop.web import params

    try:
        theme = params.theme_id(args.get("thema"))
        indicator = params.indicator_id(args.get("indicator"), theme)
        period = params.period(args.get("jaar"), queries.periods(indicator))
        reference = params.reference(args.get("referentie"))
    except params.BadParameter:
        return ""
    mode = "categorie" if args.get("weergave") == "categorie" else "afwijking"
    return first_paint(indicator, period, indicators()[indicator][1].label, mode, reference)
