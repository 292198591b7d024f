"""Figure builders are pure functions: data frames in, figures out. Colours and labels come from
zichtop/read/presentation.py."""

import json

import pandas as pd

from zichtop.indicators.registry import indicators
from zichtop.read import presentation as p
from zichtop.web import figures, svg_map

GEO = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": c, "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[5, 52], [5, 52.1], [5.1, 52.1], [5, 52]]]}}
    for c in ("GM0001", "GM0002", "GM0003")]}
NAMES = {"GM0001": "Een", "GM0002": "Twee", "GM0003": "Drie"}
IND = indicators()["drugs_verdachten"][1]  # per 1 000 inwoners, two decimals


def frame():
    return pd.DataFrame({
        "region_code": ["GM0001", "GM0002"], "value": [2.0, None], "suppressed": [False, True],
        "status_label": [None, "te klein"],
        "national_value": [1.0, 1.0], "index": [200.0, None], "log_ratio": [1.0, None],
        "category": ["significant hoger", None], "peer_index": [150.0, None]})


def test_map_splits_values_suppressed_and_missing():
    fig = figures.map_figure(GEO, frame(), NAMES, IND)
    shown, hidden, missing = (fig.data[figures.trace_index(n)] for n in figures.TRACES[:3])
    # the values trace holds every area once (sent with the figure); only GM0001 has a z
    assert figures.shown_codes(shown) == ["GM0001"] and list(shown.z) == [1.0, None, None]
    assert list(shown.text) == ["Een", "Twee", "Drie"]
    assert list(shown.customdata[1:]) == [None, None]  # nothing of the hidden or missing
    assert list(hidden.locations) == ["GM0002"] and hidden.customdata[0][1] == "te klein"
    assert list(missing.locations) == ["GM0003"] and missing.customdata[0][1] == "geen gegevens"
    # "2,00 per 1 000 inwoners": the number per area, the unit once in the template
    assert shown.customdata[0][0] == "2,00" and "%{customdata[0]} per 1 000 inwoners" in \
        shown.hovertemplate
    assert shown.customdata[0][1] == "200"
    # grey is te klein, pale blue is geen gegevens: never white, which is near "binnen de normale spreiding"
    assert hidden.colorscale[0][1] == p.TOO_SMALL_COLOUR
    assert missing.colorscale[0][1] == p.NO_DATA_COLOUR != "#ffffff"


def test_suppressed_value_never_in_figure():
    df = frame()
    df.loc[1, "value"] = 7.77  # even if a value slipped through, a suppressed row never shows it
    text = json.dumps(figures.map_figure(GEO, df, NAMES, IND).to_plotly_json(), default=str)
    assert "7.77" not in text and "7,77" not in text


def test_svg_map_values_colour_and_describe_shown_figures_only():
    values = svg_map.map_values(frame(), IND, codes=list(NAMES))
    # GM0001: 2,00 against 1,00 nationally: index 200, log2 ratio 1
    assert svg_map.text(values, 0, "Een").split("\n") == [
        "Een", "2,00 per 1 000 inwoners", "Nederland: 1,00 per 1 000 inwoners",
        "Index: 200 (100 = Nederland)", "significant hoger",
        "T.o.v. vergelijkbare gemeenten: index 150"]
    assert values["kleur"][0] == svg_map.colour(1.0)
    assert svg_map.text(values, 1, "Twee") == "Twee\nte klein"
    assert values["cijfers"][0] == ["2,00", "200", "significant hoger", "150"]
    assert values["kleur"][1] == p.TOO_SMALL_COLOUR
    assert svg_map.text(values, 2, "Drie") == "Drie\ngeen gegevens"
    assert values["kleur"][2] == p.NO_DATA_COLOUR != "#ffffff"
    categories = svg_map.map_values(frame(), IND, "categorie", "GM0001", ["riec", "x"],
                                    codes=list(NAMES))
    assert categories["kleur"][0] == p.CATEGORY_COLOURS["significant hoger"]
    assert categories["gekozen"] == "GM0001" and categories["grenzen"] == ["riec"]


def test_svg_map_colour_scale_ends_and_middle():
    """Index 100 is the neutral middle; the scale's ends are the darkest purple and orange;
    beyond them the colour stays."""
    (_, low), (_, mid), (_, high) = p.DIVERGING[0], p.DIVERGING[2], p.DIVERGING[-1]
    assert svg_map.colour(0.0) == mid and svg_map.colour(-p.LOG_RANGE) == low
    assert svg_map.colour(p.LOG_RANGE) == high == svg_map.colour(5.0)


def test_svg_map_never_carries_a_hidden_figure():
    df = frame()
    df.loc[1, "value"] = 7.77  # even if a value slipped through, a suppressed row never shows it
    text = json.dumps(svg_map.map_values(df, IND, codes=list(NAMES)))
    assert "7.77" not in text and "7,77" not in text


def test_category_mode_uses_five_categories():
    fig = figures.map_figure(GEO, frame(), NAMES, IND, mode="categorie")
    assert list(fig.data[0].z) == [4, None, None]
    assert list(fig.data[0].colorbar.ticktext)[-1] == "significant hoger"


def test_colour_bar_is_horizontal_with_dutch_ticks():
    bar = figures.map_figure(GEO, frame(), NAMES, IND).data[0].colorbar
    assert bar.orientation == "h"
    assert list(bar.ticktext) == ["35", "50", "71", "100", "141", "200", "283"]


