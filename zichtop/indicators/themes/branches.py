"""Theme: kwetsbare branches (context). Business establishments per inhabitant."""

from zichtop.indicators.model import AREA_INHABITANTS, INHABITANTS, RATE, Indicator, Source, Theme

THEME = Theme(
    id="branches",
    label="Kwetsbare branches",
    description="Bedrijvigheid als context voor witwasgevoelige branches.",
    indicators=(
        Indicator(
            id="branches_vestigingen",
            label="Bedrijfsvestigingen per 1 000 inwoners",
            description="Alle bedrijfsvestigingen volgens de maatstaven van het gemeentefonds, "
                        "per 1 000 inwoners.",
            numerator=Source("85383NED", "Bedrijfsvestigingen_69", {"StatusCijfer": "Voorlopig"}),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, higher_is_risk=None,
            caveats="Alle branches samen; context, geen signaal.",
            action="Achtergrond bij de indicator per branche.",
        ),
        Indicator(
            id="branches_horeca_detailhandel",
            label="Vestigingen in handel en horeca per 1 000 inwoners",
            description="Bedrijfsvestigingen in handel, vervoer en horeca (SBI G-I), per 1 000 "
                        "inwoners.",
            numerator=Source("81578NED", "BedrijfsvestigingenGI"),
            denominator=INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0,
            caveats="Vraagt CBS-tabel 81578NED (vestigingen naar SBI), die ontbreekt in de kopie "
                    "van CBS op deze computer; beschikbaar als `zichtop build` CBS live kan "
                    "bereiken.",
            action="Veel vestigingen in kasgeldgevoelige branches kan een aandachtspunt zijn voor "
                   "Bibob-beleid.",
        ),
    ),
    area_indicators=(
        Indicator(
            id="wijk_handel_horeca_per_1000",
            label="Vestigingen in handel en horeca per 1 000 inwoners (wijk)",
            description="Bedrijfsvestigingen in handel en horeca (SBI G+I) in de wijk of buurt, "
                        "per 1 000 inwoners (Kerncijfers wijken en buurten 2024).",
            numerator=Source("85984NED", "GIHandelEnHoreca_105", rounding=5),
            denominator=AREA_INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, levels=("WK", "BU"),
            caveats="Afgerond op vijftallen. Winkelgebieden en bedrijventerreinen hebben weinig "
                    "inwoners en scoren daardoor hoog: kijk naar het aantal.",
            action="Veel vestigingen in kasgeldgevoelige branches in één wijk kan een aandachtspunt "
                   "zijn voor Bibob en winkelstraataanpak.",
        ),
        Indicator(
            id="wijk_financieel_vastgoed_per_1000",
            label="Vestigingen in financiële diensten en onroerend goed per 1 000 inwoners (wijk)",
            description="Bedrijfsvestigingen in financiële diensten en onroerend goed (SBI K-L) "
                        "in de wijk of buurt, per 1 000 inwoners.",
            numerator=Source("85984NED", "KLFinancieleDienstenOnroerendGoed_107", rounding=5),
            denominator=AREA_INHABITANTS,
            kind=RATE, unit="per 1 000 inwoners", scale=1000.0, levels=("WK", "BU"),
            caveats="Afgerond op vijftallen; vestigingsadressen van holdings tellen mee.",
            action="Een concentratie van vastgoed- en financiële vestigingen op woonadressen kan "
                   "wijzen op brievenbusfirma's: vergelijk met KvK-gegevens.",
        ),
    ),
)
