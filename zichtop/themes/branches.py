"""Theme: kwetsbare branches (context). Business establishments per inhabitant."""

from zichtop.themes.model import INHABITANTS, RATE, Indicator, Source, Theme

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
            caveats="Vraagt CBS-tabel 81578NED (vestigingen naar SBI), die niet in de lokale "
                    "spiegel zit; alleen beschikbaar met live CBS.",
            action="Veel vestigingen in kasgeldgevoelige branches kan een aandachtspunt zijn voor "
                   "Bibob-beleid.",
        ),
    ),
)
