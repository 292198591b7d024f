"""Page callbacks through the app's own HTTP endpoint (Flask test client, real store)."""

from __future__ import annotations

import json

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
    assert "operations" in out["kaart-map"]["figure"]
    out = _switch(client, switch("vakantie_recreatiewoningen", "2024JJ00"))
    assert "kaart-indicator" not in out and "kaart-jaar" in out and "kaart-map" in out
    out = _switch(client, switch("drugs_verdachten", "2023JJ00", changed="kaart-jaar.value"))
    assert set(out) == {"kaart-map", "kaart-bron", "kaart-url"}


def test_indicator_not_in_loaded_data_says_so(client):
    out = _switch(client, switch("branches_horeca_detailhandel", "2024JJ00"))
    assert "niet in de geladen gegevens (tabel 81578NED)" in out["kaart-bron"]["children"]
    # never another indicator's map: no values, every municipality "geen gegevens"
    data = out["kaart-map"]["figure"]["operations"]
    values = [op for op in data if op["location"][:3] == ["data", 0, "z"]]
    assert values and values[0]["params"]["value"] == [None] * 342  # no area has a value
    missing = [op for op in data if op["location"][:3] == ["data", 2, "locations"]]
    assert len(missing[0]["params"]["value"]) == 342


def test_switch_sends_values_not_boundaries(client):
    out = _switch(client, switch("drugs_verdachten", "2023JJ00", "categorie", ("riec",),
                                 changed="kaart-jaar.value"))
    text = json.dumps(out["kaart-map"])
    # values only: one per municipality in the figure's own order (category numbers 0-4);
    # boundaries, and the codes and names of the values trace, stay in the browser
    z = next(op for op in out["kaart-map"]["figure"]["operations"]
             if op["location"] == ["data", 0, "z"])["params"]["value"]
    assert len(z) == 342 and set(z) - {None} <= set(range(5)) and z.count(None) < 100
    assert "coordinates" not in text and "GM0363" not in text
    assert out["kaart-url"]["search"] == ("?thema=drugs&indicator=drugs_verdachten&jaar=2023JJ00"
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
    import sys

    import dash

    from zichtop.web import figures

    # the page module as Dash registered it (importing it again would register it twice)
    kaart = sys.modules[next(p["module"] for p in dash.page_registry.values() if p["path"] == "/")]
    with client.application.app_context():
        fig = kaart.build_map("drugs_verdachten", "2024JJ00", "afwijking", [])
    url = fig.data[figures.trace_index("waarde")].geojson
    assert isinstance(url, str) and url.startswith("/grenzen/GM.geojson?v=")
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
    script runs; a te klein municipality is grey and no figure is in it, only colours."""
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
    # no numbers but the drawing's own: no value, no index, no code
    assert "GM0" not in first.group(0) and "per 1 000 inwoners:" not in first.group(0)
    # other pages and unusable parameters: no first map (the page says what is wrong)
    assert 'id="eerste-kaart"' not in client.get("/gemeente/GM0363").data.decode()
    assert 'id="eerste-kaart"' not in client.get("/?indicator=onzin").data.decode()


def test_every_page_says_it_is_dutch(client):
    for path in ("/", "/gemeente/GM1714", "/methode", "/factsheet/regio/RE08"):
        assert b'<html lang="nl">' in client.get(path).data, path
