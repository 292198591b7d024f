"""A user's own figures beside the CBS patterns: the file's rows (read/own_file.py) matched to
areas of the store, given a base, run through the method's own entry point (method/own.py) and
written as an export. Nothing of the file is stored: every function takes and returns frames.

One row of `results` is one area and period of the user's file: the area's code and name, the
count, its base (the user's `noemer`, or the area's inhabitants on 1 January from the store),
the figure, the user's own set as reference, index, funnel limits and category."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from zichtop import __version__
from zichtop.core.search import ALIASES, fold
from zichtop.method import own
from zichtop.read import presentation as p
from zichtop.read.own_file import OwnDataError, Problem

Query = Callable[[str, list], pd.DataFrame]
SOURCE = "eigen gegevens, aangeleverd door de gebruiker"
CBS_SOURCE = "Bron: CBS, CC BY 4.0 (inwoners: Gebieden in Nederland; wijken: Kerncijfers wijken " \
             "en buurten 2024)"
POPULATION_YEARS = (2016, 2025)  # the store's inhabitants per municipality
EXPORT_COLUMNS = ["Gebied", "Code", "Periode", "Omschrijving", "Aantal", "Noemer", "Waarde",
                  "Eenheid", "Toelichting", "Referentie (eigen set)", "Index (eigen set = 100)",
                  "Categorie", "Toets", "Bron", "Bron noemer", "Methode", "Exportdatum"]


def _names(regions: pd.DataFrame, query: Query) -> dict[str, str]:
    """Folded municipality names (today's, without CBS's suffix, former names, common names)
    -> code; `regions`: today's municipalities (code, name)."""
    names: dict[str, str] = {}
    for code, name in zip(regions["code"], regions["name"], strict=True):
        for text in (name, name.split(" (", 1)[0], *ALIASES.get(code, ())):
            names.setdefault(fold(text), code)
    former = query("SELECT name, to_code FROM former_names", [])
    for name, code in zip(former["name"], former["to_code"], strict=True):
        names.setdefault(fold(name), code)
    return names


def resolve(rows: pd.DataFrame, query: Query) -> tuple[pd.DataFrame, bool]:
    """The file's rows with region_code, level, name and denominator; whether the base is the
    user's own. Every problem at once (OwnDataError), nothing half-applied."""
    problems: list[Problem] = []
    municipalities = query("SELECT code, name FROM regions WHERE level = 'GM'", [])
    names = _names(municipalities, query)
    regions = municipalities.set_index("code")
    wijken = query("SELECT code, name, municipality_code, inhabitants FROM areas "
                   "WHERE level = 'WK'", []).set_index("code")
    codes: list[str | None] = []
    levels: list[str | None] = []
    labels: list[str | None] = []
    for n, area in zip(rows["rij"], rows["gebied"], strict=True):
        text = str(area).strip()
        upper = text.upper().replace(" ", "")
        if upper.startswith("WK") and upper in wijken.index:
            codes.append(upper)
            levels.append("WK")
            labels.append(str(wijken.loc[upper, "name"]))
        elif upper.startswith("GM") and upper in regions.index:
            codes.append(upper)
            levels.append("GM")
            labels.append(str(regions.loc[upper, "name"]))
        elif (code := names.get(fold(text))) is not None:
            codes.append(code)
            levels.append("GM")
            labels.append(str(regions.loc[code, "name"]))
        else:
            problems.append(Problem("onbekend gebied: geef een gemeente- of wijkcode (GM0363, "
                                    "WK036301) of de naam van een gemeente", int(n), "gebied",
                                    text))
            codes.append(None)
            levels.append(None)
            labels.append(None)
    out = rows.assign(region_code=codes, level=levels, name=labels)
    found = out[out["level"].notna()]
    if found["level"].nunique() > 1:
        first = found.iloc[0]
        other = found[found["level"] != first["level"]].iloc[0]
        kinds = {"GM": "gemeente", "WK": "wijk"}
        problems.append(Problem(f"gemeenten en wijken door elkaar: rij {first['rij']} is een "
                                f"{kinds[first['level']]}, deze rij een "
                                f"{kinds[other['level']]}; maak per soort gebied een bestand",
                                int(other["rij"]), "gebied", str(other["gebied"])))
    wk = found[found["level"] == "WK"]
    if len(wk):
        owner = wijken.loc[wk["region_code"], "municipality_code"].to_numpy()
        if len(set(owner)) > 1:
            other = wk.iloc[int(np.flatnonzero(owner != owner[0])[0])]
            problems.append(Problem(
                f"een wijk van een andere gemeente ({regions.loc[owner[owner != owner[0]][0], 'name']}) "
                f"dan die van rij {wk.iloc[0]['rij']} ({regions.loc[owner[0], 'name']}); één "
                "gemeente per bestand", int(other["rij"]), "gebied", str(other["gebied"])))
    given = out["noemer"].notna()
    if given.any() and not given.all():
        missing = out[~given].iloc[0]
        problems.append(Problem("de noemer ontbreekt, terwijl andere rijen er een hebben: geef "
                                "hem overal of nergens", int(missing["rij"]), "noemer", ""))
    if problems:
        raise OwnDataError(problems)
    own_base = bool(given.all())
    if not own_base:
        out["noemer"] = _inhabitants(out, query, wijken)
        lacking = out[out["noemer"].isna()]
        if len(lacking):
            raise OwnDataError([Problem("geen inwonertal bekend voor dit gebied in deze periode; "
                                        "geef zelf een noemer", int(r["rij"]), "gebied",
                                        str(r["gebied"])) for _, r in lacking.iterrows()])
    return out, own_base


