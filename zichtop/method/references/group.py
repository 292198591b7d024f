"""The municipalities of the same group, the municipality itself included (as a region's
comparison in PHE Fingertips): the RIEC region, the province or CBS's size class
(zichtop/method/municipalities.py makes one per grouping). Pooled by the kind over the members
whose own figure is shown, as a region's total is (never a hidden count, so nothing can be
subtracted back); no value where fewer than five members show one (a reference that is mostly
the municipality itself would call it "binnen de normale spreiding" untested). How much of the
group's inhabitants the shown members hold travels with it (`reference_coverage`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zichtop.method.hookspecs import Array, Figures, Kind
from zichtop.method.references.neighbours import pooled_over_shown


@dataclass(frozen=True)
class Group:
    matrix: Array  # areas x areas, 1 where the column is in the row's group (itself included)
    name: str
    label_nl: str
    uniform: bool = False

    def values(self, kind: Kind, figures: Figures) -> tuple[Array, Array]:
        return pooled_over_shown(self.matrix, kind, figures)

    @staticmethod
    def of(keys: np.ndarray, name: str, label_nl: str) -> Group:
        """The group of municipalities with equal `keys` (one per municipality)."""
        return Group((keys[:, None] == keys[None, :]).astype(float), name, label_nl)
