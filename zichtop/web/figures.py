"""Figure builders: pure functions from data frames to Plotly figures (unit-tested). Colours,
number formats and labels come from zichtop/read/presentation.py (docs/style.md).

The wijken and factsheet maps are Plotly choropleths (the municipal map page is plain SVG:
zichtop/web/svg_map.py); their traces are addressed by name (TRACES)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from zichtop.indicators.model import Indicator
from zichtop.method.privacy import LABEL as TOO_SMALL
from zichtop.method.statistics import CATEGORIES, NO_TEST
from zichtop.read import presentation as p

NO_DATA = p.NO_DATA
# the map's traces, in order; outline layers are named after what they outline
TRACES = ("waarde", TOO_SMALL, NO_DATA, "RIEC-regio's", "provincies")
PEERS = p.PEERS
AREAS = "gebieden"  # the key of the areas' own layer in map_figure's `urls`


def hover(reference: str = PEERS, national: str = "", unit: str = "",
          compared: str = "Nederland") -> str:
    """The tooltip of a shown area; `reference` names what the last index compares with.
    Name, national value and unit are the same on every switch or for every area: they travel
    once, in `text` and in this template, not in every area's customdata."""
    return ("<b>%{text}</b><br>%{customdata[0]}" + (f" {unit}" if unit else "") + "<br>"
            f"{compared}: {national}<br>"
            f"Index: %{{customdata[1]}} (100 = {compared[:1].lower() + compared[1:]})<br>"
            "%{customdata[2]}<br>"
            f"T.o.v. {reference}: index %{{customdata[3]}}<extra></extra>")


def national_text(frame: pd.DataFrame, ind: Indicator) -> str:
    values = frame["national_value"].dropna() if "national_value" in frame else pd.Series()
    value = values.iloc[0] if len(values) else None
    return f"{p.reference_text(value, ind)} {ind.unit}"


HOVER_PLAIN = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"
# Plotly's geo maps fetch a base-map topojson even when it is hidden; ours is an empty one served
# from /assets, so no request leaves the machine. No mode bar: it covered the colour bar's title.
MAP_CONFIG: Any = {"displayModeBar": False, "scrollZoom": True, "topojsonURL": "/assets/topojson/",
                   "responsive": True}


def trace_index(name: str) -> int:
    return TRACES.index(name)


def _split(frame: pd.DataFrame, all_codes: list[str]) -> dict[str, Any]:
    present = frame.set_index("region_code")
    has_value = present["value"].notna() & ~present["suppressed"].astype(bool)
    shown = present[has_value]
    hidden = present[present["suppressed"].astype(bool)]
    missing = [c for c in all_codes if c not in shown.index and c not in hidden.index]
    return {"shown": shown, "hidden": hidden, "missing": missing}


def trace_values(frame: pd.DataFrame, all_codes: list[str], names: dict[str, str],
                 ind: Indicator, mode: str = "afwijking") -> list[dict]:
    """Per trace: the values trace has every area as a location, always in the order of
    `all_codes` (its locations and names are sent once, with the figure), with z and customdata
    null where an area has no shown figure; the te klein and geen gegevens traces carry names
    and the reason only. A hidden figure never reaches the browser."""
    parts = _split(frame, all_codes)
    shown = parts["shown"]
    if mode == "categorie":
        cats = shown["category"].fillna(NO_TEST)
        values = [CATEGORIES.index(c) if c in CATEGORIES else 2 for c in cats]
    else:
        values = np.clip(shown["log_ratio"].fillna(0.0).to_numpy(float), -p.LOG_RANGE,
                         p.LOG_RANGE).round(3).tolist()
    z_by_code = dict(zip(shown.index, values, strict=True))
    custom_by_code = {code: [p.value_text(r, ind, with_unit=False), p.index_text(r["index"]),
                             p.category_text(r), p.index_text(r["peer_index"]),
                             # the reference's own value, where it differs per area
                             f"{p.reference_text(r.get('national_value'), ind)} {ind.unit}"]
                      for code, r in shown.iterrows()}
    hidden = parts["hidden"]
    missing = parts["missing"]
    return [
        {"z": [z_by_code.get(c) for c in all_codes],
         "customdata": [custom_by_code.get(c) for c in all_codes]},
        {"locations": list(hidden.index), "z": [0] * len(hidden),
         "customdata": [[names.get(c, c), p.reason(r)] for c, r in hidden.iterrows()]},
        {"locations": missing, "z": [0] * len(missing),
         "customdata": [[names.get(c, c), NO_DATA] for c in missing]},
    ]


