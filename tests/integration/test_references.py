"""Other references than the country, on the real store: the province, the RIEC region, the
size class and the neighbours (zichtop/method/references, read/references.py), recomputed by
hand from the staged CBS rows."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bench.load import switch

INDICATOR, PERIOD = "vakantie_recreatiewoningen", "2024JJ00"


@pytest.fixture(scope="module")
def by_hand(con) -> pd.DataFrame:
    """85383NED 2024 (Definitief) non-dwellings with a lodging function per municipality over
    its inhabitants (2024), and each one's province. A figure is shown from 10 on (our
    small-number rule); a province's reference pools its shown members: summed counts over
    summed inhabitants. The funnel's spread: z = (count - expected) / sqrt(expected) with the
    expected count at the province's rate, Spiegelhalter's over-dispersion phi the mean square
    of the z-scores winsorised at 10% and 90% over every municipality expecting 5 or more."""
    rows = con.execute(
        "SELECT o.region_code, o.value AS num, p.inhabitants AS den, g.province_code AS pv "
        "FROM gm_observations o JOIN population p ON p.region_code = o.region_code "
        "AND p.year = 2024 JOIN regions g ON g.code = o.region_code "
        "WHERE o.table_id = '85383NED' AND o.measure = 'NietWoningMetFunctieLogies_38' "
        "AND o.period_key = ? AND o.dims LIKE '%Definitief%'", [PERIOD]).df()
    assert len(rows) == 342
    shown = rows[(rows["num"] >= 10) & (rows["den"] >= 100)]
    reference = shown.groupby("pv")["num"].sum() / shown.groupby("pv")["den"].sum() * 1000
    rows["reference"] = rows["pv"].map(reference)
    rows["expected"] = rows["den"] * rows["reference"] / 1000
    z = (rows["num"] - rows["expected"]) / np.sqrt(rows["expected"])
    usable = z[rows["expected"] >= 5]
    low, high = np.percentile(usable, [10, 90])
    phi = max(float(np.mean(np.clip(usable, low, high) ** 2)), 1.0)
    rows["z"] = z / np.sqrt(phi)
    rows["index"] = rows["num"] / rows["den"] * 1000 / rows["reference"] * 100
    return rows.set_index("region_code")


def _category(z: float) -> str:
    """The five categories at the 95% and 99.8% limits (normal approximation: the three
    municipalities below lie far from either limit)."""
    if abs(z) > 3.09:
        return "significant hoger" if z > 0 else "significant lager"
    if abs(z) > 1.96:
        return "hoger" if z > 0 else "lager"
    return "binnen de normale spreiding"


def test_the_provincial_reference_of_three_zeeland_municipalities_by_hand(con, by_hand):
    """Zeeland pools its 13 municipalities' 19,234 recreational homes over 391,634 inhabitants:
    49.11 per 1 000. Sluis's 5,131 on 23,150 inhabitants (221.64) is index 451 and
    significantly higher; Kapelle's 299 on 13,009 (22.98) index 47 but within the spread
    between municipalities; Terneuzen's 151 on 55,132 (2.74) index 6, lower."""
    stored = con.execute(
        "SELECT region_code, reference_value, index, category, reference_coverage "
        "FROM comparisons WHERE indicator = ? AND period_key = ? AND reference = 'provincie'",
        [INDICATOR, PERIOD]).df().set_index("region_code")
    zeeland = by_hand[by_hand["pv"] == "PV29"]
    assert (len(zeeland), zeeland["num"].sum(), zeeland["den"].sum()) == (13, 19234, 391634)
    assert by_hand.loc["GM1714", "reference"] == pytest.approx(19234 / 391634 * 1000)
    for code, category in (("GM1714", "significant hoger"), ("GM0678", "binnen de normale spreiding"),
                           ("GM0715", "lager")):
        assert stored.loc[code, "reference_value"] == pytest.approx(
            by_hand.loc[code, "reference"], rel=1e-12)
        assert stored.loc[code, "index"] == pytest.approx(by_hand.loc[code, "index"], rel=1e-12)
        assert _category(by_hand.loc[code, "z"]) == category == stored.loc[code, "category"]
        assert stored.loc[code, "reference_coverage"] == 1.0  # every Zeeland member is shown
    assert round(by_hand.loc["GM1714", "index"]) == 451


