"""Theme: schuldpreventie. Persons with six months or more of unpaid health-insurance premium
(the Zvw arrears register, CBS 81064ned): the nearest open signal of problematic debts per
gemeente, from 2016 on 2024 boundaries."""

from zichtop.indicators.model import INHABITANTS, MEAN, RATE, Indicator, Source, Theme

_ARREARS = Source("81064ned", "PersonenMetEenBetalingsachterstand_1", rounding=10)

THEME = Theme(
    id="schulden",
    label="Schuldpreventie",
    description="Inwoners met een betalingsachterstand op de zorgverzekeringspremie (zes "
                "maanden of langer): het dichtstbijzijnde open signaal van problematische "
                "schulden.",
    indicators=(
        Indicator(
            id="schulden_premieachterstand",
            label="Personen met premieachterstand zorgverzekering per 1 000 inwoners",
            description="Personen die zes maanden of langer hun zorgverzekeringspremie niet "
                        "betaalden (aangemeld bij het CAK), per 1 000 inwoners van alle "
                        "leeftijden op 1 januari.",
            numerator=_ARREARS, denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0,
            caveats="CBS rondt het aantal af op tientallen. De noemer is alle inwoners (CBS "
                    "zelf deelt door de verzekerden van 18 jaar of ouder: zie de indicator "
                    "ernaast). Gemeenten op de grenzen van 2024; jaren voor 2016 kunnen niet "
                    "worden omgerekend.",
            action="Een hoog of stijgend aantal wijst op geldzorgen: vroegsignalering en "
                   "schuldhulp kunnen hier gericht beginnen. Schulden maken mensen kwetsbaar "
                   "voor ronselaars; een patroon, geen bewijs.",
        ),
        Indicator(
            id="schulden_premieachterstand_cbs",
            label="Premieachterstand, % van de verzekerden van 18 jaar of ouder (CBS)",
            description="CBS's eigen aandeel: personen met een premieachterstand van zes "
                        "maanden of langer als percentage van de verzekerden van 18 jaar of "
                        "ouder.",
            numerator=Source("81064ned", "PersMetBetalingsachterstandRelatief_2"),
            denominator=None, kind=MEAN, unit="% van de verzekerden van 18+", decimals=1,
            weight=INHABITANTS,
            caveats="CBS publiceert één decimaal. Regio's: gewogen met het aantal inwoners "
                    "(de verzekerden per gemeente zijn niet open); het landelijk cijfer is dat "
                    "van CBS.",
            action="Gebruik naast het aantal per 1 000 inwoners: dit cijfer houdt rekening "
                   "met de leeftijdsopbouw (alleen volwassenen).",
        ),
    ),
)
