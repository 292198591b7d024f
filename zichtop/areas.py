"""The area dimension at every level.

Mart `areas`: one row per area: the country (NL), provinces (PV), RIEC regions (RE),
municipalities (GM), wijken (WK) and buurten (BU), with its level, its parent (a wijk's
municipality, a buurt's wijk), its municipality and its inhabitants on 1 January 2024.

Levels and parents come from the data: the municipal regions from the Gebieden tables
(`regions`), wijken and buurten from the rows of the KWB table that lists them (declared in the
catalog with the measure AREA_INHABITANTS), where CBS's codes carry the hierarchy: BU16800000
lies in wijk WK168000, which lies in municipality GM1680.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from zichtop.reference import NATIONAL_CODE, NATIONAL_CODES
from zichtop.themes.model import AREA_INHABITANTS

# level -> (Dutch name, its parent level); the order is the drill-down order
LEVELS: dict[str, tuple[str, str | None]] = {
    "NL": ("Nederland", None), "PV": ("provincie", "NL"), "RE": ("RIEC-regio", "NL"),
    "GM": ("gemeente", "PV"), "WK": ("wijk", "GM"), "BU": ("buurt", "WK"),
}
SUBLEVELS = ("WK", "BU")  # levels below the municipality
# whether the loaded data hold a municipality's areas for an indicator (mart area_coverage)
COMPLETE, NOT_LOADED, NOT_DELIVERED = "volledig", "niet geladen", "geen cijfers"
REASONS = {COMPLETE: "", NOT_LOADED: "geen wijkcijfers in de geladen gegevens",
           NOT_DELIVERED: "CBS heeft voor deze gemeente geen wijkcijfers"}
AREA_COLUMNS = ["code", "name", "level", "parent_code", "municipality_code", "inhabitants",
                "inhabitants_source"]


def parent_of(code: str) -> str | None:
    """A wijk's municipality, a buurt's wijk (CBS codes: GMgggg, WKggggww, BUggggwwbb)."""
    if code.startswith("WK"):
        return "GM" + code[2:6]
    if code.startswith("BU"):
        return "WK" + code[2:8]
    return None


def municipality_of(code: str) -> str | None:
    return "GM" + code[2:6] if code[:2] in ("GM", "WK", "BU") else None


def build_areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """`regions` (NL, PV, RE, GM) plus every wijk and buurt that the KWB table lists."""
    regions = con.execute("SELECT code, name, level, province_code FROM regions").df()
    kwb = con.execute(
        """SELECT region_code AS code, region_title AS name, region_level AS level, value
           FROM observations WHERE table_id = ? AND measure = ?""",
        [AREA_INHABITANTS.table, AREA_INHABITANTS.measure]).df()
    source = f"CBS {AREA_INHABITANTS.table}, {AREA_INHABITANTS.measure}, 2024"
    inhabitants = dict(zip(kwb["code"], kwb["value"], strict=True))
    top = regions.assign(
        parent_code=[p if lvl == "GM" else (None if lvl == "NL" else NATIONAL_CODE)
                     for lvl, p in zip(regions["level"], regions["province_code"], strict=True)],
        municipality_code=[c if lvl == "GM" else None
                           for c, lvl in zip(regions["code"], regions["level"], strict=True)],
        inhabitants=regions["code"].map(lambda c: next(
            (inhabitants[k] for k in (NATIONAL_CODES if c == NATIONAL_CODE else (c,))
             if k in inhabitants), None)),
        inhabitants_source=source)
    known = set(regions.loc[regions["level"] == "GM", "code"])
    below = kwb[kwb["level"].isin(SUBLEVELS)].copy()
    below["parent_code"] = below["code"].map(parent_of)
    below["municipality_code"] = below["code"].map(municipality_of)
    below = below[below["municipality_code"].isin(known)]  # e.g. no 'Buitenland'
    below = below.rename(columns={"value": "inhabitants"}).assign(inhabitants_source=source)
    return pd.concat([top[AREA_COLUMNS], below[AREA_COLUMNS]], ignore_index=True)
