"""Regions from CBS's "Gebieden in Nederland" tables: titles to codes, and the region dimension.

Column positions shift between the yearly tables, so columns are found by the codes they hold
(PV.., RE.., VR..) rather than by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from zichtop.core import police
from zichtop.core.codes import NATIONAL_CODE, REFERENCE_YEAR
from zichtop.core.errors import SchemaError
from zichtop.pipeline.sources import RawTable

# Year -> CBS table id of "Gebieden in Nederland <year>".
GEBIEDEN: dict[int, str] = {
    2016: "83287NED", 2017: "83553NED", 2018: "83859NED",
    2019: "84378NED", 2020: "84721NED", 2021: "84929NED", 2022: "85067NED",
    2023: "85385NED", 2024: "85755NED", 2025: "86059NED",
}
# CBS "Woonplaatsen in Nederland 2024": every woonplaats (village or town) with its gemeente, so a
# search for "Oostburg" finds Sluis (table `places`)
PLACES = "85877NED"
# Aggregate titles carry a type suffix, e.g. "Groningen (PV)"; the code prefix is the same.
AGGREGATE_PREFIXES = ("PV", "RE", "LD", "CR", "JZ", "VR")


@dataclass(frozen=True)
class Gebieden:
    """One year's Gebieden table with its columns located by content."""

    year: int
    table_id: str
    frame: pd.DataFrame  # stripped text
    code_columns: dict[str, str]  # prefix -> "Code_n"
    size_column: str | None
    urban_column: str | None
    inhabitants_column: str

    @classmethod
    def from_raw(cls, year: int, raw: RawTable) -> Gebieden:
        text = {c: [str(v).strip() for v in raw.frame[c].tolist()] for c in raw.frame.columns}
        frame = pd.DataFrame(text)
        for needed in ("RegioS", "Code_1"):
            if needed not in frame.columns:
                raise SchemaError(f"table {raw.table_id} ({raw.origin}): column {needed!r} is missing")
        code_columns: dict[str, str] = {}
        for column in frame.columns:
            if not column.startswith("Code_") or column == "Code_1":
                continue
            values = set(text[column]) - {"."}  # each distinct code once
            if values and min(map(len, values)) >= 3:
                prefixes = {v[:2] for v in values}
                if len(prefixes) == 1 and (prefix := prefixes.pop()) in AGGREGATE_PREFIXES:
                    code_columns[prefix] = column
        descriptions = [c for c in frame.columns if c.startswith("Omschrijving_")]
        size = next((c for c in descriptions
                     if any("inwoners" in v for v in set(text[c]))), None)
        urban = next((c for c in descriptions
                      if any("stedelijk" in v for v in set(text[c]))), None)
        inhabitants = next((c for c in frame.columns if c.startswith("Inwonertal")), None)
        if inhabitants is None:
            raise SchemaError(f"table {raw.table_id} ({raw.origin}): no 'Inwonertal_n' column")
        twice = frame["Code_1"].duplicated(keep=False) & (frame["Code_1"] != "")
        if twice.any():
            rows = [int(i) + 1 for i in twice.to_numpy().nonzero()[0][:2]]
            code = frame["Code_1"][twice].iloc[0]
            raise SchemaError(f"table {raw.table_id} ({raw.origin}), column Code_1: municipality "
                              f"{code} ({frame['RegioS'][twice].iloc[0]}) is listed twice "
                              f"(data rows {rows[0]} and {rows[1]})")
        return cls(year, raw.table_id, frame, code_columns, size, urban, inhabitants)

    def name_of(self, code_column: str) -> str:
        return f"Naam_{int(code_column.split('_')[1]) + 1}"

    def municipality_names(self) -> dict[str, str]:
        return dict(zip(self.frame["RegioS"], self.frame["Code_1"], strict=True))

    def aggregate_names(self) -> dict[str, str]:
        """'Drenthe (PV)' -> 'PV22' for every aggregate level this year's table carries."""
        names: dict[str, str] = {}
        for prefix, column in self.code_columns.items():
            pairs = self.frame[[column, self.name_of(column)]].drop_duplicates()
            for code, name in pairs.itertuples(index=False):
                if code != ".":
                    names[f"{name} ({prefix})"] = code
        return names