def _inhabitants(rows: pd.DataFrame, query: Query, wijken: pd.DataFrame) -> pd.Series:
    """Inhabitants on 1 January of the period's year (municipality), or of 2024 (wijk: the
    Kerncijfers wijken en buurten 2024 are the store's only wijk inhabitants)."""
    if (rows["level"] == "WK").all():
        return rows["region_code"].map(wijken["inhabitants"]).astype(float)
    population = query("SELECT region_code, year, inhabitants FROM population", [])
    lookup = population.set_index(["region_code", "year"])["inhabitants"]
    years = rows["period_key"].str[:4].astype(int).clip(*POPULATION_YEARS)
    keys = pd.MultiIndex.from_arrays([rows["region_code"], years])
    return pd.Series(lookup.reindex(keys).to_numpy(float), index=rows.index)


def results(rows: pd.DataFrame, query: Query) -> pd.DataFrame:
    """The file's rows through the method (module docstring: one row per area and period)."""
    resolved, own_base = resolve(rows, query)
    computed = own.compute(resolved.rename(columns={"aantal": "numerator",
                                                    "noemer": "denominator"}), own_base)
    keep = resolved[["rij", "gebied", "region_code", "level", "name", "period_key",
                     "omschrijving", "aantal"]]
    return pd.concat([keep.reset_index(drop=True),
                      computed.drop(columns=["region_code", "period_key", "numerator"])
                      .reset_index(drop=True)], axis=1).assign(own_base=own_base)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The results as the export writes them: a hidden count is "te klein" and never its
    number; sources beside each other."""
    today = date.today().isoformat()
    out = []
    for _, r in frame.iterrows():
        hidden = bool(r["suppressed"])
        digits = 1 if r["own_base"] else 2
        out.append({
            "Gebied": r["name"], "Code": r["region_code"],
            "Periode": p.period_label(r["period_key"]), "Omschrijving": r["omschrijving"],
            "Aantal": None if hidden else int(r["aantal"]),
            "Noemer": None if hidden else round(float(r["denominator"]), 0),
            "Waarde": None if hidden else round(float(r["value"]), digits),
            "Eenheid": r["unit"], "Toelichting": p.LABEL if hidden else "",
            "Referentie (eigen set)": round(float(r["reference"]), digits)
            if p.is_number(r["reference"]) else None,
            "Index (eigen set = 100)": None if hidden or not p.is_number(r["index"])
            else round(float(r["index"]), 0),
            "Categorie": "" if hidden else (r["category"] or ""),
            "Toets": "trechter met spreiding tussen de gebieden" if r["widened"] else
            "trechter zonder spreiding tussen de gebieden (te weinig gebieden om die te schatten)",
            "Bron": SOURCE,
            "Bron noemer": "noemer van de gebruiker" if r["own_base"] else CBS_SOURCE,
            "Methode": f"Zichtop {__version__}", "Exportdatum": today})
    return pd.DataFrame(out, columns=EXPORT_COLUMNS)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    """A text cell a spreadsheet will not run: one that starts like a formula gets a leading
    apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """';'-separated, decimal comma, UTF-8 with BOM, no cell a spreadsheet would execute."""
    out = frame.copy().astype(object)
    # a figure with the page's decimals (a rate 2, a share 1); counts and indices whole
    places = [1 if unit == own.SHARE_UNIT else 2 for unit in frame.get("Eenheid", [])]
    for column in frame.columns:
        figure = column in ("Waarde", "Referentie (eigen set)")
        out[column] = [
            "" if value is None or (isinstance(value, float) and np.isnan(value)) else
            (f"{value:.{places[n] if figure else 0}f}".replace(".", ",")
             if isinstance(value, float | int) and not isinstance(value, bool)
             else safe_text(value))
            for n, value in enumerate(frame[column])]
    return ("\ufeff" + out.to_csv(sep=";", index=False, lineterminator="\r\n")).encode("utf-8")
