"""The Dash application: pages registered from zichtop/web/pages, assets served locally."""

from __future__ import annotations

import inspect
import logging
import re
from functools import lru_cache
from pathlib import Path

import dash
from dash import Dash
from flask import Flask

from zichtop.core.config import REPO_ROOT, Settings
from zichtop.core.errors import ZichtopError
from zichtop.read.store import Store, get_store
from zichtop.web import logs, requests_check, shell
from zichtop.web.health import HealthCheck
from zichtop.web.heavy import MAX_HEAVY, HeavyGate, busy_answer
from zichtop.web.own_view import add_own_data_route
from zichtop.web.response_cache import ResponseCache

MAX_BODY = 1024 * 1024  # callback bodies are a few KiB; nginx has the same limit in front
log = logging.getLogger("zichtop.web")

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
# what never changes under its URL: Dash's versioned scripts (name.v<version>m<hash>.js) and
# the boundary files under the build's stamp
IMMUTABLE = "public, max-age=31536000, immutable"
# where Dash's charts load Plotly from (dash-renderer: serve_locally), and the partial bundle
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
PLOTLY_PARTIAL = Path(__file__).resolve().parent / "static" / "plotly-partial.min.js"


def create_app(db_path: Path | None = None) -> Dash:
    """The Dash app over one database file (default: the settings' `ZICHTOP_DB`). The path is
    kept in the app's own Flask config; nothing is written to the environment."""
    app = Dash(__name__, use_pages=True, pages_folder=str(PAGES),
               assets_folder=str(REPO_ROOT / "assets"), title="Zichtop",
               suppress_callback_exceptions=True, serve_locally=True,
               update_title=None,  # type: ignore[arg-type]
               on_error=on_callback_error, compress=True)
    logs.configure()
    # a Dutch page read with a Dutch voice (WCAG 3.1.1): Dash's page has no lang
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">', 1)
    app.layout = shell.layout
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.server.config["ZICHTOP_DB"] = str(db_path or Settings.from_env().db_path)
    app.server.extensions["zichtop.store"] = Store(Path(app.server.config["ZICHTOP_DB"]))
    tag_requests(app.server)  # first: every later line and answer can carry the id
    answer_errors_in_dutch(app.server)
    hide_development_routes(app)
    check_and_cache_callbacks(app)
    add_headers_and_404(app)
    draw_first_paint(app)
    add_routes(app.server)
    add_own_data_route(app.server)
    return app


def tag_requests(server: Flask) -> None:
    """Each request gets an id (nginx's X-Request-ID, or one made here): the log lines written
    while serving it carry it (zichtop/web/logs.py), gunicorn's access line and the answer's
    X-Request-ID header too, and a Dutch error message shows it as "foutcode"."""

    @server.before_request
    def _tag():  # type: ignore[no-untyped-def]
        logs.request_id()


def failure(message: str, status: int) -> tuple[dict, int]:
    """A Dutch error answer in the app's one JSON shape, with the request's id: a colleague
    reports the "foutcode" and the host finds the request's lines in the log."""
    code = logs.request_id() or "-"
    return {"message": f"{message} (foutcode {code})", "foutcode": code}, status


def answer_errors_in_dutch(server: Flask) -> None:
    """Every failure outside a callback: a Dutch message with a 4xx or 503, never a 500; each
    one logged in a line with the request's id."""

    @server.errorhandler(413)
    def _too_large(_error):  # type: ignore[no-untyped-def]
        from flask import request

        limit = request.max_content_length or MAX_BODY
        log.warning("refused request: body over %d bytes", limit)
        return failure(f"Verzoek te groot (meer dan {limit // 1024 // 1024} MiB).", 413)

    @server.errorhandler(Exception)
    def _unexpected(error):  # type: ignore[no-untyped-def]
        from werkzeug.exceptions import HTTPException

        if isinstance(error, HTTPException):
            log.warning("refused request: %s %s", error.code, error.name)
            return failure(f"Verzoek niet mogelijk ({error.code}).", error.code or 400)
        log.error("request failed: %s: %s", type(error).__name__, error)
        if isinstance(error, ZichtopError):
            return failure("De gegevens zijn niet beschikbaar.", 503)
        return failure("Er ging iets mis; probeer het opnieuw.", 400)


def hide_development_routes(app: Dash) -> None:
    """`/_reload-hash` is for hot reloading while developing; outside that mode it would list
    the server's packages (dash, plotly, ...) to anyone, so it does not exist (404)."""
    reload_hash = app.config.routes_pathname_prefix + "_reload-hash"

    @app.server.before_request
    def _hide():  # type: ignore[no-untyped-def]
        from flask import request

        if request.path == reload_hash and not app._dev_tools.get("hot_reload"):
            return {"message": "Deze pagina bestaat niet."}, 404
        return None


