"""The one small-number rule. Every figure shown or exported passes through `is_suppressed`
when results are materialised; a suppressed figure is stored as NULL with `suppressed = true`,
so nothing downstream can show it."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

MIN_NUMERATOR = 10  # fewer than 10 events (after CBS rounding): "te klein"
MIN_DENOMINATOR = 100  # CBS's practice: no relative figure on a base under about 100
LABEL = "te klein"
CBS_LABEL = "te klein (CBS)"  # CBS left the count empty: below its own publication threshold
EXPLANATION = (f"Te klein: minder dan {MIN_NUMERATOR} gebeurtenissen of een basis kleiner dan "
               f"{MIN_DENOMINATOR}. Zo weinig gebeurtenissen geven geen betrouwbaar cijfer: "
               "toeval weegt dan zwaarder dan het patroon. 'Te klein (CBS)': CBS publiceert het "
               "aantal zelf niet, omdat het onder zijn drempel voor openbaarmaking ligt. Totalen "
               "van regio's, provincies, Nederland en vergelijkbare gemeenten tellen alleen de "
               "getoonde gemeenten op, zodat een verborgen cijfer niet terug te rekenen is. Is "
               "in een gemeente precies één wijk (of in een wijk één buurt) verborgen terwijl "
               "het cijfer van de gemeente zelf getoond wordt, dan is ook de kleinste andere "
               "wijk 'te klein': anders volgt het verborgen aantal uit het verschil.")


# hidden together with a suppressed or incomplete figure: nothing that lets anyone recompute it
HIDDEN = ["value", "numerator", "denominator", "index", "log_ratio", "lower95", "upper95",
          "lower998", "upper998", "category", "z", "peer_value", "peer_index", "rank"]


def is_suppressed(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> np.ndarray:
    """True where a figure must be hidden. NaN (unknown) counts do not trigger suppression;
    a count-free figure such as an average passes numerator=NaN."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore"):
        return (num < MIN_NUMERATOR) | (den < MIN_DENOMINATOR)


def complementary(groups: npt.ArrayLike, hidden: npt.ArrayLike, counts: npt.ArrayLike,
                  group_published: npt.ArrayLike) -> np.ndarray:
    """Secondary suppression: where exactly one member of a group (the wijken of a
    municipality) is hidden and the group's own total is published, the shown member with the
    smallest count is hidden too, so the total minus the shown members does not give the hidden
    count back. Returns the members to hide in addition."""
    import pandas as pd

    frame = pd.DataFrame({"group": pd.Series(groups).to_numpy(),
                          "hidden": np.asarray(hidden, dtype=bool),
                          "count": np.asarray(counts, dtype=float),
                          "published": np.asarray(group_published, dtype=bool)})
    by_group = frame.groupby("group", dropna=False)
    lone = (by_group["hidden"].transform("sum") == 1) & by_group["published"].transform("any")
    candidates = frame[lone & ~frame["hidden"] & frame["count"].notna()]
    extra = np.zeros(len(frame), dtype=bool)
    if len(candidates):
        extra[candidates.groupby("group")["count"].idxmin().to_numpy()] = True
    return extra
