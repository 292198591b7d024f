"""The map of the municipalities as plain SVG: no Plotly on the map page.

The server draws the whole map into the page's HTML (the first paint): each municipality is a
link to its profile, so the map answers a click as soon as the HTML has arrived, before any
script runs. A small script (assets/kaart.js) then moves that same picture into the page's map
panel and keeps it up to date with what the app sends on every switch: per municipality its
colour and its tooltip text, values only (`map_values`), never the shapes again. A page reached
without a reload fetches the shapes once from /kaart.svg (stamped with the build, kept by the
browser).

Only shown figures are coloured and described; a hidden figure never reaches the browser (the
area is grey and its text says "te klein"). The simplified, projected outlines come from the
build (mart `map_sketch`, zichtop/pipeline/sketch.py)."""

from __future__ import annotations

import html as markup
from functools import lru_cache
from typing import Any

import pandas as pd
from dash import html

from zichtop.indicators.model import ESTIMATE, Indicator
from zichtop.method.privacy import LABEL as TOO_SMALL
from zichtop.method.statistics import CATEGORIES, NO_TEST, whole_percent_down
from zichtop.read import presentation as p
from zichtop.read import references
from zichtop.read.store import get_store

PEERS = p.PEERS
BORDERS = {"riec": "RE", "provincie": "PV"}  # the map's outline choices and their levels
TICKS = (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5)  # log2 ratios on the colour bar
# the colour scale in steps of 1/20 of a doubling (index steps of 3.5%: no eye tells them
# apart): 61 colours instead of 342, which makes a switch a third smaller on the wire
STEPS = 20


@lru_cache(maxsize=4)
def _shapes(_db: str, _stamp: object) -> tuple[dict[str, dict[str, str]], str]:
    """Per level (GM, RE, PV) each area's SVG path, and the picture's viewBox (read once per
    build)."""
    rows = get_store().query("SELECT level, code, path, view_box FROM map_sketch "
                             "ORDER BY level, code")
    levels: dict[str, dict[str, str]] = {}
    for level, code, path in zip(rows["level"], rows["code"], rows["path"], strict=True):
        levels.setdefault(str(level), {})[str(code)] = str(path)
    return levels, str(rows["view_box"].iloc[0])


def shapes() -> tuple[dict[str, dict[str, str]], str]:
    store = get_store()
    return _shapes(str(store.db_path), store.stamp())


def svg(title: str, names: dict[str, str], values: dict | None = None) -> str:
    """The map as one SVG element: the municipalities as links to their profiles, with their
    names (coloured and described by `values` of all of them when given, see `map_values`),
    the RIEC regions
    and provinces as outlines (shown by the script when chosen) and the outline of a chosen
    municipality."""
    levels, view_box = shapes()
    areas = []
    for i, (code, d) in enumerate(levels.get("GM", {}).items()):
        name = names.get(code, code)
        label = text(values, i, name).replace("\n", ", ") if values else name
        fill = values["kleur"][i] if values else p.NO_DATA_COLOUR
        areas.append(f'<a href="/gemeente/{code}" data-gebied="{code}" '
                     f'data-naam="{markup.escape(name, quote=True)}" '
                     f'aria-label="{markup.escape(label, quote=True)}">'
                     f'<path d="{d}" fill="{fill}"/></a>')
    outlines = "".join(
        f'<g class="grens grens-{key}" aria-hidden="true">'
        + "".join(f'<path d="{d}"/>' for d in levels.get(level, {}).values()) + "</g>"
        for key, level in BORDERS.items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-kaart" viewBox="{view_box}" '
            f'data-heel="{view_box}" data-versie="{_version()}" role="group" '
            f'aria-label="{markup.escape(title)}">'
            f'<g class="gebieden">{"".join(areas)}</g>{outlines}'
            '<path class="gekozen-rand" d="" aria-hidden="true"/></svg>')


def _version() -> str:
    """The build the shapes come from: values of another build are never painted on them."""
    from zichtop.read import queries

    return queries.build_token()


