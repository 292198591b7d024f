"""Theme: zorg (pgb). Wmo clients paid by personal budget, Wmo use and spending, youth care."""

from zichtop.indicators.model import (
    AREA_INHABITANTS,
    INHABITANTS,
    RATE,
    RATIO,
    SHARE,
    Indicator,
    Source,
    Theme,
)

_PGB = {"Financieringsvorm": "Uitsluitend PersoonsGebondenBudget (PGB)"}
_WMO_WIJK = Source("85995NED", "WmoClienten_5", {"Financieringsvorm": "Totaal"}, rounding=5,
                   empty_below_cbs_threshold=True)
_PGB_WIJK = Source("85995NED", "WmoClienten_5", _PGB, rounding=5, empty_below_cbs_threshold=True)

THEME = Theme(
    id="zorg",
    label="Zorg (pgb)",
    description="Wmo-cliënten met uitsluitend een persoonsgebonden budget, Wmo-gebruik en "
                "-uitgaven, en jeugdzorg.",
    indicators=(
        Indicator(
            id="zorg_pgb_per_1000",
            label="Wmo-cliënten met alleen pgb per 1 000 inwoners",
            description="Inwoners met een Wmo-maatwerkvoorziening die uitsluitend via een "
                        "persoonsgebonden budget wordt betaald, per 1 000 inwoners.",
            numerator=Source("85995NED", "WmoClienten_5", _PGB, rounding=5,
                             empty_below_cbs_threshold=True),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, period_type="HJ",
            caveats="Alleen 1e halfjaar 2024; 9 gemeenten leveren geen cijfers. Afgerond op "
                    "vijftallen; CBS laat aantallen onder zijn drempel leeg ('te klein (CBS)'). "
                    "Landelijk cijfer = som van de leverende gemeenten.",
            action="Een hoog pgb-gebruik is een aandachtspunt voor controle op zorgaanbieders; "
                   "bespreek met het zorgteam en de toezichthouder Wmo.",
        ),
        Indicator(
            id="zorg_pgb_aandeel",
            label="Aandeel alleen-pgb in alle Wmo-cliënten (%)",
            description="Wmo-cliënten met uitsluitend pgb als percentage van alle Wmo-cliënten.",
            numerator=Source("85995NED", "WmoClienten_5", _PGB, rounding=5,
                             empty_below_cbs_threshold=True),
            denominator=Source("85995NED", "WmoClienten_5", {"Financieringsvorm": "Totaal"},
                               rounding=5),
            kind=SHARE, unit="% van de Wmo-cliënten", scale=100.0, period_type="HJ",
            caveats="Alleen 1e halfjaar 2024; afgerond op vijftallen.",
            action="Vergelijk met vergelijkbare gemeenten: beleid rond pgb verschilt sterk.",
        ),
        Indicator(
            id="zorg_wmo_per_1000",
            label="Wmo-cliënten per 1 000 inwoners",
            description="Inwoners met een Wmo-maatwerkvoorziening in het jaar, per 1 000 inwoners.",
            numerator=Source("86050NED", "WmoClienten_1", {"TypeMaatwerkvoorziening": "Totaal"},
                             rounding=5),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=None,
            caveats="Context; hangt sterk samen met vergrijzing.",
            action="Achtergrond bij het pgb-aandeel.",
        ),
        Indicator(
            id="zorg_wmo_uitgaven",
            label="Wmo-uitgaven per inwoner",
            description="Gerealiseerde uitgaven aan Wmo-maatwerkvoorzieningen in euro's per inwoner.",
            numerator=Source("84580NED", "GerealiseerdeUitgaven_3",
                             {"MaatwerkvoorzieningenType": "Totaal"}),
            denominator=INHABITANTS,
            kind=RATIO, unit="euro per inwoner", higher_is_risk=None,
            caveats="Geen telling, dus geen significantietoets. CBS publiceert in duizenden euro's.",
            action="Vergelijk met vergelijkbare gemeenten; grote verschillen vragen om uitleg in "
                   "de begroting.",
        ),
        Indicator(
            id="zorg_jeugdzorg_per_1000",
            label="Jongeren met jeugdzorg per 1 000 inwoners",
            description="Jongeren met jeugdhulp, jeugdbescherming of jeugdreclassering in het "
                        "jaar, per 1 000 inwoners (alle leeftijden).",
            numerator=Source("85099NED", "JongerenMetJeugdzorg_1",
                             {"VormenVanJeugdzorg": "JZ Totaal jeugdzorg"}, rounding=5),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=None,
            caveats="Noemer is alle inwoners, niet alle jongeren: gemeenten met veel jongeren "
                    "scoren hoger.",
            action="Context bij pgb-gebruik in het sociaal domein.",
        ),
    ),
    area_indicators=(
        Indicator(
            id="wijk_wmo_per_1000",
            label="Wmo-cliënten per 1 000 inwoners (wijk)",
            description="Inwoners van de wijk met een Wmo-maatwerkvoorziening in het 1e halfjaar "
                        "2024, per 1 000 inwoners van de wijk op 1 januari 2024.",
            numerator=_WMO_WIJK, denominator=AREA_INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=None,
            period_type="HJ", levels=("WK",),
            caveats="Afgerond op vijftallen (cliënten en inwoners); context, hangt samen met "
                    "leeftijd. 9 gemeenten leveren geen wijkcijfers.",
            action="Achtergrond bij het pgb-gebruik in de wijk.",
        ),
        Indicator(
            id="wijk_pgb_per_1000",
            label="Wmo-cliënten met alleen pgb per 1 000 inwoners (wijk)",
            description="Inwoners van de wijk met een Wmo-maatwerkvoorziening die uitsluitend via "
                        "een persoonsgebonden budget wordt betaald, per 1 000 inwoners.",
            numerator=_PGB_WIJK, denominator=AREA_INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, period_type="HJ",
            levels=("WK",),
            caveats="CBS laat de meeste pgb-aantallen per wijk leeg (onder zijn drempel): 'te "
                    "klein (CBS)'.",
            action="Een wijk met veel alleen-pgb is een aandachtspunt voor controle op "
                   "zorgaanbieders die daar actief zijn.",
        ),
        Indicator(
            id="wijk_pgb_aandeel",
            label="Aandeel alleen-pgb in alle Wmo-cliënten (%, wijk)",
            description="Wmo-cliënten met uitsluitend pgb als percentage van alle Wmo-cliënten "
                        "van de wijk.",
            numerator=_PGB_WIJK, denominator=_WMO_WIJK,
            kind=SHARE, unit="% van de Wmo-cliënten", scale=100.0, period_type="HJ",
            levels=("WK",),
            caveats="Alleen waar CBS het pgb-aantal publiceert; afgerond op vijftallen.",
            action="Vergelijk met de eigen gemeente: pgb-beleid is gemeentelijk.",
        ),
    ),
)
