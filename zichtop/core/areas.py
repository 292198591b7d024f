"""The area dimension at every level: levels, their Dutch names, parents from CBS's codes.

The mart `areas` (built by zichtop/pipeline/areas.py) has one row per area: the country (NL), provinces (PV), RIEC regions (RE),
municipalities (GM), wijken (WK) and buurten (BU), with its level, its parent (a wijk's
municipality, a buurt's wijk), its municipality and its inhabitants on 1 January 2024.

Levels and parents come from the data: the municipal regions from the Gebieden tables
(`regions`), wijken and buurten from the rows of the KWB table that lists them (declared in the
catalog with the measure AREA_INHABITANTS), where CBS's codes carry the hierarchy: BU16800000
lies in wijk WK168000, which lies in municipality GM1680.
"""

from __future__ import annotations

# level -> (Dutch name, its parent level); the order is the drill-down order
LEVELS: dict[str, tuple[str, str | None]] = {
    "NL": ("Nederland", None), "PV": ("provincie", "NL"), "RE": ("RIEC-regio", "NL"),
    "GM": ("gemeente", "PV"), "WK": ("wijk", "GM"), "BU": ("buurt", "WK"),
}
SUBLEVELS = ("WK", "BU")  # levels below the municipality
# whether the loaded data hold a municipality's areas for an indicator (mart area_coverage)
COMPLETE, NOT_LOADED, NOT_DELIVERED = "volledig", "niet geladen", "geen cijfers"
REASONS = {COMPLETE: "", NOT_LOADED: "geen wijkcijfers in deze installatie",
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
