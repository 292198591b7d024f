"""Survey estimates (the Veiligheidsmonitor) for municipalities CBS does not publish.

CBS estimates these figures for 55 large gemeenten only; every other gemeente belongs to a
politie-eenheid (= its RIEC region) that has CBS's own estimate. Where a municipality has no
figure of its own, its row carries the politie-eenheid's figure, clearly labelled as such
(`figure_of`: "politie-eenheid Limburg", and a note), never as its own: `results` keeps only
own figures, so rankings, the spread between municipalities, signals and composites never
count a stand-in.

Pure functions over frames (unit-tested); the store is read in zichtop/read/queries.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zichtop.indicators.model import ESTIMATE
from zichtop.indicators.registry import indicators

# what a stand-in takes from its politie-eenheid's row (the comparison with the country too)
TAKEN = ["value", "estimate_lower", "estimate_upper", "national_value", "index", "log_ratio",
         "category", "z", "lower95", "upper95", "lower998", "upper998", "yoy_flag",
         "prev_index", "index_change"]
NOTE = ("cijfer van politie-eenheid {name}; de Veiligheidsmonitor publiceert alleen grote "
        "gemeenten")


def estimate_ids() -> set[str]:
    return {i for i, (_, ind) in indicators().items() if ind.kind == ESTIMATE}


def needs_stand_in(frame: pd.DataFrame) -> pd.Series:
    """Municipal rows of a survey estimate without an own figure."""
    if frame.empty or not {"indicator", "region_code", "value"} <= set(frame.columns):
        return pd.Series(False, index=frame.index)
    return frame["indicator"].isin(estimate_ids()) & \
        frame["region_code"].astype(str).str.startswith("GM") & frame["value"].isna()


def stand_in(frame: pd.DataFrame, regional: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """`frame` (results rows) with each municipal survey row that has no own figure filled
    from its politie-eenheid's row in `regional` (results rows of level RE) of the same
    indicator and period; `figure_of` names whose figure a row shows ("gemeente" for an own
    figure, "politie-eenheid <naam>" for a stand-in), `note` says why."""
    out = frame.copy()
    ids = estimate_ids()
    if out.empty or "indicator" not in out:
        return out
    own = out["indicator"].isin(ids) & out["value"].notna() & \
        out["region_code"].astype(str).str.startswith("GM") if "value" in out else \
        pd.Series(False, index=out.index)
    earlier = out["figure_of"] if "figure_of" in out else pd.Series(None, index=out.index,
                                                                      dtype=object)
    # a row filled before keeps its label (a frame may pass here twice)
    out["figure_of"] = earlier.astype(object).where(earlier.notna(),
                                                    pd.Series(None, index=out.index,
                                                              dtype=object).mask(own, "gemeente"))
    missing = needs_stand_in(out)
    if not missing.any() or regional.empty:
        return out
    info = regions.set_index("code")
    riec = out.loc[missing, "region_code"].map(info["riec_code"])
    keys = pd.DataFrame({"indicator": out.loc[missing, "indicator"],
                         "period_key": out.loc[missing, "period_key"], "region_code": riec},
                        index=out.index[missing])
    found = keys.assign(_row=keys.index).merge(
        regional, on=["indicator", "period_key", "region_code"], how="left").set_index("_row")
    has = found["value"].notna()
    rows = found.index[has]
    for column in TAKEN:
        if column in out and column in found:
            values = found.loc[rows, column]
            if out[column].dtype != object and values.dtype == object:
                out[column] = out[column].astype(object)
            out.loc[rows, column] = values
    names = found.loc[rows, "region_code"].map(info["name"])
    out.loc[rows, "figure_of"] = [f"politie-eenheid {n}" for n in names]
    if "note" not in out:
        out["note"] = None
    out.loc[rows, "note"] = [NOTE.format(name=n) for n in names]
    if "rank" in out:
        out.loc[rows, "rank"] = np.nan
    return out