def shown_codes(trace: Any) -> list[str]:
    """The areas the values trace colours (those with a z)."""
    return [c for c, z in zip(trace["locations"], trace["z"], strict=True) if z is not None]


def _colour_trace(mode: str, compared: str = "Nederland") -> dict:
    bar = {"orientation": "h", "thickness": 12, "len": 0.9, "x": 0.5, "xanchor": "center",
           "y": -0.02, "yanchor": "top", "outlinewidth": 0}
    if mode == "categorie":
        n = len(CATEGORIES)
        scale = []
        for i, c in enumerate(CATEGORIES):
            scale += [[i / n, p.CATEGORY_COLOURS[c]], [(i + 1) / n, p.CATEGORY_COLOURS[c]]]
        return {"colorscale": scale, "zmin": -0.5, "zmax": n - 0.5,
                "colorbar": {**bar, "title": {"text": "Categorie", "side": "top"},
                             "tickvals": list(range(n)), "ticktext": list(CATEGORIES)}}
    ticks = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]
    return {"colorscale": p.DIVERGING, "zmin": -p.LOG_RANGE, "zmax": p.LOG_RANGE,
            "colorbar": {**bar, "title": {"text": p.INDEX_LABEL if compared == "Nederland" else
                                          f"Index (100 = {compared[:1].lower()}{compared[1:]})",
                                          "side": "top"},
                         "tickvals": ticks,
                         "ticktext": [p.number(100 * 2 ** t) for t in ticks]}}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain dicts without Plotly's per-property validation, which costs more
    than everything else in a page; the dicts are checked by the unit tests instead."""
    return go.Figure(data=traces, layout=p.plotly_layout(**layout), _validate=False)


def map_figure(geojson: dict, frame: pd.DataFrame, names: dict[str, str], ind: Indicator,
               mode: str = "afwijking", outlines: dict[str, dict] | None = None,
               zoom_codes: list[str] | None = None, height: int = 560,
               highlight: str | None = None, reference: str = PEERS,
               zoom: bool = True, urls: dict[str, str] | None = None,
               compared: str = "Nederland") -> go.Figure:
    """Choropleth of areas (municipalities, or one municipality's wijken) with outline layers;
    no tiles, fonts or CDN (offline). `reference`: what the frame's peer_index compares with;
    `compared`: what its national_value, index and category compare with.
    `urls`: where the browser fetches a layer (key AREAS for the areas, else an outline's
    name); such a layer travels once, cached by the browser, instead of inside the figure."""
    urls = urls or {}
    features = geojson["features"]
    codes = [f["id"] for f in features]
    if zoom_codes is not None:
        features = [f for f in features if f["id"] in zoom_codes]
        geojson = {"type": "FeatureCollection", "features": features}
        codes = list(zoom_codes)
    values = trace_values(frame, codes, names, ind, mode)
    per_area = "reference" in frame and len(frame) and frame["reference"].iloc[0] != "nl"
    national = "%{customdata[4]}" if per_area else national_text(frame, ind)
    common = {"type": "choropleth", "geojson": urls.get(AREAS, geojson), "featureidkey": "id",
              "marker": {"line": {"width": 0.3, "color": "#666666"}}}
    traces = [{**common, **values[0], **_colour_trace(mode, compared), "name": TRACES[0],
               "locations": codes, "text": [names.get(c, c) for c in codes],
               "hovertemplate": hover(reference, national, ind.unit, compared)}]
    for vals, colour, name in ((values[1], p.TOO_SMALL_COLOUR, TRACES[1]),
                               (values[2], p.NO_DATA_COLOUR, TRACES[2])):
        traces.append({**common, **vals, "colorscale": [[0, colour], [1, colour]],
                       "showscale": False, "name": name, "showlegend": True,
                       "hovertemplate": HOVER_PLAIN})
    for name in TRACES[3:]:
        layer = (outlines or {}).get(name, {"features": []})
        ids = [f["id"] for f in layer["features"]]
        traces.append({"type": "choropleth", "geojson": urls.get(name, layer),
                       "featureidkey": "id",
                       "locations": ids, "z": [0] * len(ids), "showscale": False,
                       "hoverinfo": "skip", "name": name, "showlegend": False,
                       "visible": False,
                       "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                       "marker": {"line": {"width": 1.6, "color": "#222222"}}})
    traces.append(_names_trace(features, names))
    # the chosen area's outline stays the last trace (pages/wijken.py patches data[-1])
    if highlight is not None:  # "" draws the (empty) outline trace of an area chosen later
        feature = [f for f in features if f["id"] == highlight]
        traces.append({"type": "choropleth", "geojson": {"type": "FeatureCollection",
                                                         "features": feature},
                       "featureidkey": "id", "locations": [highlight] if highlight else [],
                       "z": [0] if highlight else [],
                       "showscale": False, "hoverinfo": "skip", "name": "gekozen gemeente",
                       "showlegend": False,
                       "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                       "marker": {"line": {"width": 3.5, "color": "#000000"}}})
    geo: dict = {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}}
    if highlight and zoom:
        geo.update(zoom_to([f for f in features if f["id"] == highlight]))
    else:  # the areas fill the panel (the outline layers span the whole country)
        geo.update(zoom_to(features, margin=0.03))
    layout = {"geo": geo,
              "margin": {"l": 0, "r": 0, "t": 0, "b": 70}, "height": height,
              "legend": {"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom",
                         "title": {"text": "Zonder kleur: "}},
              "uirevision": highlight or "map"}
    return _figure(traces, layout)


LABEL_SHARE = 0.07  # an area is named on the map when it is this wide a share of the view


def _names_trace(features: list[dict], names: dict[str, str]) -> dict:
    """The areas' names written on the map where they fit (an area at least LABEL_SHARE of
    the view wide, its name at a point inside it); every area is named on hover and focus."""
    rings = {f["id"]: _largest_ring(f["geometry"]) for f in features if f.get("geometry")}
    rings = {c: r for c, r in rings.items() if len(r) >= 3}
    if not rings:
        return {"type": "scattergeo", "lon": [], "lat": [], "mode": "text", "showlegend": False}
    x_all = np.concatenate([r[:, 0] for r in rings.values()])
    width = max(float(x_all.max() - x_all.min()), 1e-9)
    lon, lat, text = [], [], []
    for code, ring in rings.items():
        name = names.get(code, code)
        # a longer name needs a wider area (about 1.2% of the view per letter)
        if float(ring[:, 0].max() - ring[:, 0].min()) / width >= max(LABEL_SHARE,
                                                                     0.012 * len(name)):
            x, y = _centroid(ring)
            lon.append(x)
            lat.append(y)
            text.append(name)
    return {"type": "scattergeo", "lon": lon, "lat": lat, "text": text, "mode": "text",
            "textfont": {"size": 10, "color": "#222222"}, "hoverinfo": "skip",
            "showlegend": False, "name": "namen"}


def _largest_ring(geometry: dict) -> np.ndarray:
    """The outer ring with the most points of a (multi)polygon, as an array of (x, y)."""
    polygons = geometry["coordinates"] if geometry.get("type") == "MultiPolygon" \
        else [geometry.get("coordinates", [])]
    rings = [np.asarray(poly[0], float) for poly in polygons if poly and len(poly[0]) >= 3]
    return max(rings, key=len) if rings else np.empty((0, 2))


def _centroid(ring: np.ndarray) -> tuple[float, float]:
    """The area centroid of a ring (the mean of its points where its area is nil)."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    return (float(((x + np.roll(x, -1)) * cross).sum() / (6 * area)),
            float(((y + np.roll(y, -1)) * cross).sum() / (6 * area)))


