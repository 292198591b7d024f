"""The Dash application: pages registered from zichtop/web/pages, assets served locally."""

from __future__ import annotations

import os
from pathlib import Path

import dash
from dash import Dash, dcc, html

from zichtop import crosswalk, geo
from zichtop.config import REPO_ROOT
from zichtop.errors import ZichtopError
from zichtop.web.response_cache import ResponseCache
from zichtop.web.store import get_store

PAGES = Path(__file__).resolve().parent / "pages"
# Only the app's own origin; Dash's two inline scripts are allowed by their hashes, not by
# 'unsafe-inline'. Styles need 'unsafe-inline' (React and Plotly set style attributes).
CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(db_path: Path | None = None) -> Dash:
    if db_path is not None:
        os.environ["ZICHTOP_DB"] = str(db_path)
    app = Dash(__name__, use_pages=True, pages_folder=str(PAGES),
               assets_folder=str(REPO_ROOT / "assets"), title="Zichtop",
               suppress_callback_exceptions=True, serve_locally=True,
               update_title=None)  # type: ignore[arg-type]
    app.layout = html.Div([
        html.Header([
            html.A("Zichtop", href="/", className="brand"),
            html.Nav([dcc.Link(page["name"], href=page["relative_path"], className="nav-link")
                      for page in dash.page_registry.values() if page.get("nav", True)]),
        ], className="topbar"),
        html.Main(dash.page_container, className="content"),
        html.Footer(f"Bron: CBS (CC BY 4.0). Een afwijking is een patroon, geen bewijs. "
                    f"{crosswalk.CREDIT}. {geo.CREDIT}.", className="footer"),
    ])

    cache = ResponseCache()
    server_side: set[str] = set()

    @app.server.before_request
    def _validate_callback_request():  # type: ignore[no-untyped-def]
        from flask import Response, g, request

        if request.method == "POST" and request.path.endswith("/_dash-update-component"):
            if not server_side:  # Dash fills callback_map on its first request
                server_side.update(k for k, v in app.callback_map.items() if "callback" in v)
            problem = callback_request_problem(request.get_json(silent=True), server_side)
            if problem:
                return {"message": f"Ongeldig verzoek: {problem}"}, 400
            if cache.enabled:
                try:
                    stamp = get_store().stamp()
                except ZichtopError:
                    return None
                g.cache_key = cache.key(request.get_data(), stamp)
                hit = cache.get(g.cache_key)
                if hit is not None:
                    return Response(hit[0], mimetype=hit[1])
        return None

    @app.server.after_request
    def _remember(response):  # type: ignore[no-untyped-def]
        from flask import g

        key = g.pop("cache_key", None)
        if key and response.status_code == 200 and not response.direct_passthrough:
            cache.put(key, response.get_data(), response.mimetype)
        return response

    policy: list[str] = []

    @app.server.after_request
    def _headers(response):  # type: ignore[no-untyped-def]
        if not policy:  # after the first request Dash knows all its inline scripts
            policy.append(CSP.format(hashes=" ".join(app.csp_hashes())))
        response.headers.setdefault("Content-Security-Policy", policy[0])
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.server.route("/healthz")
    def _health():  # type: ignore[no-untyped-def]
        from zichtop.web.queries import build_info
        from zichtop.web.store import get_store

        try:
            info = build_info()
        except Exception as error:  # noqa: BLE001 - report, never crash the probe
            return {"status": "error", "message": str(error)}, 503
        return {"status": "ok", "source": info["source"], "data_version": info["built_at"],
                "loaded_at": get_store().loaded_at, "pid": os.getpid(),
                "version": info["version"]}

    return app


def _entries_ok(entries: object) -> bool:
    return isinstance(entries, list) and all(
        isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("property"), str)
        for e in entries)


def callback_request_problem(body: object, known_outputs: set[str]) -> str | None:
    """What is wrong with a callback request's shape, before Dash sees it (None: fine).
    Dash's own router assumes a browser's well-formed request; hostile ones stop here."""
    if not isinstance(body, dict):
        return "geen JSON-object"
    if not isinstance(body.get("output"), str):
        return "'output' ontbreekt"
    if body["output"] not in known_outputs:
        return "onbekende callback"
    if not _entries_ok(body.get("inputs")) or not _entries_ok(body.get("state", [])):
        return "'inputs' of 'state' onjuist"
    for entry in body["inputs"]:
        if entry["id"] == "_pages_location" and entry["property"] == "pathname" and not (
                isinstance(entry.get("value"), str) and entry["value"].startswith("/")):
            return "pad ontbreekt of begint niet met /"
        if entry["id"] == "_pages_location" and entry["property"] == "search" and \
                not isinstance(entry.get("value"), str | None):
            return "zoekterm onjuist"
    return None