def test_outline_layers_are_addressed_by_name():
    fig = figures.map_figure(GEO, frame(), NAMES, IND, outlines={"provincies": GEO})
    assert fig.data[figures.trace_index("provincies")].name == "provincies"
    assert list(fig.data[figures.trace_index("provincies")].locations) == list(NAMES)


def test_series_chart_leaves_gaps_for_suppressed():
    s = pd.DataFrame({"period_key": ["2023JJ00", "2024JJ00"], "value": [3.0, None],
                      "peer_value": [2.0, 2.0], "national_value": [1.0, 1.0],
                      "suppressed": [False, True], "status_label": [None, "te klein"]})
    fig = figures.series_chart(s, "Een", IND)
    assert list(fig.data[0].x) == ["2023", "2024"]
    assert fig.data[0].y[0] == 3.0 and pd.isna(fig.data[0].y[1])
    assert [a["text"] for a in fig.layout.annotations] == ["te klein"]
    assert fig.layout.separators == ",."


def test_series_chart_reads_half_years_and_draws_single_periods_as_points():
    s = pd.DataFrame({"period_key": ["2024HJ01"], "value": [3.0], "peer_value": [2.0],
                      "national_value": [1.0], "suppressed": [False]})
    fig = figures.series_chart(s, "Een", indicators()["zorg_pgb_per_1000"][1])
    assert list(fig.data[0].x) == ["1e halfjaar 2024"]
    assert {t.mode for t in fig.data} == {"markers"}


def test_series_break_is_drawn():
    s = pd.DataFrame({"period_key": ["2018JJ00", "2019JJ00"], "value": [3.0, 1.0],
                      "peer_value": [2.0, 1.0], "national_value": [1.0, 0.5],
                      "suppressed": [False, False]})
    fig = figures.series_chart(s, "Een", indicators()["vastgoed_eigendom_onbekend"][1])
    # between the 2018 and 2019 categories (positions 0 and 1)
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 == 0.5
    assert "trendbreuk" in [a["text"] for a in fig.layout.annotations]


def test_index_chart_is_logarithmic_like_the_map():
    rows = pd.DataFrame({"indicator": ["drugs_verdachten", "drugs_vuurwapen"],
                         "index": [4500.0, None], "national_value": [1.0, 1.0],
                         "lower95": [0.8, None], "upper95": [1.2, None],
                         "peer_index": [150.0, None], "category": ["significant hoger", None],
                         "suppressed": [False, True], "status_label": [None, "te klein"],
                         "value": [45.0, None]})
    labels = {i: indicators()[i][1].label for i in rows["indicator"]}
    fig = figures.index_chart(rows, labels)
    assert fig.layout.xaxis.type == "log"
    assert fig.data[0].marker.color[0] == p.CATEGORY_COLOURS["significant hoger"]
    assert [a["text"] for a in fig.layout.annotations] == ["te klein"]  # never silently dropped
    # the diamond is the peers' own index against Nederland: 4500 / 150 x 100 = 3000
    assert fig.data[3].x[0] == 3000.0 and "t.o.v. NL" in fig.data[3].name


def test_small_multiples_colour_by_category_and_keep_te_klein():
    df = pd.DataFrame({"name": ["Een", "Twee", "Drie"], "value": [0.5, None, 2.0],
                       "suppressed": [False, True, False], "status_label": [None, "te klein", None],
                       "category": ["lager", None, "hoger"], "national_value": [1.0] * 3})
    fig = figures.compare_chart(df, IND)
    bar = fig.data[0]
    assert list(bar.x) == ["Een", "Twee", "Drie"]  # te klein is not dropped
    assert list(bar.marker.color) == [p.CATEGORY_COLOURS["lager"], p.TOO_SMALL_COLOUR,
                                      p.CATEGORY_COLOURS["hoger"]]
    assert list(bar.text) == ["0,50", "te klein", "2,00"]


def test_spine_chart_rows_bands_and_dot():
    """One row per indicator in the given order: the bands from the spread (5-95% and 25-75%),
    the dot at the municipality's index coloured by its category, a hidden figure as a reason
    and no dot; the reference's line at 100."""
    rows = pd.DataFrame({"indicator": ["a", "b"], "index": [250.0, None],
                         "value": [2.5, None], "category": ["significant hoger", None],
                         "suppressed": [False, True], "status_label": [None, "te klein"]})
    spread = pd.DataFrame({"indicator": ["a", "b"], "p05": [40.0, 30.0], "p25": [70.0, 60.0],
                           "p75": [140.0, 150.0], "p95": [260.0, 300.0]})
    fig = figures.spine_chart(rows, spread, [("a", "Eerste"), ("b", "Tweede")], "provincie X")
    wide, narrow, dot = fig.data
    assert list(wide.y) == ["Eerste", "Tweede"] and list(wide.base) == [40.0, 30.0]
    assert list(wide.x) == [220.0, 270.0] and list(narrow.x) == [70.0, 90.0]
    assert list(dot.x) == [250.0, None]
    assert dot.marker.color[0] == p.CATEGORY_COLOURS["significant hoger"]
    assert [a.text for a in fig.layout.annotations] == ["te klein"]
    assert fig.layout.shapes[0].x0 == 100 and fig.layout.xaxis.type == "log"
    assert fig.layout.xaxis.title.text == "Index (100 = provincie X)"
    assert list(dot.customdata) == ["a", "b"]  # a click names the indicator