def plain_svg() -> str:
    """The map without values, as /kaart.svg serves it (drawn once per build)."""
    store = get_store()
    return _plain_svg(str(store.db_path), store.stamp())


@lru_cache(maxsize=2)
def _plain_svg(_db: str, _stamp: object) -> str:
    from zichtop.read import queries

    regions = queries.regions()
    return svg("Kaart van de gemeenten", dict(zip(regions["code"], regions["name"],
                                                 strict=True)))


def colour(log_ratio: float) -> str:
    """The map's diverging colour for a log2 ratio (presentation.DIVERGING, linear in RGB)."""
    t = (min(max(log_ratio, -p.LOG_RANGE), p.LOG_RANGE) + p.LOG_RANGE) / (2 * p.LOG_RANGE)
    stops = [(float(str(at)), str(hex_colour)) for at, hex_colour in p.DIVERGING]
    for (a, ca), (b, cb) in zip(stops, stops[1:], strict=False):
        if t <= b:
            f = (t - a) / (b - a) if b > a else 0.0
            rgb = [round(int(ca[i:i + 2], 16) * (1 - f) + int(cb[i:i + 2], 16) * f)
                   for i in (1, 3, 5)]
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return stops[-1][1]


def _fill(row: dict, mode: str) -> str:
    if bool(row["suppressed"]):
        return p.TOO_SMALL_COLOUR
    if not p.is_number(row["value"]):
        return p.NO_DATA_COLOUR
    if mode == "categorie":
        return p.colour_for(row.get("category"))
    if p.is_number(row.get("log_ratio")):
        return colour(round(float(row["log_ratio"]) * STEPS) / STEPS)
    return p.NEUTRAL


def _cells(row: dict, ind: Indicator, reference: str) -> list[str]:
    """What a tooltip says of one area besides its name: value, index, category and peer index
    (and, against another reference than the country, that reference's value and name), or
    only why there is no figure (a hidden figure: only that, whatever else the row holds)."""
    why = TOO_SMALL if bool(row["suppressed"]) else p.reason(row)
    if why:
        return [why]
    cells = [p.value_text(row, ind, with_unit=False), p.index_text(row.get("index")),
             p.category_text(row), p.index_text(row.get("peer_index"))]
    figure_of = row.get("figure_of")
    if isinstance(figure_of, str) and figure_of.startswith("politie-eenheid"):
        # a survey estimate CBS publishes only for large gemeenten: the region's, said so
        return [*cells, f"Cijfer van {figure_of}: de Veiligheidsmonitor publiceert alleen "
                        "grote gemeenten."]
    if reference != references.DEFAULT:
        cells += [p.reference_text(row.get("national_value"), ind),
                  str(row.get("reference_name") or "")]
        share = float(row.get("reference_coverage") or 1.0)
        if share < references.MIN_COVERAGE:  # said on a line of its own
            cells.append(f"De referentie rust op {whole_percent_down(share)}% van haar "
                         "inwoners.")
    return cells


def templates(ind: Indicator, national: str) -> dict[str, str]:
    """The tooltip's lines, by the number of cells an area has; `{naam}` and `{0}`..`{3}` are
    filled in per area (here by `text`, in the browser by assets/kaart.js). What is the same for
    every area (the unit, the national value, the words) travels once."""
    unit = f" {ind.unit}" if ind.unit else ""
    return {"1": "{naam}\n{0}",
            "4": "\n".join(["{naam}", "{0}" + unit, f"Nederland: {national}",
                            "Index: {1} (100 = Nederland)", "{2}", f"T.o.v. {PEERS}: index {{3}}"]),
            # a politie-eenheid's survey estimate in place of the gemeente's own
            "5": "\n".join(["{naam}", "{4}", "{0}" + unit, f"Nederland: {national}",
                            "Index: {1} (100 = Nederland)", "{2}"]),
            # against another reference: its value and name per area
            "6": "\n".join(["{naam}", "{0}" + unit, "{5}: {4}" + unit,
                            "Index: {1} (100 = {5})", "{2}", f"Nederland: {national}"]),
            "7": "\n".join(["{naam}", "{0}" + unit, "{5}: {4}" + unit,
                            "Index: {1} (100 = {5})", "{2}", "{6}", f"Nederland: {national}"])}