class RegionResolver:
    """Map a region title in a table of a given year to its CBS code, with the Gebieden table
    of that year (or the nearest year that knows the title)."""

    def __init__(self, gebieden: Iterable[Gebieden]):
        self._by_year = {g.year: g.municipality_names() for g in gebieden}
        self._codes_by_year = {y: set(names.values()) for y, names in self._by_year.items()}
        self._aggregates: dict[str, str] = {"Nederland": NATIONAL_CODE}
        for g in sorted(gebieden, key=lambda g: g.year):
            self._aggregates.update(g.aggregate_names())

    def __call__(self, title: str, year: int) -> str | None:
        if title in self._aggregates:
            return self._aggregates[title]
        if (district := police.district_code(title)) is not None:
            return district
        if is_unassigned(title):
            return None
        # Within the covered years only that year's table counts (a dissolved municipality must
        # not resolve in a later year); outside them, the nearest year stands in.
        first, last = min(self._by_year), max(self._by_year)
        names = self._by_year[min(max(year, first), last)]
        if title.endswith(MUNICIPALITY_SUFFIX):  # the Veiligheidsmonitor: "Heerlen (GM)"
            bare = title.removesuffix(MUNICIPALITY_SUFFIX)
            return names.get(bare) or names.get(f"{bare} (gemeente)")
        return names.get(title)


    def with_keys(self, keys: Mapping[str, str]) -> Callable[[str, int], str | None]:
        """Live tables carry each region's own CBS key (its code): use it, and the Gebieden
        tables only for titles without a key (the mirror has none)."""
        first, last = min(self._by_year), max(self._by_year)

        def resolve(title: str, year: int) -> str | None:
            key = keys.get(title)
            # a police district: its declared code (core/police.py), not CBS's key, so that
            # both sources give the same observations
            if key is None or is_unassigned(title) or police.district_code(title):
                return self(title, year)
            # CBS keys every municipality in every period, also before it existed or after it
            # was dissolved; like the mirror path, one counts only where the Gebieden table of
            # that (or the nearest) year lists it
            nearest = min(max(year, first), last)
            if key.startswith("GM") and key not in self._codes_by_year[nearest]:
                return None
            return key
        return resolve


# Veiligheidsmonitor titles: a municipality carries this suffix; police districts (PD) get
# the codes of core/police.py; basisteams (BT) and groups of municipalities (G4, G40,
# "Gemeenten > 70 000 inwoners") are no region here (no table maps them to anything)
MUNICIPALITY_SUFFIX = " (GM)"
UNMAPPED_SUFFIXES = (" (BT)",)
GROUPS = ("G4", "G40", "Gemeenten > 70 000 inw")


def is_unassigned(title: str) -> bool:
    """CBS rows such as 'Niet in te delen (PV)' belong to no region; nor do basisteams and
    groups of municipalities."""
    return "niet in te delen" in title.lower() or title.endswith(UNMAPPED_SUFFIXES) or \
        title.startswith(GROUPS)


def region_dimension(gebieden: dict[int, Gebieden]) -> pd.DataFrame:
    """One row per region of the reference year: the 342 municipalities with their province,
    RIEC region (politie regionale eenheid), veiligheidsregio, size class and stedelijkheid,
    plus one row per province, RIEC region and the country."""
    g = gebieden[REFERENCE_YEAR]
    f = g.frame
    cols = g.code_columns
    for prefix in ("PV", "RE", "VR"):
        if prefix not in cols:
            raise SchemaError(f"table {g.table_id}: no column with {prefix} codes")
    municipalities = pd.DataFrame({
        "code": f["Code_1"], "name": f["Naam_2"], "level": "GM",
        "province_code": f[cols["PV"]], "province_name": f[g.name_of(cols["PV"])],
        "riec_code": f[cols["RE"]], "riec_name": f[g.name_of(cols["RE"])],
        "vr_code": f[cols["VR"]], "vr_name": f[g.name_of(cols["VR"])],
        "size_class": pd.to_numeric(f[_code_of(g.size_column)], errors="coerce")
        if g.size_column else None,
        "size_label": f[g.size_column] if g.size_column else None,
        "urbanity": pd.to_numeric(f[_code_of(g.urban_column)], errors="coerce")
        if g.urban_column else None,
        "urbanity_label": f[g.urban_column] if g.urban_column else None,
    })
    aggregates = []
    for prefix, level_col in (("PV", "province"), ("RE", "riec")):
        pairs = municipalities[[f"{level_col}_code", f"{level_col}_name"]].drop_duplicates()
        for code, name in pairs.itertuples(index=False):
            aggregates.append({"code": code, "name": name, "level": prefix})
    aggregates.append({"code": NATIONAL_CODE, "name": "Nederland", "level": "NL"})
    return pd.concat([municipalities, pd.DataFrame(aggregates)], ignore_index=True)


