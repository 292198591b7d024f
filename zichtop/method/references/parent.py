"""The area one level up: a wijk's municipality, a buurt's wijk. Its own figure, where shown,
is the reference (the parent is one member: the counts that make it are its own)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zichtop.method.hookspecs import Array, Figures, Kind


@dataclass(frozen=True)
class Parent:
    at: np.ndarray  # for each area, the position of its parent among the figures; -1: none
    name: str = "ouder"
    label_nl: str = "de gemeente"
    uniform: bool = False

    def values(self, kind: Kind, figures: Figures) -> tuple[Array, Array]:
        has = self.at >= 0
        take = np.where(has, self.at, 0)
        usable = has & figures.shown[take]
        return np.where(usable, figures.value[take], np.nan), usable.astype(float)
