"""Views of the areas below a municipality, shared by the wijken page and the profile: the
indicator choices, the wijk map of one municipality, and the sortable table of its wijken (or of
a wijk's buurten). Only shown figures reach them: hidden ones arrive as NULL."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import dash_table, dcc, html  # type: ignore[attr-defined]

from zichtop.core.areas import COMPLETE
from zichtop.indicators.model import Indicator
from zichtop.indicators.registry import area_indicators
from zichtop.method import statistics
from zichtop.read import presentation as p
from zichtop.read import queries
from zichtop.web import figures

DUTCH = {"decimal": ",", "group": "."}
WIJK_REFERENCE = "de eigen gemeente"
# what a wijk is compared with (`referentie=` on the wijken page): the country or its own
# municipality (area_results: index and category against both)
WIJK_REFERENCES = {"nl": "Nederland", "gemeente": "de eigen gemeente"}


def indicator_choices(coverage: pd.DataFrame) -> list[dict]:
    """Every wijk indicator, labelled with its theme; those without figures for this
    municipality are disabled, with the reason."""
    status = coverage[coverage["level"] == "WK"].set_index("indicator")
    out = []
    for ind_id, (theme, ind) in area_indicators().items():
        why = str(status.loc[ind_id, "reason"]) if ind_id in status.index else \
            "geen wijkcijfers in deze installatie"
        out.append({"label": f"{theme.label}: {ind.label}" + (f" ({why})" if why else ""),
                    "value": ind_id, "disabled": bool(why)})
    return out


def table_rows(rows: pd.DataFrame, ind: Indicator) -> list[dict]:
    """Areas for one indicator: numbers as numbers (for sorting), the reason where there is
    none. A hidden figure never reaches the table."""
    out = []
    for _, r in rows.iterrows():
        why = p.reason(r) if isinstance(r.get("indicator"), str) else p.NO_DATA
        shown = not why
        out.append({
            "id": r["region_code"], "Gebied": r["name"],
            "Inwoners": float(r["inhabitants"]) if p.is_number(r["inhabitants"]) else None,
            "Waarde": round(float(r["value"]), p.digits_for(r["value"], ind)) if shown else None,
            "Toelichting": why or "",
            "Index NL": round(float(r["index"])) if shown and p.is_number(r["index"]) else None,
            "Index gemeente": round(float(r["parent_index"]))
            if shown and p.is_number(r["parent_index"]) else None,
            "Categorie": p.category_text(r) if shown else "",
            "Categorie gemeente": (r.get("parent_category") or p.NO_TEST) if shown else "",
        })
    return sorted(out, key=lambda x: -(x["Index NL"] if x["Index NL"] is not None else -1))


def area_table(table_id: str, rows: list[dict], ind: Indicator, parent_label: str,
               page_size: int = 60) -> html.Div:
    digits = p.decimals(ind)
    number = {"type": "numeric", "format": {"locale": DUTCH, "specifier": f",.{digits}f"}}
    whole = {"type": "numeric", "format": {"locale": DUTCH, "specifier": ",.0f"}}
    return html.Div(dash_table.DataTable(  # type: ignore[attr-defined]
        id=table_id, data=rows, sort_action="native", page_size=page_size,
        columns=[{"name": "Gebied", "id": "Gebied"},
                 {"name": "Inwoners", "id": "Inwoners", **whole},
                 {"name": f"Waarde ({ind.unit})", "id": "Waarde", **number},
                 {"name": "Toelichting", "id": "Toelichting"},
                 {"name": "Index (NL = 100)", "id": "Index NL", **whole},
                 {"name": f"Index t.o.v. {parent_label}", "id": "Index gemeente", **whole},
                 {"name": "Categorie (t.o.v. NL)", "id": "Categorie"},
                 {"name": f"Categorie t.o.v. {parent_label}", "id": "Categorie gemeente"}],
        style_cell={"fontFamily": "inherit", "textAlign": "left", "padding": "4px"},
        style_table={"overflowX": "auto"}, cell_selectable=True), className="table-scroll")


def wijk_map(code: str, rows: pd.DataFrame, ind: Indicator, chosen: str | None,
             mode: str = "afwijking", reference: str = "nl") -> Any:
    """The wijken coloured against the country or (`reference` 'gemeente') their own
    municipality; the tooltip's last line gives the other comparison."""
    layer = queries.area_layer(code)
    if layer is None:
        return html.P("Voor deze gemeente zijn geen wijkgrenzen geladen; de tabel hieronder "
                      "geeft de cijfers.", className="missing")
    frame = rows.dropna(subset=["indicator"]).assign(peer_index=lambda f: f["parent_index"])
    last, compared = WIJK_REFERENCE, "Nederland"
    if reference == "gemeente":
        frame = frame.assign(
            peer_index=frame["index"], national_value=frame["parent_value"],
            index=frame["parent_index"], category=frame["parent_category"],
            log_ratio=statistics.log_ratio(frame["value"], frame["parent_value"]))
        last, compared = "Nederland", "De gemeente"
    names = dict(zip(rows["region_code"], rows["name"], strict=True))
    # always an outline trace for the chosen wijk (empty until one is chosen): a click then
    # changes only that trace (pages/wijken.py)
    figure = figures.map_figure(layer, frame, names, ind, mode, height=520,
                                highlight=chosen or "", reference=last, zoom=False,
                                urls={figures.AREAS: queries.area_layer_url(code)},
                                compared=compared)
    return dcc.Graph(id="wijken-map", figure=figure, config=figures.MAP_CONFIG, className="map")


def default_indicator(coverage: pd.DataFrame) -> str | None:
    """The first wijk indicator this municipality has figures for."""
    complete = set(coverage.loc[coverage["status"] == COMPLETE, "indicator"])
    return next((i for i in area_indicators() if i in complete), None)


def wijk_overview(code: str, name: str) -> list:
    """The profile's wijk section: the map and table of the first wijk indicator this
    municipality has figures for, with the way to the full wijken page."""
    coverage = queries.area_coverage(code)
    ind_id = default_indicator(coverage)
    if ind_id is None:
        return [html.P(f"Voor {name} zijn geen wijkcijfers geladen.", className="missing")]
    ind = area_indicators()[ind_id][1]
    rows = queries.area_results(ind_id, code, "WK")
    others = [(i, other.label) for i, (_t, other) in area_indicators().items() if i != ind_id]
    return [html.P([f"{ind.label}. 100 = landelijk gemiddelde. ",
                    html.A(f"Alle wijkindicatoren en buurten van {name} \u2192",
                           href=f"/wijken/{code}?indicator={ind_id}")]),
            wijk_map(code, rows, ind, None),
            area_table("profiel-wijken-tabel", table_rows(rows, ind), ind, WIJK_REFERENCE,
                       page_size=15),
            html.Ul([html.Li(html.A(label, href=f"/wijken/{code}?indicator={i}"))
                     for i, label in others], className="links")]
