"""What a theme and an indicator are. A ratio is declared once, as numerator over denominator."""

from __future__ import annotations

from dataclasses import dataclass, field

RATE = "rate"  # count / denominator x scale, Poisson limits (e.g. per 1 000 inwoners)
SHARE = "share"  # count / larger count x 100, binomial limits (e.g. % of dwellings)
RATIO = "ratio"  # amount / denominator (e.g. euro per inwoner): no count, no limits
MEAN = "mean"  # a published average (e.g. WOZ value): index of the means, no limits
ESTIMATE = "estimate"  # a survey estimate with CBS's 95% interval: a difference test


@dataclass(frozen=True)
class Source:
    """One CBS measure: table id, measure key and dimension filters."""

    table: str
    measure: str
    filters: dict[str, str] = field(default_factory=dict)
    rounding: int = 1  # CBS rounds this count to multiples of this (suspects: 10, Wmo: 5)
    # CBS leaves this count empty below its publication threshold: an empty value in a row the
    # table does have is shown as "te klein (CBS)", not as "geen gegevens"
    empty_below_cbs_threshold: bool = False
    # a survey estimate: the members of `interval_dimension` that hold CBS's 95% interval
    lower: str | None = None
    upper: str | None = None
    interval_dimension: str = "Marges"

    def describe(self) -> str:
        f = ", ".join(f"{k}={v}" for k, v in self.filters.items()
                      if not (self.lower and k == self.interval_dimension))
        if self.lower:  # a survey estimate: its interval is part of the figure
            f = ", ".join(x for x in (f, "schatting met 95%-interval") if x)
        return f"CBS {self.table}, {self.measure}" + (f" ({f})" if f else "")


# The Veiligheidsmonitor's `Marges` members (CBS's keys): the estimate and its 95% interval
MARGINS_DIMENSION = "Marges"
ESTIMATE_KEY, LOWER_KEY, UPPER_KEY = "MW00000", "MOG0095", "MBG0095"


# what every survey estimate's caveats say first (themes digitaal and leefbaarheid)
SURVEY_CAVEAT = ("Steekproefonderzoek (Veiligheidsmonitor, 2021 en 2023): een schatting met een "
                 "95%-betrouwbaarheidsinterval, geen telling. CBS publiceert alleen gemeenten "
                 "met een grote steekproef (55); andere gemeenten zien het cijfer van hun "
                 "politie-eenheid.")
PERCENT_15 = "% van de inwoners van 15 jaar of ouder"


def survey(table: str, measure: str) -> Source:
    """A survey estimate of the Veiligheidsmonitor with CBS's 95% interval."""
    return Source(table, measure, {MARGINS_DIMENSION: ESTIMATE_KEY}, lower=LOWER_KEY,
                  upper=UPPER_KEY, interval_dimension=MARGINS_DIMENSION)


# The inhabitants of a municipality on 1 January (CBS Gebieden in Nederland, per year).
INHABITANTS = Source("population", "Inwonertal")
# The inhabitants of every gemeente, wijk and buurt on 1 January 2024 (Kerncijfers wijken en
# buurten 2024; CBS rounds wijk and buurt counts to fives).
AREA_INHABITANTS = Source("85984NED", "AantalInwoners_5", rounding=5)


@dataclass(frozen=True)
class SeriesBreak:
    """CBS changed how a figure is made between `year - 1` and `year`: values on either side are
    not comparable, so no year-over-year alert crosses it and the caveat is shown."""

    year: int
    note: str  # plain Dutch, shown beside the series


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str  # Dutch, as on screen
    description: str  # plain Dutch: what is counted, over what
    numerator: Source
    denominator: Source | None  # None for a published mean
    kind: str  # RATE, SHARE, RATIO or MEAN
    unit: str  # Dutch unit as shown, e.g. "per 1 000 inwoners"
    scale: float = 1.0  # value = numerator / denominator x scale
    higher_is_risk: bool | None = True  # None: context, not a risk sign
    period_type: str = "JJ"  # JJ (years) or HJ (half-years)
    caveats: str = ""
    action: str = ""  # "wat kun je hiermee", written for a small municipality
    weight: Source | None = None  # MEAN only: weights to aggregate means over regions
    breaks: tuple[SeriesBreak, ...] = ()  # declared series breaks (see SeriesBreak)
    decimals: int | None = None  # shown precision; None: euros 0, shares 1, rates 2
    # the area levels below the municipality this indicator is computed for (area_indicators)
    levels: tuple[str, ...] = ("GM",)

    @property
    def sources(self) -> list[Source]:
        return [s for s in (self.numerator, self.denominator, self.weight) if s is not None]


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str
    indicators: tuple[Indicator, ...]
    # indicators of areas below the municipality (wijk, buurt): same method, own marts
    area_indicators: tuple[Indicator, ...] = ()
