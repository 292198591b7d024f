"""The statistical neighbours: each municipality's 15 nearest on six characteristics
(zichtop/pipeline/peers.py), pooled over those whose own figure is shown; no value where fewer than
five are."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zichtop.method.hookspecs import Array, Figures, Kind

MIN_SHOWN = 5  # a neighbours' value needs at least 5 of the 15 with a shown figure


@dataclass(frozen=True)
class Neighbours:
    matrix: Array  # areas x areas, 1 where the column is a neighbour of the row
    name: str = "buren"
    label_nl: str = "vergelijkbare gemeenten"
    uniform: bool = False

    def values(self, kind: Kind, figures: Figures) -> tuple[Array, Array]:
        return pooled_over_shown(self.matrix, kind, figures)


def pooled_over_shown(matrix: Array, kind: Kind, figures: Figures) -> tuple[Array, Array]:
    """Each row's members (`matrix`: areas x areas) pooled by the kind over those whose own
    figure is shown, and how many they are; no value where fewer than MIN_SHOWN are."""
    members = matrix * figures.shown[None, :]
    value, _, _ = kind.pool(members, figures.numerator, figures.denominator, figures.weight,
                            figures.scale)
    count = members.sum(axis=1)
    return np.where(count >= MIN_SHOWN, value, np.nan), count
