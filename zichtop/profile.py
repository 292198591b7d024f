"""A municipality's profile for a theme, as text (the CLI) and as rows (the app)."""

from __future__ import annotations

import duckdb
import pandas as pd

from zichtop.errors import ZichtopError
from zichtop.themes.registry import themes


def profile_rows(con: duckdb.DuckDBPyConnection, code: str, theme_id: str | None = None,
                 year: int | None = None) -> pd.DataFrame:
    """Latest (or given-year) result per indicator for one region, joined with its status."""
    known = con.execute("SELECT name FROM regions WHERE code = ?", [code]).fetchone()
    if known is None:
        raise ZichtopError(f"onbekende regiocode {code!r} (verwacht bijv. GM0363)")
    theme_ids = [t.id for t in themes()]
    if theme_id is not None and theme_id not in theme_ids:
        raise ZichtopError(f"onbekend thema {theme_id!r}; kies uit {', '.join(theme_ids)}")
    rows = con.execute(
        """WITH r AS (
             SELECT *, row_number() OVER (PARTITION BY indicator ORDER BY period_key DESC) AS n
             FROM results WHERE region_code = ? AND (? IS NULL OR theme = ?)
               AND (? IS NULL OR year = ?))
           SELECT s.indicator, s.theme, s.available, s.reason, s.source, r.* EXCLUDE
                  (indicator, theme, n)
           FROM indicator_status s LEFT JOIN r ON r.indicator = s.indicator AND r.n = 1
           WHERE (? IS NULL OR s.theme = ?)""",
        [code, theme_id, theme_id, year, year, theme_id, theme_id]).df()
    order = {i.id: n for n, i in enumerate(i for t in themes() for i in t.indicators)}
    return rows.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)


def digits_for(unit: str) -> int:
    """Euros are shown whole; everything else with two decimals."""
    return 0 if unit.startswith("euro") else 2


def fmt(value: object, digits: int = 1) -> str:
    """Dutch number format: decimal comma, thin grouping with a dot."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    text = f"{float(value):,.{digits}f}"  # type: ignore[arg-type]
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def profile_text(con: duckdb.DuckDBPyConnection, code: str, theme_id: str | None,
                 year: int | None = None) -> str:
    from zichtop.privacy import LABEL
    from zichtop.themes.registry import indicators

    name = con.execute("SELECT name FROM regions WHERE code = ?", [code]).fetchone()
    rows = profile_rows(con, code, theme_id, year)
    registry = indicators()
    lines = [f"Profiel {name[0] if name else code} ({code})"
             + (f", thema {theme_id}" if theme_id else ""),
             "Een afwijking is een patroon, geen bewijs. Bron: CBS.", ""]
    for row in rows.itertuples():
        ind = registry[row.indicator][1]
        lines.append(ind.label)
        if not row.available:
            lines.append(f"  {row.reason}")
        elif pd.isna(row.period_key):
            lines.append("  geen gegevens")
        elif row.suppressed:
            lines.append(f"  {row.period_key[:4]}: {LABEL}")
        else:
            lines.append(f"  {row.period_key}: {fmt(row.value, 2)} {ind.unit}  |  Nederland "
                         f"{fmt(row.national_value, 2)}  |  index {fmt(row.index, 0)}  |  "
                         f"{row.category}  |  vergelijkbare gemeenten: index "
                         f"{fmt(row.peer_index, 0)}")
        lines.append(f"  bron: {row.source}")
    return "\n".join(lines)
