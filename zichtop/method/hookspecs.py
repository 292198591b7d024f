"""The method's extension surface, declared in one place (as Datasette declares its hooks).

Two doors, each one module plus its registration:
- a **kind** of figure (zichtop/method/kinds/<name>.py, registered in kinds/__init__.py): how
  a value is formed from its numerator and denominator, how members pool into a reference or
  a total, which null distribution its significance is tested against, and how the one
  small-number rule (zichtop/method/privacy.py) reads it;
- a **reference** (zichtop/method/references/<name>.py, registered in references/__init__.py):
  which members' figures make the yardstick an area is compared with (the country, the
  statistical neighbours, a wijk's municipality), pooled by the figure's kind.

The computation (zichtop/method/compute.py) knows no kind or reference by name: it asks these
objects. Arrays are aligned: one element per area of one period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Limits = dict[str, tuple[Array, Array]]  # "95" and "998": (lower, upper) counts


class Kind(Protocol):
    name: str  # as an indicator declares it (zichtop/indicators/model.py: kind=...)
    label: str  # English, in docs/indicators.md
    label_nl: str  # Dutch, on the Methode page
    decimals: int  # shown precision where the indicator declares none
    has_denominator: bool  # False: a published mean, pooled with weights
    # the numerator counts events: the small-number rule reads the count, significance is a
    # funnel test of the count, a composite takes the funnel z-score
    counted: bool
    # CBS's empty count means "below CBS's threshold" only where the base is known
    cbs_empty_needs_base: bool
    # False: a region's figure is not pooled from its members but CBS's own (a survey
    # estimate); the caller hands in those figures
    pools: bool

    def value(self, numerator: Array, denominator: Array, scale: float) -> Array:
        """The figure of each area."""
        ...

    def hidden(self, numerator: Array, denominator: Array, inhabitants: Array) -> np.ndarray:
        """The one small-number rule as it applies to this kind (True = "te klein")."""
        ...

    def pool(self, members: Array, numerator: Array, denominator: Array, weight: Array,
             scale: float) -> tuple[Array, Array, Array]:
        """The figure of each group of members (`members`: groups x areas, 0/1, only the
        members that may be used): value, summed numerator and summed denominator."""
        ...

    def reference(self, numerator: Array, denominator: Array, weight: Array, scale: float,
                  published: float) -> float:
        """The national reference over every area with a figure (`published`: CBS's own
        national figure where it has one, else NaN)."""
        ...

    def test(self, figures: Figures, reference: Array, rounding: int,
             tested_over: np.ndarray) -> dict[str, Array]:
        """Significance of each figure against its reference: `category` (one of
        statistics.CATEGORIES, NO_TEST, or None where unknown), `z`, `overdispersion` and the
        limits in the figure's unit (`lower95`, `upper95`, `lower998`, `upper998`).
        `tested_over`: the rows whose spread calibrates the test (the municipalities)."""
        ...


class Counted(Kind, Protocol):
    """A kind whose numerator counts events: tested with the funnel (significance.py)."""

    def null(self, denominator: Array, reference: Array | float,
             scale: float) -> tuple[Array, Array]:
        """Under the null (each area at the reference): the expected count and its variance."""
        ...

    def limits(self, denominator: Array, reference: Array | float, scale: float,
               at_least: Array | float = 0.0) -> Limits:
        """The exact limits of the count under the null; with `at_least` (per area), the upper
        limit given that the count is at least that (a figure shown only from the small-number
        threshold on)."""
        ...


@dataclass(frozen=True)
class Figures:
    """One period of one indicator: an element per area, in the order of the caller's areas."""

    value: Array
    numerator: Array
    denominator: Array
    weight: Array  # the declared weight of a mean, else the inhabitants
    shown: np.ndarray  # a figure that may be published (known and not "te klein")
    scale: float
    published: float = float("nan")  # CBS's own national figure of a mean, where it has one
    lower: Array | None = None  # CBS's 95% interval of a survey estimate, where it has one
    upper: Array | None = None
    published_lower: float = float("nan")  # the interval of CBS's national estimate
    published_upper: float = float("nan")


class Reference(Protocol):
    """The yardstick of each area: which members' figures make it, pooled by the kind."""

    @property
    def name(self) -> str:
        """As in a URL (referentie=...)."""
        ...

    @property
    def label_nl(self) -> str:
        """As in a sentence: "t.o.v. <label_nl>"."""
        ...

    @property
    def uniform(self) -> bool:
        """One value for every area: the regions' totals are compared with it too."""
        ...

    def values(self, kind: Kind, figures: Figures) -> tuple[Array, Array]:
        """The reference value of each area and how many members made it."""
        ...
