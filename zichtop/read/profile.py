"""A municipality's profile for a theme, as text (the CLI) and as rows (the app)."""

from __future__ import annotations

import duckdb
import pandas as pd

from zichtop.core.errors import ZichtopError
from zichtop.indicators.registry import themes
from zichtop.read import estimates


def municipality(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """A municipality's code from what a user types on the command line: a code (GM0363), a
    name, a common or former name or a woonplaats, accents and capitals ignored, as the search
    field takes them (table search_options); one Dutch line when it is unknown or ambiguous."""
    import re

    from zichtop.core.search import PLACE_MARK, fold

    typed = text.strip()
    if re.fullmatch(r"(?i)gm\d{4}", typed):
        return typed.upper()
    wanted = fold(typed)
    options = [(value.split(PLACE_MARK, 1)[0], label, search) for value, label, search in
               con.execute("SELECT value, label, search FROM search_options "
                           "ORDER BY position").fetchall()]
    # a municipality's own name before a woonplaats of that name elsewhere ("Hengelo")
    exact = [value for value, label, _ in options
             if label.endswith(")") and fold(label.rsplit(" (", 1)[0]) == wanted
             and label.rsplit(" (", 1)[1].startswith("GM")] or \
        [value for value, label, _ in options if fold(label.rsplit(" (", 1)[0]) == wanted]
    exact = list(dict.fromkeys(exact))
    words = [value for value, _, search in options
             if wanted in (fold(w.strip()) for w in search.split("|"))]
    # as the search field: a part of a name ("Sudwest" finds Súdwest-Fryslân)
    parts = [value for value, _, search in options if wanted in fold(search)]
    found = exact or list(dict.fromkeys(words)) or list(dict.fromkeys(parts))
    if len(found) == 1:
        return str(found[0])
    if found:
        labels: dict[str, str] = {}
        for value, label, _ in options:  # the municipality's own label comes first
            labels.setdefault(value, label)
        raise ZichtopError(f"'{typed}' past bij meer gemeenten: "
                           f"{', '.join(labels[v] for v in found[:6])}; geef de code")
    raise ZichtopError(f"onbekende gemeente {typed!r}: geef een naam, een plaats of een code "
                       "zoals GM0363")


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
    if year is not None and rows["period_key"].isna().all():
        years = con.execute("SELECT min(year), max(year) FROM results WHERE region_code = ?",
                            [code]).fetchone()
        raise ZichtopError(f"geen cijfers voor {year}; er zijn cijfers van "
                           f"{years[0]} tot en met {years[1]}" if years and years[0] else
                           f"geen cijfers voor {year}")
    regional = con.execute("SELECT * FROM results WHERE level = 'RE' "
                           "AND estimate_lower IS NOT NULL").df()  # the survey estimates
    rows = estimates.stand_in(rows, regional, con.execute("SELECT * FROM regions").df())
    order = {i.id: n for n, i in enumerate(i for t in themes() for i in t.indicators)}
    return rows.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)


def profile_text(con: duckdb.DuckDBPyConnection, code: str, theme_id: str | None,
                 year: int | None = None) -> str:
    from zichtop.indicators.registry import indicators
    from zichtop.read import presentation as p
    from zichtop.read.signals import APART_TITLE, split

    name = con.execute("SELECT name FROM regions WHERE code = ?", [code]).fetchone()
    rows = profile_rows(con, code, theme_id, year)
    registry = indicators()
    lines = [f"Profiel {name[0] if name else code} ({code})"
             + (f", thema {theme_id}" if theme_id else ""),
             "Een afwijking is een patroon, geen bewijs. Bron: CBS.", ""]
    if theme_id is None and year is None:
        series = con.execute("SELECT * FROM results WHERE region_code = ?", [code]).df()
        shown = rows[rows["period_key"].notna()]
        found, others = split(shown, series)
        lines += [f"Waar wijkt {name[0] if name else code} af?"]
        lines += [f"  {n}. {s.sentence}" for n, s in enumerate(found[:10], start=1)] or \
            ["  geen opvallende afwijkingen"]
        if others:
            lines += ["", APART_TITLE] + [f"  - {s.sentence}" for s in others]
        lines.append("")
    for row in rows.itertuples():
        ind = registry[row.indicator][1]
        lines.append(ind.label)
        if not row.available:
            lines.append(f"  {row.reason}")
        elif pd.isna(row.period_key):
            lines.append(f"  {p.NO_DATA}")
        else:
            r = row._asdict()
            why = p.reason(r)
            text = p.value_text(r, ind)
            if why:
                lines.append(f"  {p.period_label(row.period_key)}: {text} | Nederland "
                             f"{p.reference_text(row.national_value, ind)}")
            else:
                lines.append(f"  {p.period_label(row.period_key)}: {text}  |  Nederland "
                             f"{p.reference_text(row.national_value, ind)}  |  index "
                             f"{p.index_text(row.index)}  |  {p.category_text(r)}  |  "
                             f"t.o.v. vergelijkbare gemeenten: index "
                             f"{p.index_text(row.peer_index)}")
        lines.append(f"  bron: {row.source}")
    return "\n".join(lines)