def check_and_cache_callbacks(app: Dash) -> None:
    """A callback request must match a registered callback (requests_check) before Dash sees
    it; an answer is reused for the same validated inputs while the same file is served; an
    export that is not in the cache runs only while this worker has a free slot for heavy work
    (zichtop/web/heavy.py), so exports never occupy every thread."""
    cache = ResponseCache()
    callbacks: dict[str, dict] = {}
    known_parameters = page_parameters()
    gate = app.server.extensions["zichtop.heavy"] = HeavyGate()

    @app.server.before_request
    def _validate_callback_request():  # type: ignore[no-untyped-def]
        from flask import Response, g, request

        if request.method == "POST" and request.path.endswith("/_dash-update-component"):
            if not callbacks:  # Dash fills callback_map on its first request
                callbacks.update(requests_check.registered(app.callback_map))
            try:
                body = requests_check.parse_body(request.get_data())
                requests_check.check(body, callbacks)
            except requests_check.BadRequest as problem:
                log.warning("refused callback request: %s", problem)
                return failure(f"Ongeldig verzoek: {problem}", 400)
            if cache.enabled:
                try:
                    stamp = get_store().stamp()
                except ZichtopError:
                    return None
                g.cache_key = cache.key(
                    requests_check.cache_key_material(body, known_parameters), stamp)
                hit = cache.get(g.cache_key)
                if hit is not None:
                    return Response(hit[0], mimetype=hit[1])
            if requests_check.is_download(body):
                if not gate.enter():
                    g.pop("cache_key", None)  # "try again" is never replayed from the cache
                    log.warning("export refused: %d exports already running in this worker",
                                MAX_HEAVY)
                    return Response(busy_answer(), mimetype="application/json")
                g.heavy = True
        return None

    @app.server.teardown_request
    def _free_slot(_error):  # type: ignore[no-untyped-def]
        from flask import g

        if g.pop("heavy", False):
            gate.leave()

    @app.server.after_request
    def _remember(response):  # type: ignore[no-untyped-def]
        from flask import g

        key = g.pop("cache_key", None)
        # a failed callback answers 200 with the banner: never replayed to others (a passing
        # fault would stick until the next build, with another request's foutcode)
        failed = g.pop("callback_failed", False)
        if key and response.status_code == 200 and not response.direct_passthrough \
                and not failed:
            cache.put(key, response.get_data(), response.mimetype)
        return response


def add_headers_and_404(app: Dash) -> None:
    """Security, cache and request-id headers on every response; an unknown page path answers
    404 (the page shows Dash's Dutch 404 text)."""
    suites = app.config.routes_pathname_prefix + "_dash-component-suites/"
    page_paths = [page_pattern(p) for p in dash.page_registry.values()
                  if p["module"] != "pages.not_found_404"]
    policy: list[str] = []

    @app.server.after_request
    def _not_found(response):  # type: ignore[no-untyped-def]
        from flask import request

        if request.method == "GET" and request.endpoint == "/<path:path>" and not any(
                p.match(request.path) for p in page_paths):
            response.status_code = 404
        return response

    @app.server.after_request
    def _headers(response):  # type: ignore[no-untyped-def]
        from flask import request

        if not policy:  # after the first request Dash knows all its inline scripts
            policy.append(CSP.format(hashes=" ".join(app.csp_hashes())))
        response.headers.setdefault("Content-Security-Policy", policy[0])
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        response.headers[logs.REQUEST_ID_HEADER] = logs.request_id() or "-"
        response.headers["Cache-Control"] = cache_control(
            request.path, response.headers.get("Cache-Control"), suites)
        return response


def cache_control(path: str, given: str | None, suites: str) -> str:
    """What a browser or a proxy may keep. Pages, callback answers, the layout, the health
    check and every error: nothing (no-store; they change with the data and the user). Dash's
    scripts under a versioned URL: for a year, immutable. What the app or Flask already decided
    (boundary files: immutable under a stamped URL; /assets/: revalidate) stays; an unversioned
    script is revalidated (its ETag)."""
    if path.startswith(suites):
        from dash.fingerprint import check_fingerprint

        return IMMUTABLE if check_fingerprint(path[len(suites):])[1] else "no-cache"
    return given or "no-store"


def draw_first_paint(app: Dash) -> None:
    """The map page's HTML carries its map drawn on the server (zichtop/web/first_paint.py):
    clickable at once, then moved into the page by assets/kaart.js."""
    draw_index = app.interpolate_index

    def interpolate_index(**parts: str) -> str:
        from flask import has_request_context, request

        if has_request_context() and request.path == "/":
            try:
                from zichtop.web.first_paint import for_request

                parts["app_entry"] = for_request(dict(request.args)) + parts["app_entry"]
            except ZichtopError as error:  # no database: the page itself says so
                log.error("first paint: %s", error)
        return draw_index(**parts)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]


