"""The country: every area with a figure, hidden ones included, pooled by the kind's own rule
(summed counts rounded so no hidden count can be read back; CBS's published average)."""

from __future__ import annotations

import numpy as np

from zichtop.method.hookspecs import Array, Figures, Kind


class National:
    name = "nl"
    label_nl = "Nederland"
    uniform = True

    def values(self, kind: Kind, figures: Figures) -> tuple[Array, Array]:
        f = figures
        value = kind.reference(f.numerator, f.denominator, f.weight, f.scale, f.published)
        n = len(f.value)
        return np.full(n, value), np.full(n, float((~np.isnan(f.value)).sum()))


REFERENCE = National()
