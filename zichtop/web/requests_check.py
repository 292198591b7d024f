"""What a callback request must look like before Dash sees it. Dash's router assumes a browser's
well-formed request; a hostile or broken one stops here with a Dutch 400 message instead of a
500 and a traceback. The checks follow the registered callbacks: the output, the outputs, the
inputs and the state must be exactly those of one registered callback."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_DEPTH = 20  # nesting of the JSON body; Dash's own bodies stay under 10


class BadRequest(ValueError):
    """A callback request we refuse; the message is Dutch."""


def _id_text(component_id: object) -> str:
    """A component id as Dash writes it in its callback map (dict ids as sorted JSON with
    wildcards as ["MATCH"], ["ALL"], ["ALLSMALLER"])."""
    if isinstance(component_id, dict):
        return json.dumps({k: json.loads(str(v.to_json())) if hasattr(v, "to_json") else v
                           for k, v in sorted(component_id.items())}, separators=(",", ":"))
    return str(component_id)


def registered(callback_map: dict[str, dict]) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """The server-side callbacks as output key -> declared outputs, inputs and state."""
    out = {}
    for key, spec in callback_map.items():
        if "callback" not in spec:
            continue
        outputs = spec.get("output")
        outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
        out[key] = {
            "outputs": [(_id_text(o.component_id), str(o.component_property)) for o in outputs],
            "inputs": [(str(e["id"]), str(e["property"])) for e in spec.get("inputs", [])],
            "state": [(str(e["id"]), str(e["property"])) for e in spec.get("state", [])],
        }
    return out


def _property(entry: dict) -> object:
    """The property, without the '@<hash>' Dash adds to outputs declared allow_duplicate."""
    prop = entry.get("property")
    return prop.split("@", 1)[0] if isinstance(prop, str) else prop


def _matches(entry: Any, declared_id: str, declared_property: str) -> bool:
    """One request entry (or, for an ALL wildcard, a list of entries) against a declared
    dependency: same property; a string id equal; a dict id with the same keys, equal where
    the declaration is not a wildcard."""
    if not declared_id.startswith("{"):
        return isinstance(entry, dict) and entry.get("id") == declared_id and \
            _property(entry) == declared_property
    pattern = json.loads(declared_id)
    entries = entry if isinstance(entry, list) else [entry]
    for e in entries:
        if not (isinstance(e, dict) and _property(e) == declared_property and
                isinstance(e.get("id"), dict) and set(e["id"]) == set(pattern)):
            return False
        for k, v in pattern.items():
            value = e["id"][k]
            if isinstance(v, list):  # a wildcard: any plain value
                if not isinstance(value, str | int | float | bool):
                    return False
            elif value != v:
                return False
    return True


def parse_body(raw: bytes) -> Any:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise BadRequest("geen geldige JSON") from error
    if _depth(body) > MAX_DEPTH:
        raise BadRequest("te diep genest")
    return body


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _check_entries(entries: Any, declared: list[tuple[str, str]], what: str) -> None:
    if isinstance(entries, dict) and len(declared) == 1:
        entries = [entries]
    if not isinstance(entries, list) or len(entries) != len(declared):
        raise BadRequest(f"'{what}' hoort niet bij deze callback")
    for entry, (declared_id, prop) in zip(entries, declared, strict=True):
        if not _matches(entry, declared_id, prop):
            raise BadRequest(f"'{what}' hoort niet bij deze callback")


def check(body: Any, callbacks: dict[str, dict[str, list[tuple[str, str]]]]) -> None:
    """Raise BadRequest unless the body is a request for one registered callback."""
    if not isinstance(body, dict):
        raise BadRequest("geen JSON-object")
    output = body.get("output")
    if not isinstance(output, str):
        raise BadRequest("'output' ontbreekt")
    if output not in callbacks:
        raise BadRequest("onbekende callback")
    spec = callbacks[output]
    _check_entries(body.get("outputs"), spec["outputs"], "outputs")
    _check_entries(body.get("inputs"), spec["inputs"], "inputs")
    _check_entries(body.get("state", []), spec["state"], "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadRequest("'changedPropIds' onjuist")
    for entry in body["inputs"]:
        if isinstance(entry, list):
            continue
        if entry["id"] == "_pages_location" and entry["property"] == "pathname" and not (
                isinstance(entry.get("value"), str) and entry["value"].startswith("/")):
            raise BadRequest("pad ontbreekt of begint niet met /")
        if entry["id"] == "_pages_location" and entry["property"] == "search" and \
                not isinstance(entry.get("value"), str | None):
            raise BadRequest("zoekterm onjuist")


def is_download(body: dict) -> bool:
    """A callback whose answer is a file to download (a dcc.Download's data)."""
    return str(body.get("output", "")).endswith("download.data")


def cache_key_material(body: dict, known_parameters: set[str]) -> bytes:
    """The validated inputs of a request, canonical: unknown URL parameters (`?x=1`) and
    the order of keys do not change it, so they cannot turn every request into a cache miss."""
    def value(entry: dict) -> Any:
        v = entry.get("value")
        if entry.get("id") == "_pages_location" and entry.get("property") == "search" and v:
            kept = sorted((k, x) for k, x in parse_qsl(str(v).lstrip("?"))
                          if k in known_parameters)
            return urlencode(kept)
        return v

    # a download depends on which button was pressed (changedPropIds) and on the state, not on
    # how often it was pressed before: each click would otherwise be computed afresh
    download = is_download(body)

    def item(e: Any) -> Any:
        if isinstance(e, list):
            return [item(x) for x in e]
        if download and e.get("property") == "n_clicks":
            return [e["id"], e["property"], e.get("value") is not None]
        return [e["id"], e["property"], value(e)]

    material = {"output": body["output"], "outputs": body.get("outputs"),
                "inputs": [item(e) for e in body["inputs"]],
                "state": [item(e) for e in body.get("state", [])],
                "changed": sorted(body.get("changedPropIds", []))}
    return json.dumps(material, sort_keys=True, ensure_ascii=True).encode()
