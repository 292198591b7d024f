"""Figure builders: pure functions from data frames to Plotly figures (unit-tested).

The map sends municipality boundaries once; `map_values_patch` updates only the values, so an
indicator or year switch does not resend geometry."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from zichtop.method import CATEGORIES, NO_TEST
from zichtop.privacy import LABEL as TOO_SMALL
from zichtop.profile import digits_for, fmt

NO_DATA = "geen gegevens"
# Colour-blind safe diverging palette (ColorBrewer PuOr), purple = lower, orange = higher.
DIVERGING = [[0.0, "#542788"], [0.25, "#998ec3"], [0.5, "#f7f7f7"], [0.75, "#f1a340"],
             [1.0, "#b35806"]]
CATEGORY_COLOURS = dict(zip(CATEGORIES, ["#542788", "#998ec3", "#f7f7f7", "#f1a340", "#b35806"],
                            strict=True))
SUPPRESSED_COLOUR, MISSING_COLOUR = "#9e9e9e", "#ffffff"
LOG_RANGE = 1.5  # colour scale spans index 35 .. 283 (log2 ratio -1.5 .. +1.5)
HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Nederland: %{customdata[2]}<br>"
         "Index: %{customdata[3]} (100 = Nederland)<br>%{customdata[4]}<br>"
         "Vergelijkbare gemeenten: index %{customdata[5]}<extra></extra>")
# Plotly's geo maps fetch a base-map topojson even when it is hidden; ours is an empty one served
# from /assets, so no request leaves the machine.
MAP_CONFIG: Any = {"displaylogo": False, "scrollZoom": True, "topojsonURL": "/assets/topojson/"}
HOVER_PLAIN = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"


def _split(frame: pd.DataFrame, all_codes: list[str]) -> dict[str, pd.DataFrame]:
    present = frame.set_index("region_code")
    shown = present[~present["suppressed"] & present["value"].notna()]
    hidden = present[present["suppressed"]]
    missing = [c for c in all_codes if c not in shown.index and c not in hidden.index]
    return {"shown": shown, "hidden": hidden, "missing": pd.DataFrame(index=missing)}


def trace_values(frame: pd.DataFrame, all_codes: list[str], names: dict[str, str], unit: str,
                 mode: str = "afwijking") -> list[dict]:
    """Per trace (values, te klein, geen gegevens): locations, z, customdata. Suppressed and
    missing traces carry names only: a hidden figure never reaches the browser."""
    parts = _split(frame, all_codes)
    shown = parts["shown"]
    if mode == "categorie":
        cats = shown["category"].fillna(NO_TEST)
        z = [CATEGORIES.index(c) if c in CATEGORIES else 2 for c in cats]
    else:
        z = np.clip(shown["log_ratio"].fillna(0.0).to_numpy(float), -LOG_RANGE, LOG_RANGE).tolist()
    custom = [[names.get(code, code), f"{fmt(r['value'], digits_for(unit))} {unit}",
               f"{fmt(r['national_value'], digits_for(unit))} {unit}", fmt(r["index"], 0),
               r["category"] or NO_TEST, fmt(r["peer_index"], 0)]
              for code, r in shown.iterrows()]
    hidden = list(parts["hidden"].index)
    missing = list(parts["missing"].index)
    return [
        {"locations": list(shown.index), "z": z, "customdata": custom},
        {"locations": hidden, "z": [0] * len(hidden),
         "customdata": [[names.get(c, c), TOO_SMALL] for c in hidden]},
        {"locations": missing, "z": [0] * len(missing),
         "customdata": [[names.get(c, c), NO_DATA] for c in missing]},
    ]


def _colour_trace(mode: str) -> dict:
    if mode == "categorie":
        n = len(CATEGORIES)
        scale = []
        for i, c in enumerate(CATEGORIES):
            scale += [[i / n, CATEGORY_COLOURS[c]], [(i + 1) / n, CATEGORY_COLOURS[c]]]
        return {"colorscale": scale, "zmin": -0.5, "zmax": n - 0.5,
                "colorbar": {"title": {"text": "Categorie"}, "tickvals": list(range(n)),
                             "ticktext": list(CATEGORIES)}}
    ticks = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]
    return {"colorscale": DIVERGING, "zmin": -LOG_RANGE, "zmax": LOG_RANGE,
            "colorbar": {"title": {"text": "Index<br>(100 = NL)"}, "tickvals": ticks,
                         "ticktext": [f"{100 * 2 ** t:.0f}" for t in ticks]}}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain dicts without Plotly's per-property validation, which costs more
    than everything else in a page; the dicts are checked by the unit tests instead."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def map_figure(geojson: dict, frame: pd.DataFrame, names: dict[str, str], unit: str,
               mode: str = "afwijking", outlines: list[dict] | None = None,
               zoom_codes: list[str] | None = None, height: int = 620) -> go.Figure:
    """Choropleth of municipalities with outline layers; no tiles, fonts or CDN (offline)."""
    codes = [f["id"] for f in geojson["features"]]
    if zoom_codes is not None:
        geojson = {"type": "FeatureCollection",
                   "features": [f for f in geojson["features"] if f["id"] in zoom_codes]}
        codes = list(zoom_codes)
    values = trace_values(frame, codes, names, unit, mode)
    common = {"type": "choropleth", "geojson": geojson, "featureidkey": "id",
              "marker": {"line": {"width": 0.3, "color": "#666666"}}}
    traces = [{**common, **values[0], **_colour_trace(mode), "name": "waarde",
               "hovertemplate": HOVER}]
    for vals, colour, name in ((values[1], SUPPRESSED_COLOUR, TOO_SMALL),
                               (values[2], MISSING_COLOUR, NO_DATA)):
        traces.append({**common, **vals, "colorscale": [[0, colour], [1, colour]],
                       "showscale": False, "name": name, "showlegend": True,
                       "hovertemplate": HOVER_PLAIN})
    for layer in outlines or []:
        ids = [f["id"] for f in layer["features"]]
        traces.append({"type": "choropleth", "geojson": layer, "featureidkey": "id",
                       "locations": ids, "z": [0] * len(ids), "showscale": False,
                       "hoverinfo": "skip", "name": "grenzen",
                       "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                       "marker": {"line": {"width": 1.6, "color": "#222222"}}})
    layout = {"geo": {"fitbounds": "locations", "visible": False,
                      "projection": {"type": "mercator"}},
              "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": height,
              "legend": {"orientation": "h", "y": -0.02, "x": 0}, "uirevision": "map",
              "paper_bgcolor": "white"}
    return _figure(traces, layout)


def map_values_patch(frame: pd.DataFrame, all_codes: list[str], names: dict[str, str],
                     unit: str, mode: str = "afwijking") -> Patch:
    """Only the values of the three municipality traces; boundaries stay in the browser."""
    patch = Patch()
    for i, vals in enumerate(trace_values(frame, all_codes, names, unit, mode)):
        for key, value in vals.items():
            patch["data"][i][key] = value
    for key, value in _colour_trace(mode).items():
        patch["data"][0][key] = value
    return patch


def index_chart(rows: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Index (100 = NL) per indicator with the 95% limits as an interval; peers as a marker."""
    shown = rows[~rows["suppressed"].fillna(False).astype(bool) & rows["index"].notna()]
    names = [labels[i] for i in shown["indicator"]]
    nat = shown["national_value"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = (shown["lower95"].to_numpy(float) / nat * 100).tolist()
        high = (shown["upper95"].to_numpy(float) / nat * 100).tolist()
        peers = (shown["index"] / shown["peer_index"] * 100).tolist()
    limit = {"symbol": "line-ns-open", "size": 14, "color": "#333"}
    traces = [
        {"type": "bar", "y": names, "x": shown["index"].tolist(), "orientation": "h",
         "name": "Gemeente", "hovertemplate": "%{y}: index %{x:.0f}<extra></extra>",
         "marker": {"color": [CATEGORY_COLOURS.get(c, "#bdbdbd") for c in shown["category"]],
                    "line": {"color": "#444", "width": 0.5}}},
        {"type": "scatter", "y": names, "x": low, "mode": "markers",
         "name": "95%-grens (onder)", "marker": limit},
        {"type": "scatter", "y": names, "x": high, "mode": "markers",
         "name": "95%-grens (boven)", "marker": limit},
        {"type": "scatter", "y": names, "x": peers, "mode": "markers",
         "name": "Vergelijkbare gemeenten", "marker": {"symbol": "diamond", "color": "#1b7837"}},
    ]
    layout = {"height": 110 + 45 * max(len(names), 1),
              "margin": {"l": 10, "r": 10, "t": 60, "b": 30},
              "xaxis": {"title": {"text": "Index (100 = Nederland)"}}, "barmode": "overlay",
              "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
              "plot_bgcolor": "white", "shapes": [{"type": "line", "x0": 100, "x1": 100, "xref": "x", "y0": 0, "y1": 1,
                          "yref": "paper", "line": {"dash": "dash", "color": "#333"}}]}
    return _figure(traces, layout)


def series_chart(series: pd.DataFrame, name: str, unit: str) -> go.Figure:
    """Municipality, peer group and Nederland over time; suppressed points are gaps."""
    shown = series.copy()
    shown.loc[shown["suppressed"].fillna(False).astype(bool), "value"] = np.nan
    x = [p[:4] if p[4:6] == "JJ" else f"{p[:4]}-{p[4:]}" for p in shown["period_key"]]
    traces = [
        {"type": "scatter", "x": x, "y": shown["value"].tolist(), "name": name,
         "mode": "lines+markers", "line": {"color": "#b35806", "width": 3}},
        {"type": "scatter", "x": x, "y": shown["peer_value"].tolist(),
         "name": "Vergelijkbare gemeenten", "mode": "lines",
         "line": {"color": "#1b7837", "dash": "dot"}},
        {"type": "scatter", "x": x, "y": shown["national_value"].tolist(), "name": "Nederland",
         "mode": "lines", "line": {"color": "#542788", "dash": "dash"}},
    ]
    layout = {"height": 240, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
              "yaxis": {"title": {"text": unit}}, "legend": {"orientation": "h", "y": -0.25},
              "plot_bgcolor": "white", "xaxis": {"type": "category"}}
    return _figure(traces, layout)


def compare_chart(frame: pd.DataFrame, label: str, unit: str) -> go.Figure:
    """One indicator, several municipalities: bars with the national value as a line."""
    shown = frame[~frame["suppressed"] & frame["value"].notna()]
    layout: dict = {"title": {"text": label, "font": {"size": 13}}, "height": 260,
                    "yaxis": {"title": {"text": unit}}, "plot_bgcolor": "white",
                    "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
    if len(frame):
        national = float(frame["national_value"].iloc[0])
        layout["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": national,
                             "y1": national, "line": {"dash": "dash"}}]
        layout["annotations"] = [{"xref": "paper", "x": 1, "y": national, "text": "Nederland",
                                  "showarrow": False, "yanchor": "bottom", "xanchor": "right"}]
    traces = [{"type": "bar", "x": shown["name"].tolist(), "y": shown["value"].tolist(),
               "marker": {"color": "#f1a340"},
               "hovertemplate": "%{x}: %{y:.2f}<extra></extra>"}]
    return _figure(traces, layout)
