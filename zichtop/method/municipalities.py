"""The municipalities as the method sees them: their codes in order, their province and RIEC
region, inhabitants per year and who their statistical neighbours are. Plain data, no database
(the pipeline reads it from the store: zichtop/pipeline/marts/municipal.py `context`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from zichtop.core.codes import NATIONAL_CODE
from zichtop.method.references.group import Group
from zichtop.method.references.neighbours import Neighbours


@dataclass(frozen=True)
class Municipalities:
    """What every indicator's computation shares: the municipalities, their regions,
    inhabitants per year and the nearest-neighbour matrix."""

    codes: list[str]
    members: pd.DataFrame  # index code: province_code, riec_code, size_class
    inhabitants: pd.DataFrame  # index code, columns years
    peer_matrix: np.ndarray
    _groups: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def groups(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per aggregate level (PV, RE, NL): its region codes, sorted, and a matrix of regions
        x municipalities (1 = member)."""
        out = {}
        for level, keys in (("PV", self.members["province_code"]),
                            ("RE", self.members["riec_code"]),
                            ("NL", pd.Series(NATIONAL_CODE, index=self.members.index))):
            values = keys.reindex(self.codes)
            if values.isna().any():
                raise ValueError(f"municipality {values[values.isna()].index[0]} has no {level}")
            unique, at = np.unique(values.to_numpy(str), return_inverse=True)
            matrix = np.zeros((len(unique), len(self.codes)))
            matrix[at, np.arange(len(self.codes))] = 1.0
            out[level] = (unique.astype(object), matrix)
        return out

    @cached_property
    def neighbours(self) -> Neighbours:
        return Neighbours(self.peer_matrix)

    def group(self, column: str, name: str, label_nl: str) -> Group:
        """The municipalities with the same `column` (riec_code, province_code, size_class)."""
        if column not in self._groups:
            if column not in self.members:
                raise ValueError(f"the municipalities have no {column!r} to group by")
            keys = self.members[column].reindex(self.codes)
            if keys.isna().any():
                raise ValueError(f"municipality {keys[keys.isna()].index[0]} has no {column}")
            self._groups[column] = Group.of(keys.to_numpy(str), name, label_nl)
        return self._groups[column]

    def inhabitants_in(self, year: int) -> np.ndarray:
        years = [int(y) for y in self.inhabitants.columns]
        nearest = min(years, key=lambda y: abs(y - year))
        return self.inhabitants[nearest].reindex(self.codes).to_numpy(float)