def test_the_map_against_the_province(client, by_hand):
    """`referentie=provincie` on the map: every municipality coloured by its index against its
    own province, the tooltip naming the province and its value."""
    from zichtop.web import svg_map

    body = switch(INDICATOR, PERIOD, theme="vakantieparken", reference="provincie",
                  changed="kaart-referentie.value")
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    out = json.loads(answer.data)["response"]
    data = out["kaart-waarden"]["data"]
    assert "referentie=provincie" in out["kaart-url"]["search"]
    assert "eigen provincie" in json.dumps(out["kaart-legenda"])
    with client.application.app_context():
        codes = list(svg_map.shapes()[0]["GM"])
    at = {code: i for i, code in enumerate(codes)}
    for code in ("GM1714", "GM0678", "GM0715"):
        log_ratio = np.log2(by_hand.loc[code, "index"] / 100)
        assert data["kleur"][at[code]] == svg_map.colour(round(log_ratio * 20) / 20)
    sluis = svg_map.text(data, at["GM1714"], "Sluis").split("\n")
    assert sluis[2] == "provincie Zeeland: 49,11 per 1 000 inwoners"
    assert sluis[3] == "Index: 451 (100 = provincie Zeeland)"


def test_every_municipality_has_each_reference_once(con):
    """The grain of `comparisons`: one row per indicator, municipality, period and reference;
    every municipality of every results period against every other reference."""
    counts = con.execute(
        "SELECT reference, count(*) AS n, count(DISTINCT (indicator, region_code, period_key)) "
        "AS k FROM comparisons GROUP BY reference").df()
    gm = con.execute("SELECT count(*) FROM results WHERE level = 'GM'").fetchone()[0]
    assert set(counts["reference"]) == {"regio", "provincie", "grootte", "buren"}
    assert (counts["n"] == counts["k"]).all() and (counts["n"] == gm).all()
    # a hidden figure is compared with nothing (its index could give it away)
    leaked = con.execute(
        "SELECT count(*) FROM comparisons c JOIN results r USING (indicator, region_code, "
        "period_key) WHERE r.suppressed AND (c.index IS NOT NULL OR c.category IS NOT NULL)"
    ).fetchone()[0]
    assert leaked == 0


@pytest.fixture(scope="module")
def client(built_db):
    from zichtop.web.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZICHTOP_DB", str(built_db))
        yield create_app().server.test_client()


