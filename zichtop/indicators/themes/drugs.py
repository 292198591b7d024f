"""Theme: drugs. Suspects of drug crimes by municipality of residence, with crime as context."""

from zichtop.indicators.model import INHABITANTS, RATE, Indicator, Source, Theme

THEME = Theme(
    id="drugs",
    label="Drugs",
    description="Verdachten van drugsmisdrijven naar woongemeente en geregistreerde criminaliteit "
                "als context.",
    indicators=(
        Indicator(
            id="drugs_verdachten",
            label="Verdachten van drugsmisdrijven per 1 000 inwoners",
            description="Aantal personen dat in het jaar verdacht werd van een drugsmisdrijf "
                        "(Opiumwet), naar gemeente waar zij wonen, per 1 000 inwoners.",
            numerator=Source("85655NED", "VerdachtenVanDrugsmisdrijven_6", rounding=10),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0,
            caveats="CBS rondt het aantal verdachten af op tientallen. Woongemeente is niet de "
                    "plaats van het delict. Opsporingsbeleid verschilt tussen regio's.",
            action="Vergelijk met gemeenten van dezelfde stedelijkheid. Een hoge waarde is een "
                   "signaal om met politie en RIEC te bespreken, geen bewijs; kijk ook naar de "
                   "trend over meerdere jaren.",
        ),
        Indicator(
            id="drugs_vuurwapen",
            label="Verdachten van vuurwapenmisdrijven per 1 000 inwoners",
            description="Aantal personen verdacht van een vuurwapenmisdrijf, naar woongemeente, "
                        "per 1 000 inwoners.",
            numerator=Source("85655NED", "VerdachtenVanVuurWapenmisdrijven_7", rounding=10),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0,
            caveats="Kleine aantallen: in de meeste kleine gemeenten 'te klein'. Afgerond op "
                    "tientallen.",
            action="Alleen in grotere gemeenten bruikbaar; bespreek uitschieters met de politie.",
        ),
        Indicator(
            id="misdrijven_totaal",
            label="Geregistreerde misdrijven per 1 000 inwoners",
            description="Alle door de politie geregistreerde misdrijven in de gemeente, per "
                        "1 000 inwoners (context).",
            numerator=Source("83648NED", "TotaalGeregistreerdeMisdrijven_1",
                             {"SoortMisdrijf": "Misdrijven, totaal"}, rounding=5),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=None,
            caveats="Context: plaats van het delict, dus centrumgemeenten en toeristische "
                    "gemeenten scoren hoger. CBS rondt af op vijftallen.",
            action="Gebruik als achtergrond bij de drugsindicatoren, niet als signaal op zich.",
        ),
        Indicator(
            id="diefstallen_per_1000",
            label="Geregistreerde diefstallen per 1 000 inwoners",
            description="Alle door de politie geregistreerde diefstallen (inclusief inbraak en "
                        "fietsdiefstal) in de gemeente, per 1 000 inwoners (context).",
            numerator=Source("83651NED", "TotaalGeregistreerdeDiefstallen_1",
                             {"SoortDiefstal": "Alle diefstallen",
                              "GebruikVanGeweld": "Alle diefstallen"}, rounding=5),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=None,
            caveats="Context: plaats van het delict; winkelcentra en stations tellen mee. CBS "
                    "rondt af op vijftallen.",
            action="Achtergrond bij de misdrijven: veel diefstal wijst op gelegenheid, niet op "
                   "ondermijning.",
        ),
    ),
)