def zoom_to(features: list[dict], margin: float = 0.6) -> dict:
    """Geo axis ranges around the given features (with `margin` times their size around)."""
    points = np.array(list(_coordinates([f["geometry"]["coordinates"] for f in features])),
                      dtype=float).reshape(-1, 2)
    if not len(points):
        return {}
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    dx, dy = max(x1 - x0, 0.05) * margin, max(y1 - y0, 0.03) * margin
    return {"fitbounds": False, "lonaxis": {"range": [x0 - dx, x1 + dx]},
            "lataxis": {"range": [y0 - dy, y1 + dy]}}


def _coordinates(value: Any):  # type: ignore[no-untyped-def]
    if isinstance(value, list | tuple) and len(value) == 2 and all(
            isinstance(v, int | float) for v in value):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _coordinates(item)


def index_chart(rows: pd.DataFrame, labels: dict[str, str],
                reference: str = "Nederland") -> go.Figure:
    """Index (100 = `reference`: NL unless another is chosen) per indicator on the map's log scale, bars from 100 coloured by
    category; the 95% limits as ticks; the peers' own index as a diamond; rows without a figure
    are listed with their reason."""
    rows = rows.reset_index(drop=True)
    names = [labels[i] for i in rows["indicator"]]
    index = rows["index"].to_numpy(float) if "index" in rows else np.full(len(rows), np.nan)
    has = ~np.isnan(index)
    nat = rows["national_value"].to_numpy(float) if "national_value" in rows else index * np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        low = rows.get("lower95", pd.Series(np.nan, rows.index)).to_numpy(float) / nat * 100
        high = rows.get("upper95", pd.Series(np.nan, rows.index)).to_numpy(float) / nat * 100
        peers = index / rows.get("peer_index", pd.Series(np.nan, rows.index)).to_numpy(float) * 100
    axis = p.index_axis([*index[has].tolist(), *peers[~np.isnan(peers)].tolist()])
    limit = {"symbol": "line-ns-open", "size": 14, "color": "#333"}
    clean = [v if not np.isnan(v) else None for v in index]
    traces: list[dict] = [
        {"type": "bar", "y": names, "x": [(v - 100) if v is not None else None for v in clean],
         "base": 100, "orientation": "h", "name": f"Index (100 = {reference})",
         "customdata": [p.index_text(v) for v in index],
         "hovertemplate": "%{y}: index %{customdata}<extra></extra>",
         "marker": {"color": [p.colour_for(c) for c in rows.get("category", [None] * len(rows))],
                    "line": {"color": "#444", "width": 0.5}}},
        {"type": "scatter", "y": names, "x": [v if not np.isnan(v) else None for v in low],
         "mode": "markers", "name": "95%-grenzen", "marker": limit, "hoverinfo": "skip"},
        {"type": "scatter", "y": names, "x": [v if not np.isnan(v) else None for v in high],
         "mode": "markers", "name": "95%-grenzen", "marker": limit, "hoverinfo": "skip",
         "showlegend": False},
        {"type": "scatter", "y": names, "x": [v if not np.isnan(v) else None for v in peers],
         "mode": "markers", "name": "Vergelijkbare gemeenten samen (index t.o.v. "
                                    f"{'NL' if reference == 'Nederland' else reference})",
         "customdata": [p.index_text(v) for v in peers],
         "hovertemplate": "Vergelijkbare gemeenten samen: index %{customdata}<extra></extra>",
         "marker": {"symbol": "diamond", "color": p.PEER_COLOUR, "size": 9}},
    ]
    annotations = [{"x": 0.0, "xref": "paper", "y": name, "yref": "y", "xanchor": "left",
                    "text": p.reason(r), "showarrow": False,
                    "font": {"color": "#555", "size": 11}}
                   for name, (_, r), ok in zip(names, rows.iterrows(), has, strict=True)
                   if not ok]
    layout = {"height": 120 + 34 * max(len(names), 1),
              "margin": {"l": 10, "r": 10, "t": 50, "b": 40}, "xaxis": axis,
              "yaxis": {"autorange": "reversed", "automargin": True}, "barmode": "overlay",
              "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
              "annotations": annotations,
              "shapes": [{"type": "line", "x0": 100, "x1": 100, "xref": "x", "y0": 0, "y1": 1,
                          "yref": "paper", "line": {"dash": "dash", "color": "#333"}}]}
    return _figure(traces, layout)


