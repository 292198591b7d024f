"""Combined patterns per theme: the mart `composites`, one row per theme and municipality, from
the municipal results (plain frames in, a plain frame out)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from zichtop.indicators.model import ESTIMATE
from zichtop.indicators.registry import themes
from zichtop.method import statistics
from zichtop.method.kinds import kind_of

ABOVE = ("hoger", "significant hoger")
Z_CAP = 5.0  # one indicator counts at most this much in a composite


def composites(results: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Per theme and municipality: weighted mean of the parts' funnel z-scores (over-dispersion
    and rounding adjusted, zeros included, capped at +-5), each indicator at its latest period;
    indicators without counts use their standardised log ratio. A part that is higher than
    expected always adds to the score. With the rank under 1,000 random weightings."""
    rows = []
    gm = results[results["level"] == "GM"]
    for theme in themes():
        directional = [i for i in theme.indicators if i.higher_is_risk is not None]
        parts, meta = {}, {}
        for ind in directional:
            r = gm[gm["indicator"] == ind.id]
            if r.empty:
                continue
            latest = r["period_key"].max()
            r = r[r["period_key"] == latest].set_index("region_code")
            sign = 1.0 if ind.higher_is_risk else -1.0
            kind = kind_of(ind)
            # a funnel z-score or a survey estimate's difference test; else the spread of
            # log ratios
            if kind.counted or kind.name == ESTIMATE:
                z = r["z"].to_numpy(float)
            else:
                z = statistics.standardise(r["log_ratio"].to_numpy(float))
            parts[ind.id] = pd.Series(np.clip(sign * z, -Z_CAP, Z_CAP), index=r.index)
            meta[ind.id] = (latest, r)
        if not parts:
            continue
        codes = sorted(set().union(*(s.index for s in parts.values())))
        aligned = {k: s.reindex(codes).to_numpy(float) for k, s in parts.items()}
        w = {k: (weights or {}).get(k, 1.0) for k in aligned}
        score = statistics.composite(aligned, w)
        matrix = np.column_stack(list(aligned.values()))
        rank, low, high = statistics.rank_ranges(matrix, np.array(list(w.values())))
        # each part's category and log ratio laid out over `codes` once
        categories = {k: [c if isinstance(c, str) else None
                          for c in meta[k][1]["category"].reindex(codes)] for k in aligned}
        ratios = {k: meta[k][1]["log_ratio"].reindex(codes).to_numpy(float) for k in aligned}
        for n, code in enumerate(codes):
            makeup = []
            above = 0
            for k in aligned:
                cat = categories[k][n]
                above += cat in ABOVE
                makeup.append({"indicator": k, "period": meta[k][0], "weight": w[k],
                               "log_ratio": _num(ratios[k][n]),
                               "z": _num(aligned[k][n]), "category": cat})
            rows.append({"theme": theme.id, "region_code": code, "score": _num(score[n]),
                         "n_indicators": int(sum(m["z"] is not None for m in makeup)),
                         "n_above": above, "rank": _num(rank[n]), "rank_low": _num(low[n]),
                         "rank_high": _num(high[n]),
                         "makeup": json.dumps(makeup, ensure_ascii=False, allow_nan=False)})
    return pd.DataFrame(rows)


def _num(x: object) -> float | None:
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else round(f, 4)
