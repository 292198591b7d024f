"""A local HTTPS server that speaks CBS's OData v3 feed layout (service document, TableInfos,
DataProperties, TypedDataSet with paging, CategoryGroups and one endpoint per dimension), serving
tables of the mirror with CBS keys, so the real `cbsodata` client code runs against it.

Region keys are CBS codes taken straight from the Gebieden CSVs (RegioS -> Code_1), written with
CBS's trailing padding; other dimension members get generated keys, as CBS's own are opaque."""

from __future__ import annotations

import csv
import json
import re
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

from zichtop.pipeline.regions import GEBIEDEN as _BY_YEAR

# the Gebieden tables the build reads, 2019 onwards first (their keys win for a reused title)
GEBIEDEN = [t for _y, t in sorted(_BY_YEAR.items(), key=lambda kv: (kv[0] < 2019, kv[0]))]
PAGE = 2000


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def region_keys(cbs_dir: Path) -> dict[str, str]:
    """CBS's region keys by title: every municipality of the Gebieden tables, the country, and
    as the Veiligheidsmonitor titles them: "Heerlen (GM)", "Limburg (RE)", "Zeeland (PV)" and
    its police districts and basisteams ("PD01", "BT001": CBS keys them too)."""
    keys = {"Nederland": "NL01"}
    for table in GEBIEDEN:
        for r in _rows(cbs_dir / f"{table}.csv"):
            keys.setdefault(r["RegioS"].strip(), r["Code_1"].strip())
    latest = _rows(cbs_dir / "85755NED.csv")
    for r in latest:  # the province and politie-eenheid of each municipality of 2024
        for code, name in (("Code_28", "Naam_29"), ("Code_30", "Naam_31")):
            keys.setdefault(f"{r[name].strip()} ({r[code].strip()[:2]})", r[code].strip())
        bare = r["RegioS"].strip()
        keys.setdefault(f"{bare.removesuffix(' (gemeente)')} (GM)", r["Code_1"].strip())
    for table, level, width in (("85146NED", "PD", 2), ("85146NED", "BT", 3)):
        titles = sorted({r["RegioS"].strip() for r in _rows(cbs_dir / f"{table}.csv")
                         if r["RegioS"].strip().endswith(f"({level})")})
        keys.update({t: f"{level}{n + 1:0{width}d}" for n, t in enumerate(titles)})
    return keys


# CBS's keys of dimension members where they are codes rather than opaque: the
# Veiligheidsmonitor's `Marges` (its titles as each table writes them)
MEMBER_KEYS = {"Marges": {"Waarde": "MW00000", "Betrouwbaarheidsmarge ondergrens": "MOG0095",
                          "Ondergrens 95%-interval": "MOG0095",
                          "Betrouwbaarheidsmarge bovengrens": "MBG0095",
                          "Bovengrens 95%-interval": "MBG0095"}}


def period_key(title: str) -> str:
    title = title.strip()
    if re.fullmatch(r"\d{4}", title):
        return f"{title}JJ00"
    m = re.fullmatch(r"([12])e\s*half\s*jaar\s+(\d{4})", title)
    if m:
        return f"{m[2]}HJ0{m[1]}"
    raise ValueError(title)


class ODataTable:
    """One mirror table turned into OData endpoints."""

    def __init__(self, path: Path, dims: list[str], region: str, keys: dict[str, str],
                 code_column: str | None = None):
        rows = _rows(path)
        self.id = path.stem
        fixed = {"ID", region, "Perioden", *dims}
        text_columns = {code_column} if code_column else set()
        self.measures = [c for c in rows[0] if c not in fixed]
        self.has_periods = "Perioden" in rows[0]
        self.dim_members: dict[str, dict[str, str]] = {
            d: {} for d in [region, *(["Perioden"] if self.has_periods else []), *dims]}
        self.region, self.dims = region, dims
        self.data = []
        for n, r in enumerate(rows):
            title = r[region].strip()
            code = (r.get(code_column) or "").strip() if code_column else ""
            if not code and keys.get(title) and (code_column is None or
                                                 keys[title].ljust(10) not in self.dim_members[region]):
                code = keys[title]  # a row without its own code column: the title's CBS key
            if not code:
                continue  # CBS keys every region; titles we cannot key are left out
            item: dict[str, object] = {"ID": n, region: code.ljust(10)}
            self.dim_members[region][code.ljust(10)] = title
            if self.has_periods:
                p = period_key(r["Perioden"])
                item["Perioden"] = p
                self.dim_members["Perioden"][p] = r["Perioden"].strip()
            for d in dims:
                member = self.dim_members[d]
                key = next((k for k, v in member.items() if v == r[d].strip()), None)
                if key is None:
                    key = MEMBER_KEYS.get(d, {}).get(r[d].strip(), f"T{len(member):03d}")
                    member[key] = r[d].strip()
                item[d] = key
            for m in self.measures:
                raw = r[m].strip()
                if m in text_columns or not _is_number(raw):
                    item[m] = raw if raw not in ("", ".") else None
                else:
                    item[m] = float(raw)
            self.data.append(item)

    def properties(self) -> list[dict]:
        props = [{"ID": 0, "Position": 0, "Type": "GeoDimension", "Key": self.region,
                  "Title": "Regio's"}]
        if self.has_periods:
            props.append({"ID": 1, "Position": 1, "Type": "TimeDimension", "Key": "Perioden",
                          "Title": "Perioden"})
        props += [{"ID": 2 + i, "Position": 2 + i, "Type": "Dimension", "Key": d, "Title": d}
                  for i, d in enumerate(self.dims)]
        props += [{"ID": 10 + i, "Position": 10 + i, "Type": "Topic", "Key": m, "Title": m,
                   "Unit": "aantal", "Decimals": 0} for i, m in enumerate(self.measures)]
        return props


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def apply_filter(rows: list[dict], expression: str) -> list[dict]:
    """The subset of OData $filter that the live client sends: (Dim eq 'k' or ...) and (...)."""
    wanted: dict[str, set[str]] = {}
    for dim, key in re.findall(r"(\w+) eq '([^']*)'", expression):
        wanted.setdefault(dim, set()).add(key)
    return [r for r in rows if all(r.get(d) in keys for d, keys in wanted.items())]


