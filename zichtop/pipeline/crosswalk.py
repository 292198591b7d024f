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

import duckdb
import pandas as pd

from zichtop.core.codes import REFERENCE_YEAR
from zichtop.core.credits import CROSSWALK
from zichtop.core.errors import SchemaError, SourceError

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


def to_reference(con: duckdb.DuckDBPyConnection, source: str, group: list[str],
                 crosswalk: pd.DataFrame | None, reference_codes: set[str], into: str,
                 temporary: bool = False) -> None:
    """Convert municipality values to 2024 boundaries, in SQL.

    `source` is a relation with columns `group` + year + region_code + value + `_count` (true
    where the value is a count, summed with `weight`; else averaged with `weight_to`). Writes
    the table `into` (a temporary one with `temporary`): `group` + year + region_code (2024) +
    value + status +
    missing_share, one row per group, year and 2024 code. Without a crosswalk (None) no
    earlier year can be converted: all are marked unconverted.
    """
    con.register("_reference", pd.DataFrame({"code": sorted(reference_codes)}))
    pairs = crosswalk if crosswalk is not None else pd.DataFrame(
        {"from_year": pd.Series(dtype="int64"), "from_code": pd.Series(dtype=str),
         "to_code": pd.Series(dtype=str), "weight": pd.Series(dtype=float),
         "weight_to": pd.Series(dtype=float)})
    con.register("_pairs", pairs[["from_year", "from_code", "to_code", "weight", "weight_to"]])
    keys = ", ".join(f"v.{_q(c)}" for c in group)
    same = " AND ".join(f"v.{_q(c)} IS NOT DISTINCT FROM g.{_q(c)}" for c in group)
    convertible = f"v.year >= {FIRST_CONVERTIBLE} AND v.year < {REFERENCE_YEAR}" + \
        ("" if crosswalk is not None else " AND false")
    try:
        con.execute(f"""CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {into} AS
        WITH touched AS (
            SELECT from_year AS year, from_code AS code FROM _pairs
            UNION SELECT from_year, to_code FROM _pairs),
        groups AS (SELECT DISTINCT {keys}, v.year, v._count FROM {source} v
                   WHERE {convertible}),
        crossed AS (  -- every group with every flow of its year and the former part's value
            SELECT g.*, p.to_code, p.weight, p.weight_to, v.value,
                   CASE WHEN g._count THEN p.weight ELSE p.weight_to END AS w
            FROM groups g JOIN _pairs p ON p.from_year = g.year
            LEFT JOIN {source} v ON {same} AND v.year = g.year AND v._count = g._count
                 AND v.region_code = p.from_code),
        sums AS (
            SELECT * EXCLUDE (to_code), to_code AS region_code,
                   CASE WHEN 1.0 - share_known > 1e-9 THEN 1.0 - share_known ELSE 0.0 END
                       AS missing  -- below 1e-9: float noise of weights that sum to 1
            FROM (SELECT {", ".join(_q(c) for c in group)}, year, _count, to_code,
                         kahan_sum(CASE WHEN value IS NOT NULL THEN w * value ELSE 0 END) AS wv,
                         kahan_sum(CASE WHEN value IS NOT NULL THEN w ELSE 0 END) AS w_known,
                         kahan_sum(CASE WHEN value IS NOT NULL THEN weight_to ELSE 0 END)
                             AS share_known
                  FROM crossed GROUP BY ALL)),
        converted AS (
            SELECT *, CASE WHEN missing <= {MAX_MISSING_SHARE} AND share_known > 0
                           THEN CASE WHEN _count THEN wv
                                     WHEN w_known > 0 THEN wv / w_known END END AS value
            FROM sums)
        SELECT {keys}, v.year, v.region_code, v.value, '{NATIVE}' AS status,
               NULL::DOUBLE AS missing_share
        FROM {source} v WHERE v.year >= {REFERENCE_YEAR}
             AND v.region_code IN (SELECT code FROM _reference)
        UNION ALL  -- no crosswalk for that year: every group and code, without a figure
        SELECT {keys}, v.year, r.code, NULL::DOUBLE, '{UNCONVERTED}', NULL::DOUBLE
        FROM (SELECT DISTINCT {keys}, v.year FROM {source} v
              WHERE v.year < {REFERENCE_YEAR} AND NOT ({convertible})) v
        CROSS JOIN _reference r
        UNION ALL  -- kept its boundaries
        SELECT {keys}, v.year, v.region_code, v.value, '{UNCHANGED}', NULL::DOUBLE
        FROM {source} v WHERE {convertible}
             AND v.region_code IN (SELECT code FROM _reference)
             AND NOT EXISTS (SELECT 1 FROM touched t WHERE t.year = v.year AND t.code = v.region_code)
        UNION ALL
        SELECT {keys}, v.year, v.region_code, v.value,
               CASE WHEN v.value IS NULL THEN '{UNCONVERTED}' WHEN v.missing = 0
                    THEN '{CONVERTED}' WHEN v.missing <= {MAX_MISSING_SHARE}
                    THEN '{APPROXIMATE}' ELSE '{UNCONVERTED}' END,
               CASE WHEN v.value IS NOT NULL AND v.missing > 0
                         AND v.missing <= {MAX_MISSING_SHARE} THEN v.missing END
        FROM converted v WHERE v.region_code IN (SELECT code FROM _reference)""")
    finally:
        con.unregister("_reference")
        con.unregister("_pairs")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
