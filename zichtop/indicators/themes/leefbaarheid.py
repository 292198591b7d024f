"""Theme: leefbaarheid en veiligheid. What residents say about drug dealing and drug use,
nuisance and feeling unsafe in their neighbourhood, their mark for its liveability
(Veiligheidsmonitor kerncijfers, CBS 85146NED) and how many were victims of traditional crime
(85322NED): survey estimates with CBS's 95% interval."""

from zichtop.indicators.model import ESTIMATE, PERCENT_15, SURVEY_CAVEAT, Indicator, Theme, survey

_KEY, _VICTIMS = "85146NED", "85322NED"


def _estimate(id_: str, table: str, measure: str, label: str, what: str, action: str,
              higher_is_risk: bool | None = True, unit: str = PERCENT_15, decimals: int = 1,
              extra: str = "") -> Indicator:
    return Indicator(
        id=id_, label=label, description=what, numerator=survey(table, measure),
        denominator=None, kind=ESTIMATE, unit=unit, higher_is_risk=higher_is_risk,
        caveats=" ".join(c for c in (SURVEY_CAVEAT, extra) if c), action=action, decimals=decimals)


THEME = Theme(
    id="leefbaarheid",
    label="Leefbaarheid en veiligheid",
    description="Wat inwoners zeggen over drugshandel, drugsgebruik, overlast en onveiligheid "
                "in hun buurt, hun rapportcijfer voor de buurt en slachtofferschap "
                "(Veiligheidsmonitor).",
    indicators=(
        _estimate("leefbaarheid_drugshandel", _KEY, "Drugshandel_30",
                  "Drugshandel komt vaak voor in de buurt (%)",
                  "Aandeel van de inwoners van 15 jaar of ouder dat zegt dat drugshandel vaak "
                  "voorkomt in de eigen buurt.",
                  "Zichtbare drugshandel is een signaal van ondermijning dat inwoners zelf zien. "
                  "Leg het naast de verdachten van drugsmisdrijven en bespreek het met "
                  "wijkagent en RIEC."),
        _estimate("leefbaarheid_drugsgebruik", _KEY, "Drugsgebruik_29",
                  "Drugsgebruik komt vaak voor in de buurt (%)",
                  "Aandeel van de inwoners van 15 jaar of ouder dat zegt dat drugsgebruik vaak "
                  "voorkomt in de eigen buurt.",
                  "Samen met drugshandel: waar beide hoog zijn, is er vaak een lokale markt."),
        _estimate("leefbaarheid_overlast", _KEY, "ErvaartEenOfMeerVormenVanOverlast_21",
                  "Ervaart overlast in de buurt (%)",
                  "Aandeel van de inwoners van 15 jaar of ouder dat een of meer vormen van "
                  "overlast in de buurt ervaart (fysiek, sociaal, verkeer of milieu).",
                  "Context: overlast hangt samen met drukte en verkeer; kijk naar de sociale "
                  "overlast voor signalen die met ondermijning te maken kunnen hebben.",
                  higher_is_risk=None),
        _estimate("leefbaarheid_sociale_overlast", _KEY, "EenOfMeerVormenVanSocialeOverlast_34",
                  "Ervaart sociale overlast in de buurt (%)",
                  "Aandeel van de inwoners van 15 jaar of ouder dat sociale overlast ervaart "
                  "(dronken mensen, verwarde personen, drugs, lastigvallen, rondhangende "
                  "jongeren).",
                  "Bespreek met wijkteam en politie waar de overlast vandaan komt."),
        _estimate("leefbaarheid_onveilig", _KEY, "VoeltZichWeleensOnveiligInBuurt_50",
                  "Voelt zich weleens onveilig in de eigen buurt (%)",
                  "Aandeel van de inwoners van 15 jaar of ouder dat zich weleens onveilig "
                  "voelt in de eigen buurt.",
                  "Onveiligheidsgevoel volgt niet altijd de criminaliteit; gebruik het om te "
                  "zien waar inwoners zorgen hebben."),
        _estimate("leefbaarheid_rapportcijfer", _KEY, "RapportcijferLeefbaarheidWoonbuurt_18",
                  "Rapportcijfer leefbaarheid van de buurt",
                  "Het gemiddelde rapportcijfer (1 tot 10) dat inwoners van 15 jaar of ouder "
                  "hun woonbuurt geven voor leefbaarheid.",
                  "Een laag cijfer is een signaal om met inwoners en wijkteams te praten; lager "
                  "is hier het aandachtspunt.",
                  higher_is_risk=False, unit="rapportcijfer (1-10)"),
        _estimate("leefbaarheid_slachtoffers", _VICTIMS, "TotaalSlachtoffers_1",
                  "Slachtoffers van traditionele criminaliteit (%)",
                  "Aandeel van de inwoners van 15 jaar of ouder dat slachtoffer werd van "
                  "geweld, vermogens- of vernielingsdelicten (niet online).",
                  "Naast de geregistreerde misdrijven: veel slachtoffers en weinig aangiftes "
                  "betekenen dat de politiecijfers te laag uitvallen."),
        _estimate("leefbaarheid_aangifte", _VICTIMS, "AangifteBijPolitie_7",
                  "Aangifte bij de politie door slachtoffers van traditionele criminaliteit (%)",
                  "Aandeel van de slachtoffers van traditionele criminaliteit dat aangifte "
                  "deed bij de politie (context).",
                  "Een lage aangiftebereidheid maakt het geregistreerde cijfer lager dan wat "
                  "inwoners meemaken (dark number).",
                  higher_is_risk=None, unit="% van de slachtoffers"),
    ),
)
