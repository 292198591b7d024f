"""Re-expressing municipality figures of earlier years on the 2024 boundaries.

Method (docs/data.md): the address-weighted matrices of the `grenswijzigen` package by Hans Weda
(CC BY-NC-SA 4.0; read from the mirror, never committed). For a year Y in 2016-2023 and a 2024
municipality t that changed since Y:
- counts:            value_t = sum_f weight[f, t]    * value_f   (weight sums to 1 per from-code)
- rates / averages:  value_t = sum_f weight_to[f, t] * value_f   (weight_to sums to 1 per to-code)
Flows of 5 addresses or fewer are ignored, as the crosswalk's notes advise (address re-geocoding,
not boundary changes); the remaining weights are renormalised.
When former parts holding at most 2.5% of t's addresses lack a figure, t is computed over the
parts that have one and marked 'approximate', with `missing_share` = the address share without a
figure: a count is the sum of the parts with a figure (its rate is then taken over the same share
of the denominator, see results.indicator_frame), an average is the weighted average of those
parts. With more missing, t is marked 'unconverted' (never guessed).
Municipalities absent from the matrix kept their boundaries ('unchanged'). Years before 2016 have
no matrix and are marked 'unconverted'; 2024 and 2025 share one code set ('native').
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zichtop.catalog import COUNT
from zichtop.credits import CROSSWALK
from zichtop.errors import SchemaError, SourceError
from zichtop.reference import REFERENCE_YEAR

FIRST_CONVERTIBLE = 2016
CREDIT = CROSSWALK
NATIVE, UNCHANGED, CONVERTED, UNCONVERTED = "native", "unchanged", "converted", "unconverted"
APPROXIMATE = "approximate"
# Residential addresses: the figures are about inhabitants and dwellings, so a former part's
# weight is its share of the homes (Weesp: 1.9% of Amsterdam's homes, 2.9% of all addresses).
VARIANT = "woonfunctie"
NOISE_MAX_ADDRESSES = 5  # flows of 1-5 addresses are noise (crosswalk PROVENANCE.md, "Quirks")
MAX_MISSING_SHARE = 0.025  # publish when parts with a figure hold at least 97.5% of addresses


def read_crosswalk(crosswalk_dir: Path, variant: str = VARIANT) -> pd.DataFrame:
    path = Path(crosswalk_dir) / "gemeente_crosswalk.csv"
    if not path.is_file():
        raise SourceError(f"crosswalk file {path} does not exist")
    frame = pd.read_csv(path, dtype={"from_code": str, "to_code": str})
    for column in ("variant", "from_year", "to_year", "from_code", "to_code", "n", "weight",
                   "weight_to"):
        if column not in frame.columns:
            raise SchemaError(f"crosswalk file {path}: column {column!r} is missing")
    frame = frame[(frame["variant"] == variant) & (frame["to_year"] == REFERENCE_YEAR)]
    return without_noise(frame[["from_year", "from_code", "to_code", "n", "weight", "weight_to"]])


def without_noise(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop flows of at most 5 addresses between two different codes and renormalise: `weight`
    to 1 per from-code, `weight_to` to 1 per to-code. Pairs left with only themselves are
    dropped too (the municipality kept its boundaries)."""
    real = frame[(frame["n"] > NOISE_MAX_ADDRESSES) | (frame["from_code"] == frame["to_code"])]
    real = real.assign(
        weight=real["weight"] / real.groupby(["from_year", "from_code"])["weight"].transform("sum"),
        weight_to=real["weight_to"] / real.groupby(["from_year", "to_code"])["weight_to"]
        .transform("sum"))
    identity = (real["from_code"] == real["to_code"]) & (real["weight"] > 1 - 1e-9) & \
        (real["weight_to"] > 1 - 1e-9)
    return real[~identity].reset_index(drop=True)


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
        out.append(_convert(cross, keys)[lambda f: f["region_code"].isin(reference_codes)])
    result = pd.concat(out, ignore_index=True)
    if "missing_share" not in result:
        result["missing_share"] = np.nan
    result.loc[result["status"] != APPROXIMATE, "missing_share"] = np.nan
    return result[[*group, "year", "region_code", "value", "status", "missing_share"]]


def _convert(cross: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One converted value per group and 2024 code, as a weighted sum (counts) or weighted
    average (others) over the former parts that have a figure."""
    known = cross["value"].notna()
    cross = cross.assign(
        w=np.where(cross["_count"], cross["weight"], cross["weight_to"]),
        share_known=np.where(known, cross["weight_to"], 0.0))
    cross["wv"] = np.where(known, cross["w"] * cross["value"], 0.0)
    cross["w_known"] = np.where(known, cross["w"], 0.0)
    sums = cross.groupby([*keys, "to_code"], sort=False)[["wv", "w_known", "share_known"]].sum()
    sums = sums.reset_index().rename(columns={"to_code": "region_code"})
    missing = (1.0 - sums["share_known"]).clip(lower=0.0)
    missing = missing.where(missing > 1e-9, 0.0)  # float noise of weights that sum to 1
    average = sums["wv"] / sums["w_known"].where(sums["w_known"] > 0)
    value = np.where(sums["_count"], sums["wv"], average)
    usable = missing <= MAX_MISSING_SHARE
    sums["value"] = np.where(usable & (sums["share_known"] > 0), value, np.nan)
    sums["status"] = np.where(missing == 0, CONVERTED,
                              np.where(usable, APPROXIMATE, UNCONVERTED))
    sums.loc[sums["value"].isna(), "status"] = UNCONVERTED
    sums["missing_share"] = missing
    return sums[[*keys, "region_code", "value", "status", "missing_share"]]