def series_chart(series: pd.DataFrame, name: str, ind: Indicator,
                 reference: str = "Nederland") -> go.Figure:
    """The municipality, its similar municipalities together and Nederland over time. Hidden
    periods are gaps marked 'te klein'; a declared series break is a dashed line."""
    shown = series.reset_index(drop=True).copy()
    hidden = shown["suppressed"].fillna(False).astype(bool) | shown["value"].isna()
    shown.loc[hidden, "value"] = np.nan
    x = [p.period_label(k) for k in shown["period_key"]]
    single = len(x) == 1
    mode = "markers" if single else "lines+markers"
    traces = [
        {"type": "scatter", "x": x, "y": shown["value"].tolist(), "name": name, "mode": mode,
         "line": {"color": p.OWN_COLOUR, "width": 3}, "marker": {"size": 8},
         "hovertemplate": "%{x}: %{y:,.2f}<extra>" + name + "</extra>"},
        {"type": "scatter", "x": x, "y": shown["peer_value"].tolist(),
         "name": p.PEER_VALUE_LABEL, "mode": mode,
         "line": {"color": p.PEER_COLOUR, "dash": "dot"}, "marker": {"symbol": "diamond"}},
        {"type": "scatter", "x": x, "y": shown["national_value"].tolist(),
         "name": reference[:1].upper() + reference[1:],
         "mode": mode, "line": {"color": p.NATIONAL_COLOUR, "dash": "dash"},
         "marker": {"symbol": "square"}},
    ]
    # on a category axis annotations and shapes take the category's position (0, 1, ...)
    annotations = [{"x": n, "y": 0, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                    "text": p.reason(r), "font": {"color": "#555", "size": 10}}
                   for n, ((_, r), h) in enumerate(zip(shown.iterrows(), hidden, strict=True))
                   if h]
    shapes = []
    for b in ind.breaks:
        after = [n for n, k in enumerate(shown["period_key"]) if int(k[:4]) >= b.year]
        if after and 0 < after[0] < len(x):
            shapes.append({"type": "line", "x0": after[0] - 0.5, "x1": after[0] - 0.5,
                           "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
                           "line": {"dash": "dash", "color": "#999"}})
            annotations.append({"x": after[0] - 0.5, "y": 1, "yref": "paper",
                                "showarrow": False, "text": "trendbreuk", "xanchor": "left",
                                "font": {"size": 10, "color": "#555"}})
    layout = {"height": 250, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
              "yaxis": p.axis(ind.unit, rangemode="tozero", automargin=True),
              "xaxis": {"type": "category", "automargin": True},
              "legend": {"orientation": "h", "y": -0.3}, "annotations": annotations,
              "shapes": shapes}
    return _figure(traces, layout)


