"""The page "eigen gegevens" on the server: one request takes the user's file and answers with
everything the page shows and exports, and keeps nothing. The file's bytes are read into memory
for this request only: never written to the store, to disk, to the response cache (this is not a
Dash callback) or to a log (not even its name: the browser sends the bytes only). Any worker can
answer any request: there is no state between requests.

The answer (JSON): `problemen` (each with row, column and value) with status 422, or the map
(a Plotly figure of the municipality's wijken or of the gemeenten), the table rows, the CBS
indicators that stand out in the same areas, the correlations over the areas with their 95%
interval, and the exports (CSV and XLSX, base64)."""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pandas as pd
from flask import Flask, Response, jsonify, request

from zichtop.indicators.model import RATE, SHARE, Indicator, Source
from zichtop.indicators.registry import area_indicators, indicators
from zichtop.method import own, statistics
from zichtop.read import own_data, own_file, queries
from zichtop.read import presentation as p
from zichtop.read.store import get_store
from zichtop.web import figures

ROUTE = "/eigen-gegevens/verwerk"
TEMPLATE_ROUTE = "/eigen-gegevens/sjabloon.csv"
PATTERN = ("Waar eigen signalen en CBS-patronen samenvallen, is dat een patroon, geen bewijs: "
           "bespreek het met wie het gebied kent.")
PRIVATE = ("Uw bestand blijft van u: het wordt alleen voor deze berekening in het geheugen "
           "gelezen en nergens bewaard, niet op de server en niet in een logboek; de uitkomst "
           "staat alleen in dit tabblad.")
MIN_PAIRS = 5  # a correlation over fewer areas says nothing


def _query(sql: str, params: list) -> pd.DataFrame:
    return get_store().query(sql, params)


def add_own_data_route(server: Flask) -> None:
    """The processing route and the template; the route's own body limit (5 MiB)."""

    @server.before_request
    def _own_limit():  # type: ignore[no-untyped-def]
        if request.path == ROUTE:
            request.max_content_length = own_file.MAX_BYTES
        return None

    @server.route(TEMPLATE_ROUTE)
    def _template():  # type: ignore[no-untyped-def]
        return Response(("\ufeff" + own_file.TEMPLATE).encode("utf-8"), mimetype="text/csv",
                        headers={"Content-Disposition":
                                 "attachment; filename=zichtop-eigen-gegevens-sjabloon.csv"})

    @server.route(ROUTE, methods=["POST"])
    def _process():  # type: ignore[no-untyped-def]
        try:
            frame = own_data.results(own_file.parse(request.get_data(cache=False)), _query)
        except own_file.OwnDataError as error:
            answer = jsonify({"problemen": [
                {"rij": e.row, "kolom": e.column, "waarde": e.value, "tekst": e.text()}
                for e in error.problems]})
            answer.status_code = 422
        else:
            answer = jsonify(view(frame))
        answer.headers["Cache-Control"] = "no-store"
        return answer


def _indicator(frame: pd.DataFrame) -> Indicator:
    """The user's figure as an indicator (for the map and the words), never registered."""
    share = bool(frame["own_base"].iloc[0])
    what = next((str(t) for t in frame["omschrijving"] if str(t).strip()), "Eigen gegevens")
    return Indicator(id="eigen", label=what[:80], description=what[:200],
                     numerator=Source("eigen gegevens", "aantal"), denominator=None,
                     kind=SHARE if share else RATE,
                     unit=own.SHARE_UNIT if share else own.RATE_UNIT,
                     scale=100.0 if share else 1000.0)


def view(frame: pd.DataFrame) -> dict:
    """What the page shows of the latest period, and the exports of every period."""
    period = str(frame["period_key"].max())
    latest = frame[frame["period_key"] == period].copy()
    ind = _indicator(frame)
    latest["log_ratio"] = statistics.log_ratio(latest["value"], latest["reference"])
    latest = latest.assign(national_value=latest["reference"], peer_index=np.nan,
                           status_label=latest["status_label"], reference_name="de eigen set")
    names = dict(zip(latest["region_code"], latest["name"], strict=True))
    wijken = bool((latest["level"] == "WK").all())
    if wijken:
        municipality = str(get_store().query(
            "SELECT municipality_code FROM areas WHERE code = ?",
            [latest["region_code"].iloc[0]])["municipality_code"].iloc[0])
        layer = queries.area_layer(municipality) or {"type": "FeatureCollection",
                                                     "features": []}
        every = get_store().query("SELECT code, name FROM areas WHERE municipality_code = ? "
                                  "AND level = 'WK'", [municipality])
        names = {**dict(zip(every["code"], every["name"], strict=True)), **names}
        figure = figures.map_figure(layer, latest, names, ind, height=520,
                                    reference="de eigen set", zoom=False,
                                    compared="De eigen set")
    else:
        figure = figures.map_figure(queries.layer("GM"), latest, names, ind, height=520,
                                    zoom_codes=list(latest["region_code"]),
                                    reference="de eigen set", compared="De eigen set")
    cbs_rows, labels = _cbs_rows(latest, wijken)
    cbs = _cbs_standing_out(cbs_rows, labels)
    rows = []
    for _, r in latest.sort_values("index", ascending=False, na_position="last").iterrows():
        hidden = bool(r["suppressed"])
        rows.append({"gebied": r["name"], "code": r["region_code"],
                     "aantal": None if hidden else int(r["aantal"]),
                     "waarde": p.LABEL if hidden else p.number(r["value"],
                                                                p.digits_for(r["value"], ind)),
                     "index": None if hidden else round(float(r["index"]), 0),
                     "categorie": "" if hidden else (r["category"] or ""),
                     "cbs": cbs.get(r["region_code"], [])})
    export = own_data.export_frame(frame)
    return {"periode": p.period_label(period), "eenheid": ind.unit, "titel": ind.label,
            "referentie": p.number(latest["reference"].iloc[0],
                                   p.digits_for(latest["reference"].iloc[0], ind)),
            "toets": "met de spreiding tussen de gebieden" if bool(latest["widened"].iloc[0])
            else "zonder spreiding tussen de gebieden (te weinig gebieden om die te schatten)",
            "kaart": figure.to_plotly_json(), "kaartinstelling": figures.MAP_CONFIG,
            "rijen": rows,
            "correlaties": _correlations(latest, cbs_rows, labels), "zin": PATTERN,
            "csv": base64.b64encode(own_data.to_csv_bytes(export)).decode("ascii"),
            "xlsx": base64.b64encode(_xlsx(export)).decode("ascii")}