def add_routes(server: Flask) -> None:
    """The health check, the boundary files the browser keeps and the open data package."""
    health = HealthCheck()
    packages: dict[object, bytes] = {}  # the zip of the file being served, made once

    @server.route("/datapakket.zip")
    def _package():  # type: ignore[no-untyped-def]
        from flask import Response

        from zichtop.read.publish import package_zip

        store = get_store()
        stamp = store.stamp()
        if stamp not in packages:
            packages.clear()  # only the current build's package is kept
            packages[stamp] = package_zip(store.query)
        response = Response(packages[stamp], mimetype="application/zip")
        response.headers["Content-Disposition"] = "attachment; filename=zichtop-open-data.zip"
        return response

    @server.route("/healthz")
    def _health():  # type: ignore[no-untyped-def]
        return health(get_store())

    @server.route("/grenzen/<level>.geojson")
    def _layer(level: str):  # type: ignore[no-untyped-def]
        from zichtop.read import queries

        stamped = stamped_url()  # before the text: the data is never older than the stamp
        text = queries.layer_text(level) if level in NATIONAL_LAYERS else None
        return boundary_file(text, stamped)

    @server.route("/kaart.svg")
    def _map_svg():  # type: ignore[no-untyped-def]
        from zichtop.web import svg_map

        stamped = stamped_url()
        return boundary_file(svg_map.plain_svg(), stamped, "image/svg+xml")

    @server.route(PLOTLY_URL)
    def _plotly():  # type: ignore[no-untyped-def]
        return plotly_bundle()

    @server.route("/grenzen/wijken/<code>.geojson")
    def _wijk_layer(code: str):  # type: ignore[no-untyped-def]
        from zichtop.read import queries

        stamped = stamped_url()
        text = queries.area_layer_text(code) if MUNICIPALITY.match(code) else None
        return boundary_file(text, stamped)


NATIONAL_LAYERS = ("GM", "PV", "RE")
MUNICIPALITY = re.compile(r"^GM\d{4}$")


def stamped_url() -> bool:
    """Does the request's URL carry the served build's stamp (`?v=`, as the pages write it)?"""
    from flask import request

    from zichtop.read import queries

    try:
        return request.args.get("v") == queries.build_token()
    except ZichtopError:
        return False


def boundary_file(text: str | None, stamped: bool = True,  # type: ignore[no-untyped-def]
                  mimetype: str = "application/json"):
    """A boundary layer as a file the browser keeps: the URL the pages write carries the build's
    stamp, so the file never changes under that URL (compressed like every response). The same
    path without the current stamp may change with the next build: revalidated, never kept."""
    from flask import Response

    if text is None:
        return {"message": "Deze grenzen bestaan niet."}, 404
    response = Response(text, mimetype=mimetype)
    response.headers["Cache-Control"] = IMMUTABLE if stamped else "no-cache"
    return response


@lru_cache(maxsize=1)
def _plotly_file() -> tuple[bytes, str]:
    import hashlib

    import plotly

    path = PLOTLY_PARTIAL if PLOTLY_PARTIAL.exists() else \
        Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


def plotly_bundle():  # type: ignore[no-untyped-def]
    """Plotly with only the trace types the app draws (tools/plotly_bundle, built by `make
    install`: a third of the whole library), where Dash's charts load Plotly from; Dash's whole
    library when it has not been built. Compressed like every response; revalidated by its ETag
    (the URL Dash asks for has no version)."""
    from flask import Response, request

    data, digest = _plotly_file()
    response = Response(data, mimetype="text/javascript")
    response.set_etag(digest)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def on_callback_error(error: Exception) -> None:
    """Any error inside a callback: its outputs stay as they are and the page shows a Dutch
    message in the banner; the response is never a 500."""
    log.error("callback failed: %s: %s", type(error).__name__, error)
    message = ("De gegevens zijn niet beschikbaar. Vraag de beheerder om `zichtop build` uit te "
               "voeren." if isinstance(error, ZichtopError)
               else "Dit lukte niet. Probeer het opnieuw of kies iets anders.")
    # the code a colleague can pass on; the line above carries the same id
    message += f" (foutcode {logs.request_id() or '-'})"
    from flask import g, has_request_context

    if has_request_context():
        g.callback_failed = True  # not kept by the response cache
    dash.set_props("app-melding", {"children": message, "hidden": False})


def page_parameters() -> set[str]:
    """URL parameters the pages read (their layout's named arguments)."""
    names: set[str] = set()
    for page in dash.page_registry.values():
        layout = page.get("layout")
        if callable(layout):
            signature = inspect.signature(inspect.unwrap(layout))
            names.update(n for n, p in signature.parameters.items()
                         if p.kind is p.POSITIONAL_OR_KEYWORD)
    return names


def page_pattern(page: dict) -> re.Pattern[str]:
    template = page.get("path_template") or page["path"]
    parts = [re.escape(part) if not part.startswith("<") else "[^/]+"
             for part in template.strip("/").split("/")]
    return re.compile("^/" + "/".join(p for p in parts if p) + "/?$")
