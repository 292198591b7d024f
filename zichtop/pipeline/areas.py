"""The mart `areas`: every area at every level with its parent, municipality and inhabitants
(the levels and codes: zichtop/core/areas.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from zichtop.core.areas import AREA_COLUMNS, SUBLEVELS, municipality_of, parent_of
from zichtop.core.codes import NATIONAL_CODE, NATIONAL_CODES
from zichtop.indicators.model import AREA_INHABITANTS


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