def _cbs_rows(latest: pd.DataFrame, wijken: bool) -> tuple[pd.DataFrame, dict[str, str]]:
    """The CBS figures of the same areas (latest period of each indicator) and their labels."""
    codes = list(latest["region_code"])
    if wijken:
        rows = get_store().query(
            """SELECT r.indicator, r.region_code, r.log_ratio, r.category, r.z FROM area_results r
               JOIN (SELECT indicator, max(period_key) AS p FROM area_results GROUP BY 1) l
                 ON l.indicator = r.indicator AND l.p = r.period_key
               WHERE list_contains(?, r.region_code)""", [codes])
        labels = {i: v[1].label for i, v in area_indicators().items()
                  if v[1].higher_is_risk}
    else:
        rows = get_store().query(
            """SELECT r.indicator, r.region_code, r.log_ratio, r.category, r.z FROM results r
               JOIN (SELECT indicator, max(period_key) AS p FROM results GROUP BY 1) l
                 ON l.indicator = r.indicator AND l.p = r.period_key
               WHERE list_contains(?, r.region_code)""", [codes])
        labels = {i: v[1].label for i, v in indicators().items() if v[1].higher_is_risk}
    return rows[rows["indicator"].isin(labels)], labels


def _cbs_standing_out(rows: pd.DataFrame, labels: dict[str, str]) -> dict[str, list[str]]:
    """Per area, the CBS risk indicators significantly above the country there."""
    high = rows[rows["category"] == "significant hoger"].sort_values("z", ascending=False)
    out: dict[str, list[str]] = {}
    for code, indicator in zip(high["region_code"], high["indicator"], strict=True):
        out.setdefault(code, []).append(labels[indicator])
    return out


def correlation(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float] | None:
    """Pearson's r over pairs and its 95% interval (Fisher's z); None with fewer than
    MIN_PAIRS pairs or no spread."""
    if len(x) < MIN_PAIRS or np.std(x) == 0 or np.std(y) == 0:
        return None
    r = float(np.corrcoef(x, y)[0, 1])
    half = 1.959964 / math.sqrt(len(x) - 3)
    centre = math.atanh(max(min(r, 0.999999), -0.999999))
    return r, math.tanh(centre - half), math.tanh(centre + half)


def _correlations(latest: pd.DataFrame, rows: pd.DataFrame,
                  labels: dict[str, str]) -> list[dict]:
    """The user's figure against each CBS risk indicator over the areas with both shown (on
    the log ratio to each one's own reference), strongest first."""
    mine = latest.set_index("region_code")["log_ratio"].dropna()
    out = []
    for indicator, group in rows.dropna(subset=["log_ratio"]).groupby("indicator"):
        pairs = group.set_index("region_code")["log_ratio"].reindex(mine.index).dropna()
        found = correlation(mine.loc[pairs.index].to_numpy(float), pairs.to_numpy(float))
        if found is None:
            continue
        r, low, high = found
        out.append({"indicator": labels[str(indicator)], "r": p.number(r, 2),
                    "interval": f"{p.number(low, 2)} tot {p.number(high, 2)}",
                    "n": len(pairs), "sterkte": abs(r)})
    return sorted(out, key=lambda c: -float(c["sterkte"]))[:6]  # type: ignore[arg-type]


def _xlsx(export: pd.DataFrame) -> bytes:
    """The export as an Excel file whose text cells never run as formulas."""
    safe = export.copy()
    for column in safe.columns:
        safe[column] = [own_data.safe_text(v) for v in safe[column]]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name="Eigen gegevens", index=False)
        pd.DataFrame({"Toelichting": [own_data.SOURCE, own_data.CBS_SOURCE, PATTERN]}).to_excel(
            writer, sheet_name="Bronnen", index=False)
    return buffer.getvalue()
