"""One meaning of "similar municipalities": statistical nearest neighbours, as the UK's ONS and
CIPFA build them. For each municipality the 15 others closest on six standardised
characteristics, all from CBS tables the build loads (2024, today's boundaries):

| characteristic | source |
|---|---|
| urbanity class 1-5 | 85755NED Gebieden in Nederland 2024 (stedelijkheid) |
| inhabitants (log) | 85755NED, Inwonertal |
| address density (log) | 85383NED, Omgevingsadressendichtheid_71 |
| share under 18 and share 75 and over | 85383NED, InwonersJongerDan18_2, Inwoners75Plus_7 |
| social-assistance benefits per inhabitant (income) | 85383NED, TotaalBijstandsuitkeringen_22 (the low-income households column is empty for 2023-2024) |
| recreational homes per inhabitant (log1p) | 85383NED, NietWoningMetFunctieLogies_38 |

Each characteristic is standardised (mean 0, sd 1) and weighs the same; distance is Euclidean.
The same set serves the peer index, the peer line in charts, the peer value (summed counts over
summed denominators of the neighbours with a shown figure) and the comparison page's
suggestions. Mart `peers`: one row per municipality and neighbour, with rank and distance.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zichtop.core.errors import SchemaError
from zichtop.indicators.catalog import TABLES

N_PEERS = 15
FEATURE_TABLE = "85383NED"
FEATURE_PERIOD = "2024JJ00"
_MEASURES = {
    "InwonersTotaal_1": "inhabitants",
    "InwonersJongerDan18_2": "under_18",
    "Inwoners75Plus_7": "over_75",
    "TotaalBijstandsuitkeringen_22": "assistance",
    "Omgevingsadressendichtheid_71": "density",
    "NietWoningMetFunctieLogies_38": "holiday_homes",
}


def features(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame) -> pd.DataFrame:
    """One row per 2024 municipality with the six characteristics (before standardising)."""
    raw = con.execute(
        "SELECT region_code, measure, value FROM gm_observations "
        "WHERE table_id = ? AND period_key = ? AND dims = ?",
        [FEATURE_TABLE, FEATURE_PERIOD,
         TABLES[FEATURE_TABLE].dims_key({"StatusCijfer": "Definitief"})]).df()
    raw = raw[raw["measure"].isin(list(_MEASURES))]
    wide = raw.pivot(index="region_code", columns="measure", values="value").rename(
        columns=_MEASURES)
    gm = regions[regions["level"] == "GM"].set_index("code")
    wide = wide.reindex(gm.index)
    out = pd.DataFrame(index=gm.index)
    out["urbanity"] = gm["urbanity"].astype(float)
    out["log_inhabitants"] = np.log(wide["inhabitants"])
    out["log_density"] = np.log(wide["density"])
    out["share_under_18"] = wide["under_18"] / wide["inhabitants"]
    out["share_over_75"] = wide["over_75"] / wide["inhabitants"]
    out["assistance_per_inhabitant"] = wide["assistance"] / wide["inhabitants"]
    out["log_holiday_homes_per_inhabitant"] = np.log1p(wide["holiday_homes"] / wide["inhabitants"]
                                                       * 1000)
    missing = out[out.isna().any(axis=1)]
    if len(missing):
        code = missing.index[0]
        column = missing.columns[missing.loc[code].isna()][0]
        raise SchemaError(f"table {FEATURE_TABLE} ({FEATURE_PERIOD}): no value for {column} of "
                          f"{code}; the nearest neighbours need all 342 municipalities")
    return out


def nearest(characteristics: pd.DataFrame, k: int = N_PEERS) -> pd.DataFrame:
    """Mart `peers`: region_code, peer_code, rank (1 = nearest), distance."""
    x = characteristics.to_numpy(float)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=0)
    distance = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(distance, np.inf)
    order = np.argsort(distance, axis=1, kind="stable")[:, :k]
    codes = characteristics.index.to_numpy()
    rows = len(codes)
    return pd.DataFrame({
        "region_code": np.repeat(codes, k),
        "peer_code": codes[order].ravel(),
        "rank": np.tile(np.arange(1, k + 1), rows),
        "distance": np.take_along_axis(distance, order, axis=1).ravel(),
    })


def matrix(peers: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """codes x codes, 1 where the column is one of the row's neighbours."""
    position = {c: n for n, c in enumerate(codes)}
    m = np.zeros((len(codes), len(codes)))
    m[peers["region_code"].map(position).to_numpy(), peers["peer_code"].map(position).to_numpy()] = 1
    return m
