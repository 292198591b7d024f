"""Hostile input: generated values for every callback input and URL parameter, broken JSON and
wrong types. No server error, no traceback shown, no SQL built from input (parameters only)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zichtop.core.config import REPO_ROOT

COUNT: Counter = Counter()
SQL = ["'; DROP TABLE results; --", "GM0363' OR '1'='1", "1; SELECT * FROM provenance",
       "\" OR 1=1 --", "$(rm -rf /)", "<script>alert(1)</script>", "../../etc/passwd", "%00",
       "NL01' UNION SELECT geojson FROM boundary_layers --"]
VALID = ["drugs", "vastgoed", "drugs_verdachten", "2024JJ00", "2024HJ01", "GM0363", "RE05",
         "PV27", "afwijking", "categorie", "riec"]
hostile_text = st.one_of(st.sampled_from(SQL + VALID), st.text(max_size=40),
                         st.text(min_size=5000, max_size=12000))
hostile = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=3)),
    max_leaves=6)


@pytest.fixture(scope="module")
def client(built_db):
    from zichtop.web.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZICHTOP_DB", str(built_db))
        yield create_app().server.test_client()


@pytest.fixture(scope="module")
def callbacks(client):
    return json.loads(client.get("/_dash-dependencies").data)


def payload(callback: dict, values: list) -> dict:
    inputs = [{"id": i["id"], "property": i["property"], "value": v}
              for i, v in zip(callback["inputs"], values, strict=False)]
    state = [{"id": s["id"], "property": s["property"], "value": v}
             for s, v in zip(callback["state"], values[len(inputs):], strict=False)]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
               for o in callback["output"].strip(".").split("...")]
    return {"output": callback["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs, "state": state,
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs]}


def assert_safe(response) -> None:
    assert response.status_code in (200, 204, 400), response.status_code
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "duckdb" not in body.lower()


@settings(max_examples=900, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_callbacks_survive_hostile_values(client, callbacks, data):
    callback = data.draw(st.sampled_from(callbacks))
    n = len(callback["inputs"]) + len(callback["state"])
    values = data.draw(st.lists(hostile, min_size=n, max_size=n))
    response = client.post("/_dash-update-component", json=payload(callback, values))
    COUNT["callback"] += 1
    assert_safe(response)


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(["/", "/gemeente/", "/regio/", "/vergelijken", "/methode",
                             "/nergens/"]),
       tail=hostile_text, key=st.sampled_from(["thema", "indicator", "jaar", "weergave",
                                                "gemeenten", "code", "x"]),
       value=hostile_text)
def test_urls_survive_hostile_parameters(client, callbacks, path, tail, key, value):
    """The page router callback receives the URL's path and query, as a browser sends them."""
    from urllib.parse import quote, urlencode

    router = next(c for c in callbacks if "_pages_content" in c["output"])
    pathname = path + (tail[:300] if path.endswith("/") else "")
    response = client.post("/_dash-update-component", json=payload(
        router, [pathname, "?" + urlencode({key: value})]))
    COUNT["url"] += 1
    assert_safe(response)
    # as a browser sends it: percent-encoded, and never starting with '//' (a host)
    direct = client.get("/" + quote(pathname[:1000].lstrip("/"), safe="/") + "?"
                        + urlencode({key: value[:1000]}))
    assert direct.status_code in (200, 404)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                      st.just(b'{"output": "kaart-nav.href", "inputs": [')))
def test_broken_json_bodies(client, body):
    response = client.post("/_dash-update-component", data=body,
                           content_type="application/json")
    COUNT["broken"] += 1
    assert_safe(response)


def test_at_least_a_thousand_inputs_were_tried():
    assert sum(COUNT.values()) >= 1000, COUNT


def test_queries_use_parameters_only():
    """No SQL text in the app is built from values: no f-string, % or .format with SQL words."""
    import re

    built_sql = re.compile(r"""(f["'][^"']*\b(SELECT|WHERE|FROM|INSERT)\b|"""
                           r"""\b(SELECT|WHERE|FROM)\b[^"']*["']\s*(%|\.format\())""")
    for path in (REPO_ROOT / "zichtop" / "web").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for marker in ('query(f"', "query(f'", 'cached(f"', 'execute(f"'):
            assert marker not in text, f"{path.name}: {marker}"
        assert not built_sql.search(text), f"{path.name}: SQL built from values"