def test_the_region_export_carries_the_reference(client, by_hand):
    """RE08's CSV against the province: each municipality's row names its province and gives
    its value, index and category against it; the country's columns stay; the region's own
    row has no provincial comparison."""
    import csv
    import io

    from bench.load import export

    answer = client.post("/_dash-update-component", json=export("RE08", "provincie"))
    assert answer.status_code == 200
    content = json.loads(answer.data)["response"]["regio-download"]["data"]
    import base64

    text = base64.b64decode(content["content"]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    sluis = next(r for r in rows if r["Code"] == "GM1714" and
                 r["Indicator"] == "Recreatieverblijven per 1 000 inwoners")
    assert sluis["Referentie"] == "provincie Zeeland"
    assert sluis["Waarde referentie"] == "49,11"
    assert sluis["Index t.o.v. referentie"] == "451"
    assert sluis["Categorie t.o.v. referentie"] == "significant hoger"
    assert sluis["Referentie rust op (% inwoners)"] == "100"
    assert sluis["Nederland"] != "" and sluis["Index (NL = 100)"] != ""
    breda = next(r for r in rows if r["Code"] == "GM0758" and
                 r["Indicator"] == "Recreatieverblijven per 1 000 inwoners")
    assert breda["Referentie"] == "provincie Noord-Brabant"
    region = next(r for r in rows if r["Code"] == "RE08" and
                  r["Indicator"] == "Recreatieverblijven per 1 000 inwoners")
    assert region["Referentie"] == "" and region["Index t.o.v. referentie"] == ""


def _texts(node: object) -> list[str]:
    """Every text in a Dash component tree as JSON (the page as the server sends it)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    if isinstance(node, dict):
        return _texts(node.get("props", {}).get("children")) if "props" in node else \
            [t for value in node.values() for t in _texts(value)]
    return []


def _find(node: object, id_: str) -> dict | None:
    if isinstance(node, list):
        return next((f for item in node if (f := _find(item, id_)) is not None), None)
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == id_:
            return node
        return _find(node.get("props", {}).get("children"), id_) if "props" in node else \
            next((f for v in node.values() if (f := _find(v, id_)) is not None), None)
    return None


def test_sluis_against_its_neighbours_names_them_in_every_sentence(client):
    """/gemeente/GM1714?referentie=buren: each signal compares with 'de 15 vergelijkbare
    gemeenten' (never 'landelijk'), and so does the list apart."""
    from bench.load import router

    answer = client.post("/_dash-update-component",
                         json=router("/gemeente/GM1714", "?referentie=buren"))
    assert answer.status_code == 200
    page = json.loads(answer.data)["response"]["_pages_content"]["children"]
    signals = [t for t in _texts(_find(page, "signalen")) if ", tegen " in t]
    apart = _texts(_find(page, "anders"))
    # 82900NED: unknown owners 4,8% against 0,42% at the neighbours; 85383NED: 221,64
    # recreational homes per 1 000 against 85,97 (test_the_provincial_reference_... for NL)
    assert len(signals) >= 2 and apart
    for sentence in signals + apart:
        assert "bij de 15 vergelijkbare gemeenten (index" in sentence, sentence
        assert "landelijk" not in sentence, sentence
    assert "Vergeleken met de 15 vergelijkbare gemeenten." in " ".join(_texts(page))


def test_higher_and_rising_comes_first(client):
    """Sluis's recreational homes (85383NED): 4,687 on 23,243 inhabitants in 2023, 5,131 on
    23,150 in 2024. Of the 9,818 homes the later year's share would be 23,150 / 46,393 =
    0.49900 without a change: 4,899.2 expected, variance 2,454.4, so z = (5,131 - 4,899.2) /
    49.54 = 4.68 > 1.96, a significant rise; and the figure is significantly higher than the
    country: "Hoger en stijgend", first of Sluis's signals."""
    from bench.load import router

    share = 23150 / (23243 + 23150)
    z = (5131 - 9818 * share) / np.sqrt(9818 * share * (1 - share))
    assert z == pytest.approx(4.68, abs=0.01)
    answer = client.post("/_dash-update-component", json=router("/gemeente/GM1714"))
    page = json.loads(answer.data)["response"]["_pages_content"]["children"]
    signals = [t for t in _texts(_find(page, "signalen")) if ", tegen " in t]
    assert signals[0].startswith("Hoger en stijgend. Recreatieverblijven per 1 000 inwoners: "
                                 "221,64 per 1 000 inwoners in 2024")
    assert signals[0].endswith("Significant gestegen sinds 2023 (201,65 per 1 000 inwoners).")
    assert not any(s.startswith("Hoger en stijgend") for s in signals[1:])


def test_wijken_against_their_own_municipality(client, con):
    """/wijken/GM0363?referentie=gemeente colours each wijk by its index against Amsterdam
    (value / Amsterdam's value x 100), with the category of the same funnel test against
    Amsterdam's value; a hidden wijk has neither."""
    from bench.load import router

    rows = con.execute(
        "SELECT region_code, value, parent_value, parent_index, parent_category, suppressed "
        "FROM area_results WHERE level = 'WK' AND municipality_code = 'GM0363' AND indicator = "
        "'wijk_overige_verhuurders'").df()
    shown = rows[~rows["suppressed"] & rows["value"].notna()]
    assert np.allclose(shown["parent_index"], shown["value"] / shown["parent_value"] * 100)
    hidden = rows[rows["suppressed"]]
    assert hidden["parent_category"].isna().all() and hidden["parent_index"].isna().all()
    answer = client.post("/_dash-update-component", json=router(
        "/wijken/GM0363", "?indicator=wijk_overige_verhuurders&referentie=gemeente"))
    page = json.dumps(json.loads(answer.data)["response"])
    assert "100 = de eigen gemeente" in page and "De gemeente: " in page
    assert "Index (100 = de gemeente)" in page
    refused = client.post("/_dash-update-component", json=router(
        "/wijken/GM0363", "?referentie=provincie"))
    assert "Onbekende referentie" in refused.get_data(as_text=True)


def test_the_export_writes_figures_as_the_page_does(client):
    """The same decimals as the page (0,80 not 0,8; indices whole), and the Nederland row's
    figure is the national value every index is measured against (not an empty pooled
    total)."""
    import base64
    import csv
    import io
    import re

    from bench.load import export
    from zichtop.indicators.registry import indicators
    from zichtop.read import presentation as p

    out = json.loads(client.post("/_dash-update-component", json=export("RE08")).data)
    text = base64.b64decode(out["response"]["regio-download"]["data"]["content"])
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    digits = {ind.label: p.decimals(ind) for _, ind in indicators().values()}
    for row in rows:
        for column in ("Waarde", "Nederland"):
            if row[column] and digits.get(row["Indicator"], 0) > 0:
                decimals = len(row[column].split(",")[1]) if "," in row[column] else 0
                assert decimals >= digits[row["Indicator"]], (row["Indicator"], row[column])
        if row["Index (NL = 100)"]:
            assert re.fullmatch(r"\d+", row["Index (NL = 100)"]), row["Index (NL = 100)"]
    nl = [r for r in rows if r["Code"] == "NL01" and r["Toelichting"] !=
          p.NOT_LOADED]
    assert nl and all(r["Waarde"] == r["Nederland"] != "" and r["Index (NL = 100)"] == "100"
                      for r in nl)
    drugs = next(r for r in nl if r["Indicator"].startswith("Verdachten van drugs"))
    assert drugs["Waarde"] == "0,65"  # 11,690 / 17.9 million x 1 000, rounded (method.md)


def test_the_region_export_with_every_period(client):
    """'alle perioden': one row per indicator, area and period (long format), each with its
    own period and national value: Sluis's recreational homes 2023 (4,687 / 23,243 = 201,65)
    and 2024 (221,64), each in its own row."""
    import base64
    import csv
    import io

    from bench.load import export

    out = json.loads(client.post("/_dash-update-component",
                                 json=export("RE08", periods="alle")).data)
    text = base64.b64decode(out["response"]["regio-download"]["data"]["content"])
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    sluis = {r["Periode"]: r for r in rows if r["Code"] == "GM1714"
             and r["Indicator"] == "Recreatieverblijven per 1 000 inwoners"}
    assert sluis["2023"]["Waarde"] == "201,65" and sluis["2024"]["Waarde"] == "221,64"
    assert "periode 2023" in sluis["2023"]["Bron"] and "periode 2024" in sluis["2024"]["Bron"]
    keys = [(r["Indicator"], r["Code"], r["Periode"]) for r in rows]
    assert len(keys) == len(set(keys))  # the grain: indicator x area x period
    latest = json.loads(client.post("/_dash-update-component", json=export("RE08")).data)
    assert len(rows) > 3 * len(list(csv.DictReader(io.StringIO(base64.b64decode(
        latest["response"]["regio-download"]["data"]["content"]).decode("utf-8-sig")),
        delimiter=";")))
