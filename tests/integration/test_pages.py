"""Page callbacks through the app's own HTTP endpoint (Flask test client, real store)."""

from __future__ import annotations

import json
import re

import pytest

from bench.load import switch


@pytest.fixture(scope="module")
def client(built_db):
    from zichtop.web.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZICHTOP_DB", str(built_db))
        yield create_app().server.test_client()


def call(client, output: str, outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]],
         state: list[tuple[str, str, object]] | None = None) -> dict:
    body = {"output": output,
            "outputs": [{"id": i, "property": p} for i, p in outputs] if len(outputs) > 1
            else {"id": outputs[0][0], "property": outputs[0][1]},
            "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
            "state": [{"id": i, "property": p, "value": v} for i, p, v in state or []],
            "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return json.loads(response.data)["response"]


def _switch(client, body: dict) -> dict:
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return json.loads(response.data)["response"]


def test_one_round_trip_per_change(client):
    """A new theme brings its first indicator, that indicator's periods and the map's values in
    one answer; a new indicator its periods and values; a new period only the values."""
    out = _switch(client, switch("drugs_verdachten", "2024JJ00", theme="vastgoed",
                                 changed="kaart-thema.value"))
    first = out["kaart-indicator"]["value"]
    assert first.startswith("vastgoed_")
    assert {o["value"] for o in out["kaart-indicator"]["options"]} >= {first}
    assert out["kaart-jaar"]["value"] in [o["value"] for o in out["kaart-jaar"]["options"]]
    assert f"indicator={first}" in out["kaart-url"]["search"]
    assert len(out["kaart-waarden"]["data"]["kleur"]) == 342
    out = _switch(client, switch("vakantie_recreatiewoningen", "2024JJ00"))
    assert "kaart-indicator" not in out and "kaart-jaar" in out and "kaart-waarden" in out
    out = _switch(client, switch("drugs_verdachten", "2023JJ00", changed="kaart-jaar.value"))
    assert set(out) == {"kaart-waarden", "kaart-bron", "kaart-url"}  # the legend stays


def test_indicator_not_in_loaded_data_says_so(client):
    out = _switch(client, switch("branches_horeca_detailhandel", "2024JJ00"))
    assert "niet beschikbaar in deze installatie (CBS-tabel 81578NED)" in out["kaart-bron"]["children"]
    # never another indicator's map: no values, every municipality "geen gegevens"
    from zichtop.read import presentation as p

    data = out["kaart-waarden"]["data"]
    assert set(data["kleur"]) == {p.NO_DATA_COLOUR} and len(data["kleur"]) == 342
    assert all(cells == ["geen gegevens"] for cells in data["cijfers"])


def test_switch_sends_values_not_boundaries(client, con):
    """A colour and a tooltip's figures per municipality, nothing else: no shapes, no names. Amsterdam 2024 by
    hand from 85655NED: 1 170 suspects / 931 298 inhabitants = 1,26 per 1 000 against 0,65
    nationally (index 193, significantly higher: test_composite_weights_are_adjustable); every
    te klein municipality grey, with its name and 'te klein' only."""
    from zichtop.read import presentation as p

    out = _switch(client, switch("drugs_verdachten", "2024JJ00", "categorie", ("riec",),
                                 changed="kaart-jaar.value"))
    data = out["kaart-waarden"]["data"]
    assert not re.search(r"M\d+ \d+", json.dumps(data))  # no SVG path: the shapes stay
    assert "Amsterdam" not in json.dumps(data) and "GM0363" not in json.dumps(data)  # nor
    # the names and codes: they came with the shapes
    assert data["grenzen"] == ["riec"] and data["gekozen"] is None
    from zichtop.web import svg_map

    with client.application.app_context():
        codes = list(svg_map.shapes()[0]["GM"])  # the values come in the shapes' order
    at = {code: i for i, code in enumerate(codes)}
    assert svg_map.text(data, at["GM0363"], "Amsterdam").split("\n")[:5] == [
        "Amsterdam", "1,26 per 1 000 inwoners", "Nederland: 0,65 per 1 000 inwoners",
        "Index: 193 (100 = Nederland)", "significant hoger"]
    assert data["kleur"][at["GM0363"]] == p.CATEGORY_COLOURS["significant hoger"]
    hidden = {c for (c,) in con.execute(
        "SELECT region_code FROM results WHERE indicator = 'drugs_verdachten' AND "
        "period_key = '2024JJ00' AND level = 'GM' AND suppressed").fetchall()}
    assert hidden and {c for c, f in zip(codes, data["kleur"], strict=True)
                       if f == p.TOO_SMALL_COLOUR} == hidden
    for code in hidden:  # the reason only, no figure
        assert data["cijfers"][at[code]] == ["te klein"]
    assert out["kaart-url"]["search"] == ("?thema=drugs&indicator=drugs_verdachten&jaar=2024JJ00"
                                          "&weergave=categorie")


def test_unavailable_indicator_link_gives_a_message(client):
    out = call(client, ".._pages_content.children..._pages_store.data..",
               [("_pages_content", "children"), ("_pages_store", "data")],
               [("_pages_location", "pathname", "/"),
                ("_pages_location", "search", "?indicator=branches_horeca_detailhandel")])
    assert "Voor deze indicator zijn geen cijfers geladen" in json.dumps(out)


def test_responses_are_compressed_also_from_the_cache(client):
    """gzip (or brotli) for pages and callbacks when the browser accepts it; a cached answer is
    compressed as well and reads back the same."""
    import gzip

    body = switch("drugs_vuurwapen", "2024JJ00")
    plain = client.post("/_dash-update-component", json=body).get_data()
    answers = [client.post("/_dash-update-component", json=body,
                           headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
    for answer in answers:  # the second one comes from the response cache
        assert answer.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(answer.get_data()) == plain
        assert len(answer.get_data()) < len(plain) / 2
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"


def test_boundaries_are_files_the_browser_keeps(client):
    """A map refers to its boundaries by URL; the file is compressed and never changes under
    that URL (the build's stamp is in it). Unknown layers are a Dutch 404."""
    from zichtop.read import queries

    with client.application.app_context():
        url = queries.layer_url("GM")
    assert url.startswith("/grenzen/GM.geojson?v=")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    import gzip

    layer = json.loads(gzip.decompress(response.data))
    assert len(layer["features"]) == 342
    wijken = client.get("/grenzen/wijken/GM1714.geojson")
    assert wijken.status_code == 200 and len(wijken.get_json()["features"]) == 15
    for bad in ("/grenzen/XX.geojson", "/grenzen/wijken/GM9999.geojson",
                "/grenzen/wijken/GM0363'--.geojson"):
        refused = client.get(bad)
        assert refused.status_code == 404 and "bestaan niet" in refused.get_json()["message"]
    assert client.get("/grenzen/wijken/..%2F..%2Fx.geojson").status_code == 404


def test_map_page_html_carries_its_first_map(client, con):
    """The map page's HTML draws the 342 municipalities in the map's colours before any
    script runs, each a link to its profile (it answers a click at once); a te klein
    municipality is grey and its label gives its name and 'te klein', no figure."""
    import re

    from zichtop.read import presentation as p

    page = client.get("/").data.decode()
    first = re.search(r'<div id="eerste-kaart".*?</svg>', page, re.S)
    assert first is not None
    fills = re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})"/>', first.group(0))
    assert len(fills) == 342
    hidden = con.execute("SELECT count(*) FROM results WHERE indicator = 'drugs_verdachten' "
                         "AND period_key = '2024JJ00' AND level = 'GM' AND suppressed"
                         ).fetchall()[0][0]
    assert fills.count(p.TOO_SMALL_COLOUR) == hidden > 0
    assert "Verdachten van drugsmisdrijven per 1 000 inwoners, 2024" in first.group(0)
    links = re.findall(r'<a href="/gemeente/(GM\d{4})" data-gebied="\1" data-naam="[^"]+" '
                       r'aria-label="([^"]*)"><path d="[^"]+" fill="(#[0-9a-f]{6})"/></a>',
                       first.group(0))
    assert len({code for code, _, _ in links}) == 342
    labels = {code: label for code, label, _ in links}
    assert labels["GM0363"].startswith("Amsterdam, 1,26 per 1 000 inwoners, Nederland: 0,65")
    for code, label, fill in links:
        if fill == p.TOO_SMALL_COLOUR:
            assert label.endswith(", te klein") and not any(ch.isdigit() for ch in label), code
    # other pages and unusable parameters: no first map (the page says what is wrong)
    assert 'id="eerste-kaart"' not in client.get("/gemeente/GM0363").data.decode()
    assert 'id="eerste-kaart"' not in client.get("/?indicator=onzin").data.decode()


def test_every_page_says_it_is_dutch(client):
    for path in ("/", "/gemeente/GM1714", "/methode", "/factsheet/regio/RE08"):
        assert b'<html lang="nl">' in client.get(path).data, path


def test_charts_get_plotly_with_only_the_traces_the_app_draws(client):
    """Where Dash's charts load Plotly from, the app serves its partial bundle (`make install`,
    tools/plotly_bundle): choropleth, bar and scatter, not the other 40 trace types; a third of
    the whole library; a second visit revalidates it (304)."""
    from pathlib import Path

    import plotly

    from zichtop.web.app import PLOTLY_URL

    whole = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    answer = client.get(PLOTLY_URL)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and len(text) < len(whole) / 3
    for trace in ("choropleth", "bar", "scatter"):
        assert f'name:"{trace}"' in text and f'name:"{trace}"' in whole
    for trace in ("scattergl", "scatter3d", "pie", "sankey"):
        assert f'name:"{trace}"' not in text and f'name:"{trace}"' in whole
    again = client.get(PLOTLY_URL, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()


def test_no_page_or_export_uses_internal_words(client):
    """One word for each kind of gap, and no internal terms: no page, opened theme or export
    says "geladen gegevens", "mirror" or "spiegel" (the tables missing from this installation
    say so in plain Dutch: "niet beschikbaar in deze installatie")."""
    import base64

    from bench.load import export, router

    texts = []
    for path, search in (("/", ""), ("/gemeente/GM1714", "?thema=branches"),
                         ("/gemeente/GM1714", "?thema=vastgoed"), ("/wijken/GM1714", ""),
                         ("/vergelijken", "?gemeenten=GM1714,GM0677"), ("/regio/RE08", ""),
                         ("/methode", ""), ("/factsheet/gemeente/GM1714", ""),
                         ("/factsheet/regio/RE08", "")):
        answer = client.post("/_dash-update-component", json=router(path, search))
        assert answer.status_code == 200, path
        texts.append(answer.get_data(as_text=True))
    texts.append(client.get("/").get_data(as_text=True))
    out = json.loads(client.post("/_dash-update-component", json=export("RE08")).data)
    texts.append(base64.b64decode(out["response"]["regio-download"]["data"]["content"])
                 .decode("utf-8-sig"))
    text = "\n".join(texts).lower()
    for word in ("geladen gegevens", "mirror", "spiegel"):
        assert word not in text, word
    assert "niet beschikbaar in deze installatie" in text


def test_comparison_of_a_chosen_year_with_single_units(client):
    """/vergelijken with jaar=2020: every row's period is of 2020 (or no figure), the unit is
    said once ('Woningen met onbekende eigenaar (% van de voorraad)', not followed by '(% van
    de woningen)'); an unknown year is a Dutch message."""
    from bench.load import router

    body = {"output": "..vergelijk-inhoud.children...vergelijk-suggesties.children..."
                      "vergelijk-url.search...vergelijk-melding.children..."
                      "vergelijk-melding.hidden..",
            "outputs": [{"id": i, "property": p} for i, p in (
                ("vergelijk-inhoud", "children"), ("vergelijk-suggesties", "children"),
                ("vergelijk-url", "search"), ("vergelijk-melding", "children"),
                ("vergelijk-melding", "hidden"))],
            "inputs": [{"id": "vergelijk-keuze", "property": "value",
                        "value": ["GM1714", "GM0677"]},
                       {"id": "vergelijk-referentie", "property": "value", "value": "nl"},
                       {"id": "vergelijk-jaar", "property": "value", "value": "2020"}],
            "state": [], "changedPropIds": ["vergelijk-jaar.value"]}
    out = json.loads(client.post("/_dash-update-component", json=body).data)["response"]
    assert out["vergelijk-url"]["search"] == "?gemeenten=GM1714,GM0677&jaar=2020"
    table = json.dumps(out["vergelijk-inhoud"])
    assert "Woningen met onbekende eigenaar (% van de voorraad)\"" in table
    assert "(% van de voorraad) (% van de woningen)" not in table
    periods = set(re.findall(r'"children": "((?:1e halfjaar |2e halfjaar )?\d{4})"', table))
    assert periods and periods <= {"2020", "1e halfjaar 2020", "2e halfjaar 2020"}
    refused = client.post("/_dash-update-component", json=router(
        "/vergelijken", "?gemeenten=GM1714,GM0677&jaar=1850"))
    assert "Geen cijfers voor jaar '1850'" in refused.get_data(as_text=True)
