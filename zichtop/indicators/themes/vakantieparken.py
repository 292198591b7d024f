"""Theme: vakantieparken (holiday parks). Recreational dwellings and changes of function."""

from zichtop.indicators.model import INHABITANTS, RATE, Indicator, Source, Theme

START_STOCK = Source("86054NED", "BeginstandVoorraad_1")

THEME = Theme(
    id="vakantieparken",
    label="Vakantieparken",
    description="Recreatiewoningen en de omzetting van vakantiewoningen naar woningen en terug.",
    indicators=(
        Indicator(
            id="vakantie_recreatiewoningen",
            label="Recreatieverblijven per 1 000 inwoners",
            description="Niet-woningen met een logiesfunctie (recreatiewoningen, "
                        "vakantieverblijven) volgens de maatstaven van het gemeentefonds, per "
                        "1 000 inwoners.",
            numerator=Source("85383NED", "NietWoningMetFunctieLogies_38",
                             {"StatusCijfer": "Definitief"}),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=True,
            caveats="Maat voor de omvang van de recreatiesector, niet voor misbruik.",
            action="Gemeenten met veel recreatieverblijven: controleer permanente bewoning en "
                   "inschrijvingen in de BRP op parken.",
        ),
        Indicator(
            id="vakantie_logies_naar_woning",
            label="Van logies- naar woonfunctie per 1 000 woningen",
            description="Woningen toegevoegd doordat een verblijf met logiesfunctie (zoals een "
                        "vakantiewoning) een woonfunctie kreeg, per 1 000 woningen.",
            numerator=Source("86054NED", "VanLogiesfunctieNaarWoonfunctie_12", rounding=5),
            denominator=START_STOCK,
            kind=RATE, unit="per 1 000 woningen", scale=1000.0,
            caveats="Kleine aantallen, afgerond op vijftallen; vaak 'te klein'.",
            action="Vraag bij omzettingen na wie de nieuwe eigenaren zijn.",
        ),
        Indicator(
            id="vakantie_woning_naar_logies",
            label="Van woon- naar logiesfunctie per 1 000 woningen",
            description="Woningen onttrokken doordat een woning een logiesfunctie kreeg, per "
                        "1 000 woningen.",
            numerator=Source("86054NED", "VanWoonNaarLogiesfunctie_23", rounding=5),
            denominator=START_STOCK,
            kind=RATE, unit="per 1 000 woningen", scale=1000.0,
            caveats="Kleine aantallen, afgerond op vijftallen; vaak 'te klein'.",
            action="Omzetting naar logies kan wijzen op short-stay of arbeidsmigrantenhuisvesting.",
        ),
    ),
)