def compare_chart(frame: pd.DataFrame, ind: Indicator) -> go.Figure:
    """One indicator, several municipalities: bars coloured by category, te klein shown as
    such, the national value as a line."""
    frame = frame.reset_index(drop=True)
    has = frame["value"].notna() & ~frame["suppressed"].astype(bool)
    values = [v if ok else 0 for v, ok in zip(frame["value"], has, strict=True)]
    layout: dict = {"title": {"text": ind.label, "font": {"size": 13}}, "height": 270,
                    "yaxis": p.axis(ind.unit, rangemode="tozero"),
                    "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
    if len(frame) and p.is_number(frame["national_value"].iloc[0]):
        national = float(frame["national_value"].iloc[0])
        layout["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": national,
                             "y1": national, "line": {"dash": "dash",
                                                      "color": p.NATIONAL_COLOUR}}]
        layout["annotations"] = [{"xref": "paper", "x": 1, "y": national, "text": "Nederland",
                                  "showarrow": False, "yanchor": "bottom", "xanchor": "right"}]
    traces = [{"type": "bar", "x": frame["name"].tolist(), "y": values,
               "marker": {"color": [p.colour_for(c) if ok else p.TOO_SMALL_COLOUR
                                    for c, ok in zip(frame["category"], has, strict=True)],
                          "line": {"color": "#444", "width": 0.5}},
               "text": [p.value_text(r, ind, with_unit=False) for _, r in frame.iterrows()],
               "textposition": "outside", "cliponaxis": False,
               "hovertemplate": "%{x}: %{text}<extra></extra>"}]
    return _figure(traces, layout)


