"""Theme: gedigitaliseerde criminaliteit. Victims of online crime as the Veiligheidsmonitor
estimates them (CBS 85472NED): survey estimates with CBS's 95% interval, published for the
country, the provinces, the 10 politie-eenheden and 55 large gemeenten."""

from zichtop.indicators.model import ESTIMATE, PERCENT_15, SURVEY_CAVEAT, Indicator, Theme, survey

_TABLE = "85472NED"
_ACTION = ("Vergelijk met de geregistreerde criminaliteit: veel slachtoffers en weinig "
           "aangiftes wijzen op een dark number. Bespreek preventie (voorlichting, "
           "weerbaarheid) met politie en RIEC; een afwijking is een patroon, geen bewijs.")


def _victims(id_: str, measure: str, label: str, what: str, higher_is_risk: bool | None = True,
             unit: str = PERCENT_15, extra: str = "") -> Indicator:
    return Indicator(
        id=id_, label=label, description=what, numerator=survey(_TABLE, measure),
        denominator=None, kind=ESTIMATE, unit=unit, higher_is_risk=higher_is_risk,
        caveats=" ".join(c for c in (SURVEY_CAVEAT, extra) if c), action=_ACTION, decimals=1)


THEME = Theme(
    id="digitaal",
    label="Gedigitaliseerde criminaliteit",
    description="Slachtoffers van online criminaliteit volgens de Veiligheidsmonitor: "
                "oplichting en fraude, phishing, hacken, online bedreiging; aangifte en "
                "gevolgen.",
    indicators=(
        _victims("digitaal_slachtoffers", "TotaalSlachtoffers_1",
                 "Slachtoffers van online criminaliteit (%)",
                 "Aandeel van de inwoners van 15 jaar of ouder dat in de 12 maanden voor de "
                 "enquête slachtoffer werd van online criminaliteit (oplichting, fraude, hacken, "
                 "bedreiging, intimidatie)."),
        _victims("digitaal_oplichting", "TotaalSlachtoffers_7",
                 "Slachtoffers van online oplichting en fraude (%)",
                 "Aandeel van de inwoners van 15 jaar of ouder dat slachtoffer werd van online "
                 "oplichting of fraude (koop- en verkoopfraude, bank- en betaalfraude, "
                 "identiteitsfraude, oplichting via berichten)."),
        _victims("digitaal_phishing", "TotaalSlachtoffers_167",
                 "Slachtoffers van oplichting via valse berichten (%)",
                 "Aandeel van de inwoners van 15 jaar of ouder dat werd opgelicht via valse "
                 "berichten (phishing, 'vriend-in-nood'): na een frauduleus bericht geld "
                 "betaald of gegevens gegeven.",
                 extra="Kleine percentages: de intervallen zijn breed, vooral in gemeenten."),
        _victims("digitaal_hacken", "TotaalSlachtoffers_222",
                 "Slachtoffers van hacken (%)",
                 "Aandeel van de inwoners van 15 jaar of ouder van wie een apparaat of online "
                 "account werd gehackt."),
        _victims("digitaal_bedreiging", "TotaalSlachtoffers_344",
                 "Slachtoffers van online bedreiging en intimidatie (%)",
                 "Aandeel van de inwoners van 15 jaar of ouder dat online werd bedreigd, "
                 "gepest, gestalkt of met beelden werd gechanteerd."),
        _victims("digitaal_aangifte", "AangifteBijPolitie_6",
                 "Aangifte bij de politie door slachtoffers van online criminaliteit (%)",
                 "Aandeel van de slachtoffers van online criminaliteit dat aangifte deed bij "
                 "de politie (context: een lage aangiftebereidheid maakt het geregistreerde "
                 "cijfer lager dan wat inwoners meemaken).",
                 higher_is_risk=None, unit="% van de slachtoffers",
                 extra="CBS publiceert dit alleen waar genoeg slachtoffers zijn ondervraagd."),
        _victims("digitaal_financieel", "FinancieleProblemen_4",
                 "Slachtoffers van online criminaliteit met financiële gevolgen (%)",
                 "Aandeel van de slachtoffers van online criminaliteit dat er financiële "
                 "problemen door kreeg (context).",
                 higher_is_risk=None, unit="% van de slachtoffers"),
    ),
)
