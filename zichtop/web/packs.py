"""A RIEC region's (or province's) export pack, as the region page offers it: the flat table,
a sheet per theme plus the wijk sheet, and the definitions. (Not a page module: tests and other
views import it without registering a page twice.)"""

from __future__ import annotations

import pandas as pd

from zichtop.core.codes import NATIONAL_CODE
from zichtop.indicators.registry import themes
from zichtop.read import queries
from zichtop.read.exports import WIJK_SHEET, definitions_frame, export_frame, wijk_export_frame
from zichtop.web.components import region_code_and_name


def export_pack(code: str, reference: str = "nl", all_periods: bool = False
                ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame]:
    """The pack of a region: the latest period of every indicator, or (`all_periods`) every
    period in long format; every municipality's row also against `reference` (its columns
    'Referentie', 'Waarde referentie', 'Index t.o.v. referentie', ...)."""
    code, name = region_code_and_name(code)
    rows = queries.region_export_rows(code, all_periods)
    members = queries.members(code)
    areas = [(code, name, code[:2]), (NATIONAL_CODE, "Nederland", "NL"),
             *[(c, n, "GM") for c, n in zip(members["code"], members["name"], strict=True)]]
    flat = export_frame(rows, areas, queries.indicator_status().set_index("indicator"),
                        queries.with_reference(rows, reference), all_periods)
    by_theme = {t.label: flat[flat["Thema"] == t.label] for t in themes()}
    by_theme = {k: v for k, v in by_theme.items() if len(v)}
    wijk_rows, coverage = queries.region_wijk_rows(code)
    by_theme[WIJK_SHEET] = wijk_export_frame(
        wijk_rows, coverage, list(zip(members["code"], members["name"], strict=True)))
    return flat, by_theme, definitions_frame(name, queries.build_info())
