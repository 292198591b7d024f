"""Re-expressing municipality figures of earlier years on the 2024 boundaries.

Method (docs/data.md): the address-weighted matrices of the `grenswijzigen` package by Hans Weda
(CC BY-NC-SA 4.0; read from the mirror, never committed). For a year Y in 2016-2023 and a 2024
municipality t that changed since Y:
- counts:            value_t = sum_f weight[f, t]    * value_f   (weight sums to 1 per from-code)
- rates / averages:  value_t = sum_f weight_to[f, t] * value_f   (weight_to sums to 1 per to-code)
If any contributing from-code has no figure, t is marked 'unconverted' (never guessed).
Municipalities absent from the matrix kept their boundaries ('unchanged'). Years before 2016 have
no matrix and are marked 'unconverted'; 2024 and 2025 share one code set ('native').
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zichtop.catalog import COUNT
from zichtop.errors import SchemaError, SourceError

REFERENCE_YEAR = 2024
FIRST_CONVERTIBLE = 2016
CREDIT = "Grenscorrectie: grenswijzigen (Hans Weda), CC BY-NC-SA 4.0"
NATIVE, UNCHANGED, CONVERTED, UNCONVERTED = "native", "unchanged", "converted", "unconverted"


def read_crosswalk(crosswalk_dir: Path, variant: str = "adressen") -> pd.DataFrame:
    path = Path(crosswalk_dir) / "gemeente_crosswalk.csv"
    if not path.is_file():
        raise SourceError(f"crosswalk file {path} does not exist")
    frame = pd.read_csv(path, dtype={"from_code": str, "to_code": str})
    for column in ("variant", "from_year", "to_year", "from_code", "to_code", "weight", "weight_to"):
        if column not in frame.columns:
            raise SchemaError(f"crosswalk file {path}: column {column!r} is missing")
    frame = frame[(frame["variant"] == variant) & (frame["to_year"] == REFERENCE_YEAR)]
    return frame[["from_year", "from_code", "to_code", "weight", "weight_to"]].reset_index(drop=True)


def to_reference(values: pd.DataFrame, group: list[str], kind_of: pd.Series,
                 crosswalk: pd.DataFrame | None, reference_codes: set[str]) -> pd.DataFrame:
    """Convert municipality values to 2024 boundaries.

    `values` holds columns `group` + year + region_code + value; `kind_of` gives the kind
    (count or other) of each row. Returns `group` + year + region_code (2024) + value + status.
    Without a crosswalk (None) no earlier year can be converted: all are marked unconverted.
    """
    out = []
    values = values.assign(_count=(kind_of == COUNT).to_numpy())
    for year, frame in values.groupby("year", sort=True):
        keys = [*group, "year", "_count"]
        if year >= REFERENCE_YEAR:
            kept = frame[frame["region_code"].isin(reference_codes)]
            out.append(kept.assign(status=NATIVE))
            continue
        if year < FIRST_CONVERTIBLE or crosswalk is None:
            groups = frame[keys].drop_duplicates()
            codes = pd.DataFrame({"region_code": sorted(reference_codes)})
            out.append(groups.merge(codes, how="cross").assign(value=np.nan, status=UNCONVERTED))
            continue
        pairs = crosswalk[crosswalk["from_year"] == year]
        touched = set(pairs["from_code"]) | set(pairs["to_code"])
        same = frame[frame["region_code"].isin(reference_codes - touched)]
        out.append(same.assign(status=UNCHANGED))
        if pairs.empty:
            continue
        groups = frame[keys].drop_duplicates()
        cross = groups.merge(pairs, how="cross").merge(
            frame[[*keys, "region_code", "value"]].rename(columns={"region_code": "from_code"}),
            on=[*keys, "from_code"], how="left")
        cross["w"] = np.where(cross["_count"], cross["weight"], cross["weight_to"])
        cross["wv"] = cross["w"] * cross["value"]
        converted = (cross.groupby([*keys, "to_code"], sort=False)
                     .agg(value=("wv", lambda s: s.sum(min_count=len(s)) if s.notna().all()
                                 else np.nan))
                     .reset_index().rename(columns={"to_code": "region_code"}))
        converted["status"] = np.where(converted["value"].isna(), UNCONVERTED, CONVERTED)
        out.append(converted[converted["region_code"].isin(reference_codes)])
    result = pd.concat(out, ignore_index=True)
    return result[[*group, "year", "region_code", "value", "status"]]
