"""Theme: vastgoed (real estate). Ownership patterns, WOZ values and changes in the housing stock."""

from zichtop.indicators.model import MEAN, RATE, SHARE, Indicator, SeriesBreak, Source, Theme

_STOCK = {"StatusVanBewoning": "Totaal"}
DWELLINGS = Source("82900NED", "TotaleWoningvoorraad_1", _STOCK)
OWNER_OCCUPIED = Source("82900NED", "Koopwoningen_2", _STOCK)
START_STOCK = Source("86054NED", "BeginstandVoorraad_1")
AREA_DWELLINGS = Source("85984NED", "Woningvoorraad_35")

THEME = Theme(
    id="vastgoed",
    label="Vastgoed",
    description="Eigendom van woningen, WOZ-waarden en het splitsen en transformeren van "
                "woningen, afgezet tegen het landelijk gemiddelde.",
    indicators=(
        Indicator(
            id="vastgoed_overige_verhuurders",
            label="Woningen van overige verhuurders (% van de voorraad)",
            description="Huurwoningen in eigendom van particuliere verhuurders en beleggers "
                        "('overige verhuurders') als percentage van alle woningen op 1 januari.",
            numerator=Source("82900NED", "EigendomOverigeVerhuurders_5", _STOCK),
            denominator=DWELLINGS,
            kind=SHARE, unit="% van de woningen", scale=100.0,
            caveats="Omvat ook gewone particuliere verhuur; een hoog aandeel is geen teken van "
                    "misbruik op zich.",
            action="Combineer met het aandeel woningen met onbekende eigenaar en met "
                   "woningsplitsing; bespreek patronen met de afdeling wonen.",
        ),
        Indicator(
            id="vastgoed_eigendom_onbekend",
            label="Woningen met onbekende eigenaar (% van de voorraad)",
            description="Woningen waarvan CBS de eigenaar niet kan vaststellen, als percentage "
                        "van alle woningen op 1 januari.",
            numerator=Source("82900NED", "EigendomOnbekend_6", _STOCK),
            denominator=DWELLINGS,
            kind=SHARE, unit="% van de woningen", scale=100.0,
            caveats="Ook nieuwbouw die nog niet is ingeschreven telt als onbekend.",
            breaks=(SeriesBreak(2019, "Trendbreuk 2018-2019: CBS stelt de eigenaar sinds 2019 "
                                      "op een andere manier vast (landelijk 78 250 woningen met "
                                      "onbekende eigenaar in 2018, 27 379 in 2019). Vergelijk "
                                      "niet over deze grens."),),
            action="Een hoog aandeel kan wijzen op constructies die eigendom afschermen; vraag "
                   "het Kadaster of de BAG-beheerder om een verklaring.",
        ),
        Indicator(
            id="vastgoed_woz",
            label="Gemiddelde WOZ-waarde van woningen",
            description="Gemiddelde WOZ-waarde van alle woningen in euro's (CBS-gemiddelde).",
            numerator=Source("85036NED", "GemiddeldeWOZWaardeVanWoningen_1",
                             {"Eigendom": "Totaal"}),
            denominator=None,
            kind=MEAN, unit="euro", higher_is_risk=None, weight=DWELLINGS,
            caveats="Context. Landelijk cijfer is het CBS-gemiddelde; regio's zijn gewogen met "
                    "het aantal woningen.",
            action="Achtergrond bij de andere vastgoedindicatoren.",
        ),
        Indicator(
            id="vastgoed_woz_overige_verhuurders",
            label="Gemiddelde WOZ-waarde, woningen van overige verhuurders",
            description="Gemiddelde WOZ-waarde van huurwoningen van particuliere verhuurders en "
                        "beleggers, in euro's.",
            numerator=Source("85036NED", "GemiddeldeWOZWaardeVanWoningen_1",
                             {"Eigendom": "Eigendom overige verhuurders"}),
            denominator=None,
            kind=MEAN, unit="euro", higher_is_risk=None,
            weight=Source("82900NED", "EigendomOverigeVerhuurders_5", _STOCK),
            caveats="Zwolle ontbreekt in de kopie van deze CBS-tabel (afgekapt bij 10 000 rijen).",
            action="Vergelijk met de WOZ van alle woningen: een groot verschil laat zien in "
                   "welk segment beleggers actief zijn.",
        ),
        Indicator(
            id="vastgoed_verkoopprijs",
            label="Gemiddelde verkoopprijs van bestaande koopwoningen",
            description="Gemiddelde prijs waarvoor bestaande koopwoningen in het jaar zijn "
                        "verkocht (Kadaster en CBS), in euro's.",
            numerator=Source("83625NED", "GemiddeldeVerkoopprijs_1"),
            denominator=None,
            kind=MEAN, unit="euro", higher_is_risk=None, weight=OWNER_OCCUPIED,
            caveats="Context. De kopie van CBS op deze computer heeft alleen 2012, 2016, 2020 "
                    "en 2024; live CBS heeft elk jaar. Landelijk cijfer en regio's: gemiddelden gewogen met het "
                    "aantal koopwoningen. Weinig verkopen in kleine gemeenten maken het cijfer "
                    "grillig.",
            action="Zet naast de WOZ-waarde: verkoopprijzen ver boven de WOZ wijzen op een "
                   "krappe markt, ver eronder op bijzondere transacties; bespreek opvallende "
                   "verschillen met het Kadaster.",
        ),
        Indicator(
            id="vastgoed_woningsplitsing",
            label="Woningsplitsingen per 1 000 woningen",
            description="Woningen toegevoegd door het splitsen van bestaande woningen in het jaar, "
                        "per 1 000 woningen in de beginstand.",
            numerator=Source("86054NED", "Woningsplitsing_8", rounding=5),
            denominator=START_STOCK,
            kind=RATE, unit="per 1 000 woningen", scale=1000.0,
            caveats="CBS rondt af op vijftallen. Splitsen kan ook gewenste verdichting zijn.",
            action="Kijk of splitsingen in enkele straten geconcentreerd zijn (eigen BAG-data).",
        ),
        Indicator(
            id="vastgoed_transformatie",
            label="Transformaties naar woning per 1 000 woningen",
            description="Woningen toegevoegd door transformatie van niet-woongebouwen (kantoren, "
                        "winkels) in het jaar, per 1 000 woningen in de beginstand.",
            numerator=Source("86054NED", "Transformatie_6", rounding=5),
            denominator=START_STOCK,
            kind=RATE, unit="per 1 000 woningen", scale=1000.0, higher_is_risk=None,
            caveats="Vaak beleid (leegstand tegengaan); context bij andere signalen.",
            action="Gebruik als context bij woningsplitsing en eigendomspatronen.",
        ),
    ),
    area_indicators=(
        Indicator(
            id="wijk_overige_verhuurders",
            label="Woningen van overige verhuurders (%, wijk)",
            description="Woningen in bezit van overige verhuurders (particuliere verhuurders en "
                        "beleggers) als percentage van de woningen in de wijk of buurt, zoals CBS "
                        "het publiceert (Kerncijfers wijken en buurten 2024).",
            numerator=Source("85984NED", "InBezitOverigeVerhuurders_50"),
            denominator=None, weight=AREA_DWELLINGS,
            kind=MEAN, unit="% van de woningen", levels=("WK", "BU"), decimals=0,
            caveats="CBS publiceert hele procenten; geen telling, dus geen significantietoets.",
            action="Een wijk met veel particuliere verhuur: kijk naar kamerverhuur, splitsing en "
                   "huisjesmelkers (eigen BAG- en handhavingsgegevens).",
        ),
        Indicator(
            id="wijk_woz",
            label="Gemiddelde WOZ-waarde van woningen (wijk)",
            description="De gemiddelde WOZ-waarde van de woningen in de wijk of buurt, in "
                        "euro's (Kerncijfers wijken en buurten 2024).",
            numerator=Source("85984NED", "GemiddeldeWOZWaardeVanWoningen_39"),
            denominator=None, weight=AREA_DWELLINGS,
            kind=MEAN, unit="euro", higher_is_risk=None, levels=("WK", "BU"),
            caveats="CBS publiceert in duizenden euro's en geeft geen gemiddelde bij minder dan "
                    "20 woningen met een WOZ-waarde; context, geen signaal.",
            action="Achtergrond bij eigendomspatronen en verkoopprijzen.",
        ),
    ),
)
