"""Figure builders are pure functions: data frames in, figures out."""

import json

import pandas as pd

from zichtop.web import figures

GEO = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": c, "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[5, 52], [5, 52.1], [5.1, 52.1], [5, 52]]]}}
    for c in ("GM0001", "GM0002", "GM0003")]}
NAMES = {"GM0001": "Een", "GM0002": "Twee", "GM0003": "Drie"}


def frame():
    return pd.DataFrame({
        "region_code": ["GM0001", "GM0002"], "value": [2.0, None], "suppressed": [False, True],
        "national_value": [1.0, 1.0], "index": [200.0, None], "log_ratio": [1.0, None],
        "category": ["significant hoger", None], "peer_index": [150.0, None]})


def test_map_splits_values_suppressed_and_missing():
    fig = figures.map_figure(GEO, frame(), NAMES, "per 1 000 inwoners")
    shown, hidden, missing = fig.data[0], fig.data[1], fig.data[2]
    assert list(shown.locations) == ["GM0001"] and list(shown.z) == [1.0]
    assert list(hidden.locations) == ["GM0002"] and hidden.customdata[0][1] == "te klein"
    assert list(missing.locations) == ["GM0003"] and missing.customdata[0][1] == "geen gegevens"
    assert shown.customdata[0][1] == "2,00 per 1 000 inwoners"
    assert shown.customdata[0][3] == "200"


def test_suppressed_value_never_in_figure():
    df = frame()
    df.loc[1, "value"] = 7.77  # even if a value slipped through, a suppressed row never shows it
    text = json.dumps(figures.map_figure(GEO, df, NAMES, "x").to_plotly_json(), default=str)
    assert "7.77" not in text and "7,77" not in text


def test_patch_carries_no_geometry():
    patch = figures.map_values_patch(frame(), list(NAMES), NAMES, "x")
    text = json.dumps(patch.to_plotly_json(), default=str)
    assert "coordinates" not in text and "GM0001" in text
    full = json.dumps(figures.map_figure(GEO, frame(), NAMES, "x").to_plotly_json(), default=str)
    assert len(text) < len(full) / 2


def test_category_mode_uses_five_categories():
    fig = figures.map_figure(GEO, frame(), NAMES, "x", mode="categorie")
    assert list(fig.data[0].z) == [4]
    assert list(fig.data[0].colorbar.ticktext)[-1] == "significant hoger"


def test_series_chart_leaves_gaps_for_suppressed():
    s = pd.DataFrame({"period_key": ["2023JJ00", "2024JJ00"], "value": [3.0, 4.0],
                      "peer_value": [2.0, 2.0], "national_value": [1.0, 1.0],
                      "suppressed": [False, True]})
    fig = figures.series_chart(s, "Een", "x")
    assert list(fig.data[0].x) == ["2023", "2024"]
    assert fig.data[0].y[0] == 3.0 and pd.isna(fig.data[0].y[1])