def _code_of(description_column: str | None) -> str:
    assert description_column is not None
    number = int(description_column.split("_")[1])
    return f"Code_{number - 1}"


def inhabitants_by_year(gebieden: dict[int, Gebieden]) -> pd.DataFrame:
    """Inhabitants per municipality per year, at that year's boundaries (code, year, value)."""
    frames = []
    for year, g in sorted(gebieden.items()):
        values = pd.to_numeric(g.frame[g.inhabitants_column], errors="coerce")
        frames.append(pd.DataFrame({"code": g.frame["Code_1"], "year": year, "value": values,
                                    "table_id": g.table_id, "measure": g.inhabitants_column}))
    return pd.concat(frames, ignore_index=True)



def former_names(gebieden: dict[int, Gebieden], crosswalk: pd.DataFrame | None) -> pd.DataFrame:
    """Mart `former_names`: one row per former municipality (a code of 2016-2023 that is not a
    code of the reference year) and each of today's municipalities its homes went to, so that
    searching 'Weesp' finds Amsterdam and 'Haaren' its four successors. Empty without a
    crosswalk (a live build without the mirror's crosswalk)."""
    today = set(gebieden[REFERENCE_YEAR].frame["Code_1"])
    seen: dict[str, tuple[str, int]] = {}
    for year, g in sorted(gebieden.items()):
        if year >= REFERENCE_YEAR:
            continue
        for code, name in zip(g.frame["Code_1"], g.frame["Naam_2"], strict=True):
            if code not in today:
                seen[code] = (name, year)
    columns = ["name", "code", "last_year", "to_code"]
    if crosswalk is None or not seen:
        return pd.DataFrame(columns=columns)
    flows = crosswalk[crosswalk["from_code"].isin(list(seen))][["from_code", "to_code"]]
    rows = [{"name": seen[f][0], "code": f, "last_year": seen[f][1], "to_code": t}
            for f, t in flows.drop_duplicates().itertuples(index=False) if t in today]
    return pd.DataFrame(rows, columns=columns).sort_values(["name", "to_code"])


def places(raw: RawTable, municipalities: set[str]) -> pd.DataFrame:
    """One row per woonplaats of 2024: its name and its gemeente's code (CBS 85877NED:
    `Woonplaatsen` the name, `Code_3` the gemeente)."""
    frame = raw.frame
    for needed in ("Woonplaatsen", "Code_3"):
        if needed not in frame.columns:
            raise SchemaError(f"table {raw.table_id} ({raw.origin}): column {needed!r} is missing")
    out = pd.DataFrame({"name": frame["Woonplaatsen"].astype(str).str.strip(),
                        "municipality_code": frame["Code_3"].astype(str).str.strip()})
    unknown = out[~out["municipality_code"].isin(municipalities)]
    if len(unknown):
        row = unknown.iloc[0]
        raise SchemaError(f"table {raw.table_id} ({raw.origin}), column Code_3: woonplaats "
                          f"{row['name']!r} lies in {row['municipality_code']!r}, not a "
                          "municipality of 2024")
    return out.drop_duplicates().sort_values(["name", "municipality_code"], ignore_index=True)
