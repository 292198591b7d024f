"""The CBS tables Zichtop loads, declared once: dimensions, complete slice and measures with units.

A staging model per table: one row of `observations` is one (table, measure, dimension filters,
region, period) value in the measure's base unit (counts as counts, money in euros).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from zichtop.indicators.model import (
    ESTIMATE_KEY,
    LOWER_KEY,
    MARGINS_DIMENSION,
    PERCENT_15,
    UPPER_KEY,
)

# Kinds decide how a figure is aggregated and converted between boundaries:
# counts are summed (crosswalk `weight`), everything else is averaged (crosswalk `weight_to`).
COUNT, RATE, AVERAGE, SHARE = "count", "rate", "average", "share"
# Largest plausible value of one area (the country included) per kind of measure: no count of
# people, dwellings, clients or events exceeds 20 million (the country has 18 million
# inhabitants and 8 million dwellings); a share is at most 100; a relative figure per 1 000 or
# 10 000 at most 100 000 (a business park with a handful of inhabitants can pass 1 000).
# Averages declare their own (`Measure.maximum`).
MAXIMA = {COUNT: 2.0e7, SHARE: 100.0, RATE: 1.0e5}


@dataclass(frozen=True)
class Measure:
    key: str  # the CBS OData column key, e.g. "VerdachtenVanDrugsmisdrijven_6"
    label: str  # Dutch title as shown to users
    unit: str  # the unit after scaling, in Dutch ("aantal", "euro", "per 1 000 inwoners")
    kind: str = COUNT
    scale: float = 1.0  # multiply the published number by this (e.g. x 1 000 euro -> euro)
    note: str = ""
    # the largest plausible value of one area in the scaled unit; None: the kind's default
    # (MAXIMA); an average has no default and must declare its own
    maximum: float | None = None

    @property
    def plausible_maximum(self) -> float:
        if self.maximum is not None:
            return self.maximum
        if self.kind not in MAXIMA:
            raise ValueError(f"measure {self.key}: an {self.kind} must declare its maximum")
        return MAXIMA[self.kind]


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    region_column: str
    measures: tuple[Measure, ...]
    dimensions: tuple[str, ...] = ()
    # Complete slice: dimension -> accepted values. Rows outside it never reach `observations`.
    # Several spellings of one member may be accepted (a key in a dump, a title live).
    slice: dict[str, tuple[str, ...]] = field(default_factory=dict)
    region_code_column: str | None = None  # a column that already holds GM/WK codes
    gap_note: str = ""  # a known gap inside the complete slice, in words
    # dimensions whose accepted values are spellings of one member (a key in a dump, a title live)
    one_member: tuple[str, ...] = ()
    # the mirror holds this table as a StatLine export (path below the mirror folder), not as a
    # cbsodata dump in cbs/; live CBS serves it as usual
    mirror_extract: str | None = None
    # a StatLine export names columns by their Dutch titles: this OData DataProperties file
    # (below the mirror folder) maps them to the keys cbsodata uses
    mirror_metadata: str | None = None
    # the period of a table without a Perioden dimension (KWB: one table per year)
    period: str | None = None
    # a second declaration of the same CBS table, loaded from another file (see `key`)
    part: str = ""
    # areas below the municipality: the table may hold only some municipalities (a cut dump);
    # each municipality is used only when all its areas are present, never called national
    by_municipality: bool = False
    # columns a live request asks for besides the dimensions and measures ($select)
    extra_columns: tuple[str, ...] = ()
    # members spelled differently by source (a dump's title, a live key): dimension -> spelling
    # -> the one spelling `observations` keeps (the key)
    member_keys: dict[str, dict[str, str]] = field(default_factory=dict)
    # a survey: CBS publishes only the municipalities whose sample suffices (the others are
    # absent, not missing); their regions have CBS's own estimates
    sampled: bool = False

    @property
    def key(self) -> str:
        """Where the table is kept (raw schema, provenance): the CBS id, plus the part when one
        CBS table is declared twice (KWB areas from a complete export, variables from a dump)."""
        return f"{self.id}_{self.part}" if self.part else self.id

    @property
    def columns(self) -> list[str]:
        """The columns normalisation reads (a live request asks CBS for these only)."""
        out = [self.region_column, *([] if self.period else ["Perioden"]), *self.dimensions,
               *(m.key for m in self.measures), *self.extra_columns]
        if self.region_code_column:
            out.append(self.region_code_column)
        return out

    def measure(self, key: str) -> Measure:
        for measure in self.measures:
            if measure.key == key:
                return measure
        raise KeyError(f"table {self.id} has no declared measure {key!r}")

    @property
    def kept_dimensions(self) -> tuple[str, ...]:
        """Dimensions that still vary after slicing; single-valued ones are implied by the slice."""
        return tuple(d for d in self.dimensions
                     if d not in self.one_member and len(self.slice.get(d, ("", ""))) != 1)


    def dims_key(self, filters: dict[str, str]) -> str:
        """The `dims` text of observations for these filters (slice-implied ones dropped)."""
        kept = {k: v for k, v in filters.items() if k in self.kept_dimensions}
        return json.dumps(dict(sorted(kept.items())), ensure_ascii=False)


# The Veiligheidsmonitor's `Marges`: CBS's estimate and its 95% interval. Dumps write titles
# (two wordings), live CBS the keys; observations keep the keys.
ESTIMATE, LOWER, UPPER = ESTIMATE_KEY, LOWER_KEY, UPPER_KEY
MARGINS = {"Waarde": ESTIMATE, ESTIMATE: ESTIMATE,
           "Betrouwbaarheidsmarge ondergrens": LOWER, "Ondergrens 95%-interval": LOWER,
           LOWER: LOWER,
           "Betrouwbaarheidsmarge bovengrens": UPPER, "Bovengrens 95%-interval": UPPER,
           UPPER: UPPER}


def _survey(table_id: str, title: str, *measures: Measure) -> TableSpec:
    """A Veiligheidsmonitor table: survey estimates with CBS's 95% interval (`Marges`) for the
    country, provinces, politie-eenheden, districts, basisteams and 55 large gemeenten."""
    return TableSpec(
        id=table_id, title=title, region_column="RegioS", dimensions=(MARGINS_DIMENSION,),
        slice={MARGINS_DIMENSION: tuple(MARGINS)}, member_keys={MARGINS_DIMENSION: MARGINS},
        sampled=True,
        gap_note="Survey estimates: CBS publishes gemeenten only where the sample is large "
                 "enough (55 gemeenten); the politie-eenheden and provinces have their own "
                 "estimates. Police districts and basisteams are not mapped to gemeenten.",
        measures=measures)


def _percent(key: str, label: str) -> Measure:
    return Measure(key, label, PERCENT_15, SHARE, note="survey estimate, one decimal")


def _counts(*pairs: tuple[str, str], unit: str = "aantal") -> tuple[Measure, ...]:
    return tuple(Measure(key, label, unit) for key, label in pairs)


TABLES: dict[str, TableSpec] = {
    spec.key: spec
    for spec in [
        TableSpec(
            id="82900NED",
            title="Voorraad woningen; eigendom, type verhuurder, bewoning, regio",
            region_column="RegioS",
            dimensions=("StatusVanBewoning",),
            slice={"StatusVanBewoning": ("Totaal",)},
            measures=_counts(
                ("TotaleWoningvoorraad_1", "Totale woningvoorraad"),
                ("Koopwoningen_2", "Koopwoningen"),
                ("TotaalHuurwoningen_3", "Huurwoningen, totaal"),
                ("EigendomWoningcorporatie_4", "Huurwoningen in eigendom van woningcorporaties"),
                ("EigendomOverigeVerhuurders_5", "Huurwoningen in eigendom van overige verhuurders"),
                ("EigendomOnbekend_6", "Woningen met eigendom onbekend"),
                unit="woningen",
            ),
        ),
        TableSpec(
            id="83651NED",
            title="Geregistreerde diefstallen; diefstallen en verdachten, regio",
            region_column="RegioS",
            dimensions=("GebruikVanGeweld", "SoortDiefstal"),
            slice={"SoortDiefstal": ("Alle diefstallen",),
                   "GebruikVanGeweld": ("Alle diefstallen",)},
            measures=(
                Measure("TotaalGeregistreerdeDiefstallen_1", "Geregistreerde diefstallen",
                        "diefstallen", note="CBS rounds to fives"),
                Measure("GeregistreerdeDiefstallenPer1000Inw_3",
                        "Geregistreerde diefstallen per 1 000 inwoners (CBS)",
                        "per 1 000 inwoners", RATE),
            ),
        ),
        TableSpec(
            id="83625NED",
            title="Bestaande koopwoningen; gemiddelde verkoopprijzen, regio",
            region_column="RegioS",
            mirror_extract="statline/koopwoningen-bevolking-voorraad-gemeente-2012-2024/"
                           "gemiddelde_verkoopprijzen_koopwoningen.csv",
            gap_note="The mirror's StatLine extract holds 2012, 2016, 2020 and 2024 only.",
            measures=(
                Measure("GemiddeldeVerkoopprijs_1", "Gemiddelde verkoopprijs", "euro", AVERAGE,
                        maximum=1.0e7),  # the highest municipal average is under 2 million
            ),
        ),
        TableSpec(
            id="83648NED",
            title="Geregistreerde criminaliteit; soort misdrijf, regio",
            region_column="RegioS",
            dimensions=("SoortMisdrijf",),
            slice={"SoortMisdrijf": ("Misdrijven, totaal",)},
            measures=(
                Measure("TotaalGeregistreerdeMisdrijven_1", "Geregistreerde misdrijven", "misdrijven"),
                Measure("GeregistreerdeMisdrijvenPer1000Inw_3",
                        "Geregistreerde misdrijven per 1 000 inwoners (CBS)",
                        "per 1 000 inwoners", RATE),
                Measure("TotaalOpgehelderdeMisdrijven_4", "Opgehelderde misdrijven", "misdrijven"),
                Measure("RegistratiesVanVerdachten_6", "Registraties van verdachten", "registraties"),
            ),
        ),
        TableSpec(
            id="84580NED",
            title="Wmo-uitgaven; type maatwerkvoorziening, regio",
            region_column="RegioS",
            dimensions=("MaatwerkvoorzieningenType",),
            slice={"MaatwerkvoorzieningenType": (
                "Totaal", "Totaal exclusief verblijf en opvang", "Ondersteuning thuis, totaal")},
            measures=(
                Measure("GerealiseerdeUitgaven_3", "Gerealiseerde Wmo-uitgaven", "euro",
                        scale=1000.0, note="published in x 1 000 euro",
                        maximum=1.0e11),  # an amount: the country spends a few billion a year
                Measure("GerealiseerdeUitgavenPer1000Inwoners_4",
                        "Gerealiseerde Wmo-uitgaven per inwoner (CBS)", "euro per inwoner", RATE,
                        note="CBS column 'per 1 000 inwoners' in x 1 000 euro, i.e. euro per inwoner"),
            ),
        ),
        TableSpec(
            id="85036NED",
            title="Gemiddelde WOZ-waarde van woningen; eigendom, regio",
            region_column="RegioS",
            dimensions=("Eigendom",),
            gap_note="Zwolle (last region of the dump) lacks corporatie 2023-2024 and all "
                     "'overige verhuurders' rows; they are absent, never estimated.",
            measures=(
                Measure("GemiddeldeWOZWaardeVanWoningen_1", "Gemiddelde WOZ-waarde van woningen",
                        "euro", AVERAGE, scale=1000.0, note="published in x 1 000 euro",
                        maximum=1.0e7),  # the highest average WOZ value is under 2 million
            ),
        ),
        TableSpec(
            id="85099NED",
            title="Jongeren met jeugdzorg; vormen van jeugdzorg, regio",
            region_column="RegioS",
            dimensions=("VormenVanJeugdzorg",),
            slice={"VormenVanJeugdzorg": ("JZ Totaal jeugdzorg", "JZ Totaal jeugdzorg in natura")},
            measures=(
                Measure("JongerenMetJeugdzorg_1", "Jongeren met jeugdzorg", "jongeren"),
                Measure("JongerenMetJeugdzorgRelatief_2",
                        "Jongeren met jeugdzorg, % van alle jongeren (CBS)", "%", SHARE),
            ),
        ),
        TableSpec(
            id="85383NED",
            title="Maatstaven gemeentefonds; per gemeente",
            region_column="RegioS",
            dimensions=("StatusCijfer",),
            measures=(
                Measure("InwonersTotaal_1", "Inwoners", "inwoners"),
                Measure("WoningTotaal_36", "Woningen", "woningen"),
                Measure("WoningMetFunctieLogies_37", "Woningen met functie logies", "woningen"),
                Measure("NietWoningMetFunctieLogies_38",
                        "Niet-woningen met functie logies (recreatiewoningen)", "objecten"),
                Measure("Bedrijfsvestigingen_69", "Bedrijfsvestigingen", "vestigingen"),
                Measure("HuishoudensMetRelatiefLaagInkomen_21",
                        "Huishoudens met een relatief laag inkomen", "huishoudens"),
                Measure("TotaalBijstandsuitkeringen_22", "Bijstandsuitkeringen", "uitkeringen"),
                Measure("InwonersJongerDan18_2", "Inwoners jonger dan 18 jaar", "inwoners"),
                Measure("Inwoners75Plus_7", "Inwoners van 75 jaar of ouder", "inwoners"),
                Measure("Omgevingsadressendichtheid_71", "Omgevingsadressendichtheid",
                        "adressen per km²", AVERAGE,
                        maximum=1.0e5),  # the densest municipality has about 6 000
            ),
        ),
        TableSpec(
            id="85655NED",
            title="Verdachten; delictgroep, leeftijd, geslacht, woongemeente",
            region_column="Woongemeente",
            dimensions=("Leeftijd", "Geslacht"),
            slice={"Geslacht": ("Totaal mannen en vrouwen",),
                   "Leeftijd": ("10000", "Totaal leeftijd", "Totaal")},
            one_member=("Leeftijd",),
            measures=(
                Measure("TotaalVerdachtenVanMisdrijven_1", "Verdachten van misdrijven", "verdachten"),
                Measure("VerdachtenVanDrugsmisdrijven_6", "Verdachten van drugsmisdrijven",
                        "verdachten", note="CBS rounds to tens"),
                Measure("VerdachtenVanVuurWapenmisdrijven_7", "Verdachten van vuurwapenmisdrijven",
                        "verdachten", note="CBS rounds to tens"),
                Measure("VerdachtenVanDrugsmisdrijven_13",
                        "Verdachten van drugsmisdrijven, relatief (CBS)", "per 10 000 inwoners",
                        RATE, note="per 10 000, not per 1 000 (NL 2024 = 7); rounded to whole numbers"),
            ),
        ),
        TableSpec(
            id="85995NED",
            title="Wmo-cliënten; financieringsvorm, wijken",
            region_column="Wijken",
            region_code_column="Codering_3",
            dimensions=("Financieringsvorm",),
            slice={"Financieringsvorm": ("Totaal", "Uitsluitend PersoonsGebondenBudget (PGB)")},
            measures=(
                Measure("WmoClienten_5", "Wmo-cliënten", "cliënten", note="CBS rounds to fives"),
                Measure("WmoClientenPer1000Inwoners_6", "Wmo-cliënten per 1 000 inwoners (CBS)",
                        "per 1 000 inwoners", RATE),
            ),
        ),
        TableSpec(
            id="85984NED",
            part="gebieden",
            title="Kerncijfers wijken en buurten 2024: gebieden en inwoners",
            region_column="WijkenEnBuurten",
            region_code_column="Codering_3",
            extra_columns=("SoortRegio_2", "Gemeentenaam_1"),
            period="2024",
            # the mirror's cbs/85984NED.csv was cut at 10,000 rows; this StatLine export of the
            # same table holds every gemeente, wijk and buurt with its code and inhabitants
            mirror_extract="statline/kwb-2024-bevolking-85984/"
                           "Kerncijfers_wijken_en_buurten_2024_geslachten.csv",
            mirror_metadata="statline/kwb-2024-metadata-85984/DataProperties.json",
            measures=(
                Measure("AantalInwoners_5", "Inwoners", "inwoners",
                        note="CBS rounds wijk and buurt counts to fives"),
            ),
        ),
        TableSpec(
            id="85984NED",
            title="Kerncijfers wijken en buurten 2024",
            region_column="WijkenEnBuurten",
            region_code_column="Codering_3",
            period="2024",
            by_municipality=True,
            gap_note="The mirror's dump was cut at 10,000 rows: NL and the municipalities from "
                     "Aa en Hunze to Maasdriel with their wijken and buurten. A municipality is "
                     "used only when all its wijken are present; the others say 'geen "
                     "wijkcijfers in deze installatie'. Live CBS has every municipality.",
            measures=(
                Measure("Woningvoorraad_35", "Woningvoorraad", "woningen"),
                Measure("GemiddeldeWOZWaardeVanWoningen_39", "Gemiddelde WOZ-waarde van woningen",
                        "euro", AVERAGE, scale=1000.0, note="published in x 1 000 euro",
                        maximum=1.0e7),  # the highest average WOZ value is under 2 million
                Measure("Koopwoningen_47", "Koopwoningen", "% van de woningen", SHARE,
                        note="whole percentages"),
                Measure("InBezitWoningcorporatie_49", "Huurwoningen in bezit van corporaties",
                        "% van de woningen", SHARE, note="whole percentages"),
                Measure("InBezitOverigeVerhuurders_50", "Huurwoningen in bezit van overige "
                        "verhuurders", "% van de woningen", SHARE, note="whole percentages"),
                Measure("BedrijfsvestigingenTotaal_102", "Bedrijfsvestigingen", "vestigingen",
                        note="CBS rounds to fives"),
                Measure("GIHandelEnHoreca_105", "Bedrijfsvestigingen G+I Handel en horeca",
                        "vestigingen", note="CBS rounds to fives"),
                Measure("KLFinancieleDienstenOnroerendGoed_107",
                        "Bedrijfsvestigingen K-L Financiële diensten, onroerend goed",
                        "vestigingen", note="CBS rounds to fives"),
            ),
        ),
        _survey("85146NED", "Veiligheidsmonitor; kerncijfers, regio",
                _percent("Drugshandel_30", "Drugshandel komt vaak voor in de buurt"),
                _percent("Drugsgebruik_29", "Drugsgebruik komt vaak voor in de buurt"),
                _percent("ErvaartEenOfMeerVormenVanOverlast_21",
                         "Ervaart een of meer vormen van overlast in de buurt"),
                _percent("EenOfMeerVormenVanSocialeOverlast_34",
                         "Ervaart een of meer vormen van sociale overlast in de buurt"),
                _percent("VoeltZichWeleensOnveiligInBuurt_50",
                         "Voelt zich weleens onveilig in de eigen buurt"),
                Measure("RapportcijferLeefbaarheidWoonbuurt_18",
                        "Rapportcijfer leefbaarheid woonbuurt", "rapportcijfer (1-10)", AVERAGE,
                        note="survey estimate of a mark from 1 to 10", maximum=10.0)),
        _survey("85472NED", "Veiligheidsmonitor; slachtofferschap online criminaliteit, regio",
                _percent("TotaalSlachtoffers_1", "Slachtoffers online criminaliteit"),
                _percent("TotaalSlachtoffers_7", "Slachtoffers online oplichting en fraude"),
                _percent("TotaalSlachtoffers_167",
                         "Slachtoffers oplichting via valse berichten (phishing)"),
                _percent("TotaalSlachtoffers_222", "Slachtoffers hacken"),
                _percent("TotaalSlachtoffers_344",
                         "Slachtoffers online bedreiging en intimidatie"),
                Measure("AangifteBijPolitie_6", "Aangifte bij de politie (online criminaliteit)",
                        "% van de slachtoffers", SHARE, note="survey estimate, one decimal"),
                Measure("FinancieleProblemen_4", "Financiële gevolgen (online criminaliteit)",
                        "% van de slachtoffers", SHARE, note="survey estimate, one decimal")),
        _survey("85322NED",
                "Veiligheidsmonitor; slachtofferschap traditionele criminaliteit, regio",
                _percent("TotaalSlachtoffers_1", "Slachtoffers traditionele criminaliteit"),
                Measure("AangifteBijPolitie_7",
                        "Aangifte bij de politie (traditionele criminaliteit)",
                        "% van de slachtoffers", SHARE, note="survey estimate, one decimal")),
        TableSpec(
            id="81064ned",
            title="Personen met een betalingsachterstand (Zvw-premie), regio",
            region_column="RegioS",
            gap_note="Municipalities on each year's own boundaries; before 2016 they cannot "
                     "be converted to 2024 (no crosswalk), so the series starts in 2016. "
                     "Rozendaal has no figure in 2023.",
            measures=(
                Measure("PersonenMetEenBetalingsachterstand_1",
                        "Personen met een betalingsachterstand (Zvw-premie)", "personen",
                        note="CBS rounds to tens"),
                Measure("PersMetBetalingsachterstandRelatief_2",
                        "Personen met een betalingsachterstand, % van de verzekerden van 18 jaar "
                        "of ouder (CBS)", "% van de verzekerden van 18+", SHARE,
                        note="one decimal"),
            ),
        ),
        TableSpec(
            id="86050NED",
            title="Wmo-cliënten; type maatwerkvoorziening, regio",
            region_column="RegioS",
            dimensions=("TypeMaatwerkvoorziening",),
            slice={"TypeMaatwerkvoorziening": ("Totaal",)},
            measures=(
                Measure("WmoClienten_1", "Wmo-cliënten", "cliënten", note="CBS rounds to fives"),
                Measure("WmoClientenPer1000Inwoners_2", "Wmo-cliënten per 1 000 inwoners (CBS)",
                        "per 1 000 inwoners", RATE),
            ),
        ),
        TableSpec(
            id="86054NED",
            title="Woningvoorraad; mutaties (toevoegingen en onttrekkingen), regio",
            region_column="RegioS",
            measures=_counts(
                ("BeginstandVoorraad_1", "Beginstand woningvoorraad"),
                ("Nieuwbouw_2", "Nieuwbouw"),
                ("Transformatie_6", "Toevoeging door transformatie"),
                ("Woningsplitsing_8", "Toevoeging door woningsplitsing"),
                ("VanLogiesfunctieNaarWoonfunctie_12", "Van logiesfunctie naar woonfunctie"),
                ("Sloop_15", "Sloop"),
                ("VanWoonNaarLogiesfunctie_23", "Van woonfunctie naar logiesfunctie"),
                ("EindstandVoorraad_27", "Eindstand woningvoorraad"),
                unit="woningen",
            ),
        ),
    ]
}


def spec_for(table_id: str, measure: str) -> TableSpec:
    """The declaration that loads this measure of this CBS table."""
    for spec in TABLES.values():
        if spec.id == table_id and any(m.key == measure for m in spec.measures):
            return spec
    raise KeyError(f"no loaded table {table_id} declares measure {measure!r}")


def table_ids() -> set[str]:
    return {spec.id for spec in TABLES.values()}