def spine_chart(rows: pd.DataFrame, spread: pd.DataFrame, labels: list[tuple[str, str]],
                reference: str = "Nederland", row_height: int = 24,
                values: list[str] | None = None) -> go.Figure:
    """Every indicator in one row (`labels`: indicator id and its label, in the order to
    show): the spread of all municipalities' indices as two bands (5-95% light, 25-75% darker),
    this municipality as a dot coloured by its category, the reference as the line at 100; a
    row without a figure says why. On the map's log scale. One click on a row opens its theme
    (the page reads `customdata`)."""
    by_id = rows.set_index("indicator") if len(rows) else pd.DataFrame()
    band = spread.set_index("indicator") if len(spread) else pd.DataFrame()
    names = [label for _, label in labels]
    ids = [i for i, _ in labels]

    def get(frame: pd.DataFrame, i: str, column: str) -> float | None:
        if i not in frame.index or column not in frame or not p.is_number(frame.loc[i, column]):
            return None
        return float(frame.loc[i, column])

    index = [get(by_id, i, "index") for i in ids]
    shown = [v if v is not None and v > 0 else None for v in index]
    rows_ok = [i in by_id.index and not p.reason(by_id.loc[i]) for i in ids]
    wide = [(get(band, i, "p05"), get(band, i, "p95")) for i in ids]
    narrow = [(get(band, i, "p25"), get(band, i, "p75")) for i in ids]
    traces: list[dict] = []
    for spans, colour, name in ((wide, "#e6e6e6", "90% van de gemeenten"),
                                (narrow, "#c4c4c4", "middelste helft")):
        traces.append({"type": "bar", "orientation": "h", "y": names,
                       "base": [a for a, _ in spans],
                       "x": [(b - a) if a and b else None for a, b in spans],
                       "marker": {"color": colour}, "name": name, "hoverinfo": "skip",
                       "customdata": ids})
    traces.append({"type": "scatter", "mode": "markers", "y": names, "x": shown,
                   "name": "deze gemeente", "customdata": ids,
                   "text": [f"index {p.index_text(v)}, {p.category_text(by_id.loc[i])}"
                            if v is not None else "" for i, v in zip(ids, shown, strict=True)],
                   "hovertemplate": "%{y}: %{text}<extra></extra>",
                   "marker": {"size": 11, "line": {"color": "#222", "width": 1},
                              "color": [p.colour_for(by_id.loc[i].get("category"))
                                        if ok else p.TOO_SMALL_COLOUR
                                        for i, ok in zip(ids, rows_ok, strict=True)]}})
    annotations = [{"x": 1.0, "xref": "paper", "xanchor": "right", "y": name, "yref": "y",
                    "text": p.reason(by_id.loc[i]) if i in by_id.index else p.NO_DATA,
                    "showarrow": False, "font": {"color": "#555", "size": 11}}
                   for i, name, v in zip(ids, names, shown, strict=True) if v is None]
    if values is not None:  # on paper: each row's figure in words at the right
        annotations = [{"x": 1.0, "xref": "paper", "xanchor": "left", "y": name, "yref": "y",
                        "text": text, "showarrow": False, "font": {"color": "#222", "size": 8}}
                       for name, text in zip(names, values, strict=True)]
    extent = [v for v in shown if v] + [b for _, b in wide if b] + [a for a, _ in wide if a]
    axis = p.index_axis(extent)
    axis["title"] = {"text": f"Index (100 = {reference})"}
    layout = {"height": 90 + row_height * max(len(names), 1), "barmode": "overlay",
              "bargap": 0.35,
              "margin": {"l": 10, "r": 10 if values is None else 180, "t": 30, "b": 40},
              "xaxis": axis,
              # on paper the rows are close: small type, so that every row keeps its label
              "yaxis": {"autorange": "reversed", "automargin": True,
                        **({"tickfont": {"size": 8}} if values is not None else {})},
              "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom"},
              "annotations": annotations,
              "shapes": [{"type": "line", "x0": 100, "x1": 100, "xref": "x", "y0": 0, "y1": 1,
                          "yref": "paper", "line": {"color": "#333", "width": 1.5}}]}
    figure = _figure(traces, layout)
    if values is not None:
        figure.layout.font.size = 9  # on paper
    return figure