def text(values: dict, i: int, name: str) -> str:
    """The tooltip of the `i`-th area of `map_values` as the browser shows it (one line each)."""
    cells = values["cijfers"][i]
    out = values["sjablonen"][str(len(cells))].replace("{naam}", name)
    for i, cell in enumerate(cells):
        out = out.replace("{" + str(i) + "}", cell)
    return out


def map_values(frame: pd.DataFrame, ind: Indicator, mode: str = "afwijking",
               chosen: str | None = None, borders: list[str] | None = None,
               codes: list[str] | None = None, national: float | None = None) -> dict:
    """What the map needs on a switch, per municipality of the map (`codes`, default: all of
    the map's, in the order of its shapes) against the frame's reference (read/references.py;
    `national`: the country's value, where the frame compares with another): its colour
    ('kleur') and what its tooltip says
    ('cijfers', filled into 'sjablonen'; the names travel once, with the shapes), as lists in
    that order; the chosen municipality ('gekozen') and the outlines shown ('grenzen'). Areas
    without a row are pale blue, "geen gegevens". The codes themselves travel only with the
    shapes."""
    codes_given = codes
    codes = list(shapes()[0].get("GM", {})) if codes is None else codes
    rows = {r["region_code"]: r for r in frame.to_dict("records")}
    reference = str(frame["reference"].iloc[0]) if "reference" in frame and len(frame) \
        else references.DEFAULT
    if national is None:
        values = frame["national_value"].dropna() if reference == references.DEFAULT and \
            "national_value" in frame else pd.Series()
        national = values.iloc[0] if len(values) else None
    country = f"{p.reference_text(national, ind)} {ind.unit}".strip()
    colours, cells = [], []
    for code in codes:
        row = rows.get(code)
        colours.append(p.NO_DATA_COLOUR if row is None else _fill(row, mode))
        cells.append([p.NO_DATA] if row is None else _cells(row, ind, reference))
    return {"kleur": colours, "cijfers": cells, "sjablonen": templates(ind, country),
            "gekozen": chosen or None,
            # a survey estimate is published per politie-eenheid (= RIEC region): its outlines
            "grenzen": [b for b in dict.fromkeys([*(borders or []), *(
                ["riec"] if ind.kind == ESTIMATE else [])]) if b in BORDERS],
            "versie": _version() if codes_given is None else ""}


def legend(mode: str, reference: str = references.DEFAULT) -> html.Div:
    """The colour key under the map: the index scale (afwijking) against the chosen
    reference, or the five categories."""
    if mode == "categorie":
        keys = [html.Span([html.Span(className="swatch", style={"background": p.colour_for(c)}),
                           c], className="sleutel") for c in CATEGORIES]
        keys.append(html.Span([html.Span(className="swatch",
                                         style={"background": p.colour_for(NO_TEST)}), NO_TEST],
                              className="sleutel"))
        return html.Div([html.Span("Categorie: ", className="schaal-titel"), *keys],
                        className="kaart-schaal")
    stops = ", ".join(f"{colour} {float(str(at)) * 100:.0f}%" for at, colour in p.DIVERGING)
    hidden: dict[str, Any] = {"aria-hidden": "true"}
    words: dict[str, Any] = {"aria-label": f"van {p.number(100 * 2 ** TICKS[0])} (paars, lager) "
                                           f"tot {p.number(100 * 2 ** TICKS[-1])} (oranje, hoger)"}
    return html.Div([
        html.Span(p.INDEX_LABEL if reference == references.DEFAULT else
                  f"Index (100 = {references.CHOICES[reference]})", className="schaal-titel"),
        html.Div([
            html.Div(style={"background": f"linear-gradient(to right, {stops})"},
                     className="schaal-balk", **hidden),
            html.Div([html.Span(p.number(100 * 2 ** t)) for t in TICKS],
                     className="schaal-getallen", **words)], className="schaal"),
    ], className="kaart-schaal")
