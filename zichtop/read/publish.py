"""An open data package of everything Zichtop publishes, safe to hand on (`zichtop publish DIR`,
and the link on the Methode page): the figures of municipalities, provinces, RIEC regions and
the country, of wijken and buurten, and the indicators' definitions, as CSV with a Frictionless
`datapackage.json` (field types, units, sources, method version, licences).

Only published figures travel: values, references, indices, limits and categories, exactly as
the pages show them, NULL with its reason where a figure is hidden or incomplete. No counts,
no denominators and no raw or staged table: the DuckDB store holds every hidden count and is not
for sharing (docs/data.md)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from zichtop import __version__
from zichtop.core import credits
from zichtop.indicators.registry import themes
from zichtop.method.kinds import kind_of

PACKAGE = "zichtop-open-data"
Query = Callable[[str], pd.DataFrame]
# every published field once: (type, description)
FIELDS = {
    "indicator": ("string", "indicator id (indicatoren.csv)"),
    "theme": ("string", "theme id"),
    "level": ("string", "GM municipality, PV province, RE RIEC region, NL the country; WK wijk, "
                        "BU buurt"),
    "region_code": ("string", "CBS code of the area (2024)"),
    "region_name": ("string", "name of the area"),
    "parent_code": ("string", "the wijk's municipality, the buurt's wijk"),
    "municipality_code": ("string", "the municipality"),
    "period_key": ("string", "CBS period key (2024JJ00: year, 2024HJ01: first half-year)"),
    "year": ("integer", "year of the period"),
    "value": ("number", "the figure, in `unit`; empty where hidden or incomplete"),
    "unit": ("string", "unit of value, references and limits"),
    "national_value": ("number", "the country's reference value (rounded so no hidden count "
                                 "can be read back)"),
    "index": ("number", "value / national_value x 100"),
    "parent_value": ("number", "the parent area's figure (empty where it is hidden)"),
    "parent_index": ("number", "value / parent_value x 100"),
    "lower95": ("number", "lower 95% funnel limit, in `unit`"),
    "upper95": ("number", "upper 95% funnel limit, in `unit`"),
    "lower998": ("number", "lower 99.8% funnel limit, in `unit`"),
    "upper998": ("number", "upper 99.8% funnel limit, in `unit`"),
    "category": ("string", "significantly lower ... significantly higher, or geen toets"),
    "peer_value": ("number", "the 15 statistical neighbours together, in `unit`"),
    "peer_index": ("number", "value / peer_value x 100"),
    "rank": ("number", "rank among the shown municipalities (1 = most striking)"),
    "coverage": ("number", "share of the members' inhabitants a regional total rests on"),
    "status_label": ("string", "why a figure is hidden (te klein, onvolledig, ...)"),
    "note": ("string", "a remark on the figure (an approximate boundary conversion)"),
}
# (name, file, description, query): each query selects from the store only the fields the
# pages publish, by their names in FIELDS
RESOURCES = (
    ("gemeenten-en-regio", "gemeenten_en_regio.csv",
     "One row per indicator, area (municipality, province, RIEC region, the country) and "
     "period, on the municipal boundaries of 2024.",
     """SELECT r.indicator, r.theme, r.level, r.region_code, g.name AS region_name, r.period_key,
               r.year, r.value, r.unit, r.national_value, r.index, r.lower95, r.upper95,
               r.lower998, r.upper998, r.category, r.peer_value, r.peer_index, r.rank,
               r.coverage, r.status_label, r.note
        FROM results r JOIN regions g ON g.code = r.region_code
        ORDER BY r.indicator, r.period_key, r.level, r.region_code"""),
    ("wijken-en-buurten", "wijken_en_buurten.csv",
     "One row per area indicator, wijk or buurt and period.",
     """SELECT r.indicator, r.theme, r.level, r.region_code, a.name AS region_name,
               r.parent_code, r.municipality_code, r.period_key, r.year, r.value, r.unit,
               r.national_value, r.index, r.parent_value, r.parent_index, r.lower95, r.upper95,
               r.category, r.status_label
        FROM area_results r JOIN areas a ON a.code = r.region_code
        ORDER BY r.indicator, r.period_key, r.level, r.region_code"""),
)
DEFINITIONS = {"indicator": ("string", "indicator id"), "theme": ("string", "theme id"),
               "label": ("string", "Dutch name as on screen"),
               "description": ("string", "what is counted, over what"),
               "unit": ("string", "unit"), "kind": ("string", "kind of figure"),
               "levels": ("string", "area levels"), "source": ("string", "CBS table and measure"),
               "caveats": ("string", "what to keep in mind")}


def _definitions() -> pd.DataFrame:
    rows = []
    for theme in themes():
        for ind in (*theme.indicators, *theme.area_indicators):
            rows.append({"indicator": ind.id, "theme": theme.id, "label": ind.label,
                         "description": ind.description, "unit": ind.unit,
                         "kind": kind_of(ind).label, "levels": " ".join(ind.levels),
                         "source": "; ".join(s.describe() for s in ind.sources),
                         "caveats": ind.caveats})
    return pd.DataFrame(rows, columns=list(DEFINITIONS))


def _schema(fields: dict[str, tuple[str, str]]) -> dict:
    return {"fields": [{"name": n, "type": t, "description": d} for n, (t, d) in fields.items()]}


def package_files(query: Query) -> dict[str, bytes]:
    """Every file of the package by name: the CSVs and datapackage.json. `query` runs a query on
    the store (a connection's, or the served Store's)."""
    files: dict[str, bytes] = {}
    resources = []
    for name, path, description, sql in RESOURCES:
        frame = query(sql)
        fields = {column: FIELDS[column] for column in frame.columns}
        files[path] = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        resources.append({"name": name, "path": path, "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "description": description,
                          "schema": _schema(fields)})
    files["indicatoren.csv"] = _definitions().to_csv(index=False, lineterminator="\n").encode()
    resources.append({"name": "indicatoren", "path": "indicatoren.csv", "format": "csv",
                      "mediatype": "text/csv", "encoding": "utf-8",
                      "description": "Definition and source of every indicator.",
                      "schema": _schema(DEFINITIONS)})
    built = query("SELECT source, built_at FROM build_info")
    info = (built.iloc[0, 0], built.iloc[0, 1]) if len(built) else ("", "")
    tables = list(query("SELECT table_id FROM provenance ORDER BY 1")["table_id"])
    descriptor = {
        "name": PACKAGE, "title": "Zichtop: Zicht op Ondermijning op open CBS-data",
        "description": "Every figure Zichtop publishes, on 2024 boundaries; hidden figures are "
                       "empty with their reason. A deviation is a pattern, not proof.",
        "version": __version__, "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "keywords": ["ondermijning", "CBS", "gemeenten", "wijken"],
        "licenses": [{"name": "CC-BY-4.0", "title": credits.CBS,
                      "path": "https://creativecommons.org/licenses/by/4.0/"},
                     {"name": "CC-BY-NC-SA-4.0", "title": credits.CROSSWALK,
                      "path": "https://creativecommons.org/licenses/by-nc-sa/4.0/"}],
        "sources": [{"title": f"CBS {t}", "path": f"https://opendata.cbs.nl/statline/#/CBS/nl/"
                                                  f"dataset/{t}"} for t in tables],
        "zichtop": {"method_version": __version__, "data_source": str(info[0]),
                    "data_version": str(info[1])},
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2).encode()
    return files


def write_package(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    """Write the package into `folder` (created); returns its datapackage.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in package_files(lambda sql: con.execute(sql).df()).items():
        (folder / name).write_bytes(content)
    return folder / "datapackage.json"


def package_zip(query: Query) -> bytes:
    """The package as one zip file (the Methode page's download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in package_files(query).items():
            archive.writestr(f"{PACKAGE}/{name}", content)
    return buffer.getvalue()