class Handler(BaseHTTPRequestHandler):
    tables: dict[str, ODataTable] = {}
    filters_seen: list[str] = []
    static: Path | None = None  # files served under /wgs84/ (boundaries, as cartomap/nl does)

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        query = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        if len(parts) == 2 and parts[0] == "wgs84" and self.static is not None:
            path = self.static / parts[1]
            if not path.is_file():
                return self._send(404, {"error": parts[1]})
            data = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        if len(parts) < 3 or parts[:2] != ["ODataFeed", "odata"]:
            return self._send(404, {"odata.error": {"message": {"value": "not found"}}})
        table_id, endpoint = parts[2], (parts[3] if len(parts) > 3 else "")
        if table_id == "500ERROR":
            return self._send(500, {"odata.error": {"message": {"value": "server error"}}})
        if table_id == "SLOWNED":
            time.sleep(3)
        table = self.tables.get(table_id)
        if table is None:
            return self._send(404, {"odata.error": {"message": {"value": f"{table_id}?"}}})
        base = f"https://{self.headers['Host']}/ODataFeed/odata/{table_id}"
        if endpoint == "":
            names = ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties",
                     "CategoryGroups", *table.dim_members]
            return self._send(200, {"odata.metadata": f"{base}/$metadata",
                                    "value": [{"name": n, "url": f"{base}/{n}"} for n in names]})
        if endpoint == "TableInfos":
            return self._send(200, {"value": [{"ID": 0, "Identifier": table_id,
                                               "Title": table_id, "Language": "nl"}]})
        if endpoint == "DataProperties":
            return self._send(200, {"value": table.properties()})
        if endpoint == "CategoryGroups":
            return self._send(200, {"value": []})
        if endpoint in ("TypedDataSet", "UntypedDataSet"):
            skip = int(query.get("$skip", ["0"])[0])
            expression = query.get("$filter", [""])[0]
            if expression:
                self.filters_seen.append(f"{table_id}: {expression}")
            rows = apply_filter(table.data, expression) if expression else table.data
            select = query.get("$select", [""])[0]
            if select:  # only the asked columns, as CBS does
                if skip == 0:
                    self.filters_seen.append(f"{table_id}: $select={select}")
                wanted = set(select.split(","))
                rows = [{k: v for k, v in r.items() if k in wanted} for r in rows]
            page = rows[skip:skip + PAGE]
            body: dict[str, object] = {"value": page}
            if skip + PAGE < len(rows):
                link = f"{base}/{endpoint}?$format=json&$skip={skip + PAGE}"
                if expression:
                    link += "&$filter=" + quote(expression)
                if select:
                    link += "&$select=" + quote(select)
                body["odata.nextLink"] = link
            return self._send(200, body)
        if endpoint in table.dim_members:
            return self._send(200, {"value": [{"Key": k, "Title": v, "Description": None}
                                              for k, v in table.dim_members[endpoint].items()]})
        return self._send(404, {"odata.error": {"message": {"value": endpoint}}})


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@contextmanager
def serve(tables: dict[str, ODataTable], directory: Path,
          static: Path | None = None) -> Iterator[tuple[str, Path, list[str]]]:
    """Yield (catalog host 'ip:port', CA file, $filter expressions received) of a running
    HTTPS OData server."""
    cert, key = self_signed(directory)
    handler = type("H", (Handler,), {"tables": tables, "static": static, "filters_seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", cert, handler.filters_seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
