"""Every registered indicator has a value computed by hand from the raw CSV files here.

How: the numerator and denominator were read with grep from ../shared/data/cbs (the lines are
quoted), then divided on paper. The registry test below fails when an indicator has no entry."""

import pytest

from zichtop.indicators.registry import indicators

# indicator -> (municipality, period, expected value, tolerance, how)
HAND_COMPUTED = {
    "drugs_verdachten": ("GM0363", "2024JJ00", 1170 / 931298 * 1000, 1e-9,
                         "85655NED Amsterdam 2024 _6 = 1170; 85755NED Inwonertal_56 = 931298"),
    "drugs_vuurwapen": ("GM0363", "2024JJ00", 390 / 931298 * 1000, 1e-9,
                        "85655NED Amsterdam 2024 _7 = 390"),
    "diefstallen_per_1000": ("GM0363", "2024JJ00", 47670 / 931298 * 1000, 1e-9,
                             "83651NED Alle diefstallen;Alle diefstallen;Amsterdam;2024;47670.0"),
    "misdrijven_totaal": ("GM0363", "2024JJ00", 83290 / 931298 * 1000, 1e-9,
                          "83648NED Misdrijven, totaal;Amsterdam;2024;83290.0"),
    "vastgoed_overige_verhuurders": ("GM0363", "2024JJ00", 146189 / 480852 * 100, 1e-9,
                                     "82900NED Totaal;Amsterdam;2024;480852.0;..;146189.0"),
    "vastgoed_eigendom_onbekend": ("GM0363", "2024JJ00", 739 / 480852 * 100, 1e-9,
                                   "82900NED ...;739.0 of 480852.0"),
    "vastgoed_woz": ("GM0363", "2024JJ00", 498_000, 1e-9,
                     "85036NED Amsterdam;Totaal;2024;498.0 (x 1 000 euro)"),
    "vastgoed_woz_overige_verhuurders": ("GM0363", "2024JJ00", 490_000, 1e-9,
                                         "85036NED Amsterdam;Eigendom overige verhuurders;2024;490.0"),
    "vastgoed_verkoopprijs": ("GM0363", "2024JJ00", 617_647, 1e-9,
                              "statline/koopwoningen-.../gemiddelde_verkoopprijzen_koopwoningen.csv"
                              " Amsterdam,Gemiddelde verkoopprijs,...,617647"),
    "vastgoed_woningsplitsing": ("GM0363", "2023JJ00", 460 / 474865 * 1000, 1e-9,
                                 "86054NED Amsterdam;2023;474865.0 (begin);Woningsplitsing_8 460"),
    "vastgoed_transformatie": ("GM0363", "2023JJ00", 1155 / 474865 * 1000, 1e-9,
                               "86054NED Amsterdam;2023 Transformatie_6 = 1155"),
    "vakantie_recreatiewoningen": ("GM0448", "2024JJ00", 4071 / 13815 * 1000, 1e-9,
                                   "85383NED Definitief;Texel;2024 _38 = 4071; inwoners 13815"),
    "vakantie_logies_naar_woning": ("GM0363", "2023JJ00", None, 0,
                                    "86054NED Amsterdam 2023 _12 = 0: under 10, 'te klein'"),
    "vakantie_woning_naar_logies": ("GM0363", "2023JJ00", None, 0,
                                    "86054NED Amsterdam 2023 _23 = 0: 'te klein'"),
    "zorg_pgb_per_1000": ("GM0363", "2024HJ01", 2260 / 931298 * 1000, 1e-9,
                          "85995NED PGB;Amsterdam;GM0363 WmoClienten_5 = 2260; inwoners 2024"),
    "zorg_pgb_aandeel": ("GM0363", "2024HJ01", 2260 / 64355 * 100, 1e-9,
                         "85995NED Totaal;Amsterdam WmoClienten_5 = 64355"),
    "zorg_wmo_per_1000": ("GM0363", "2023JJ00", 67055 / 918117 * 1000, 1e-9,
                          "86050NED Totaal;Amsterdam;2023;67055.0; 85385NED inwoners 918117"),
    "zorg_wmo_uitgaven": ("GM0363", "2023JJ00", 345486 * 1000 / 918117, 1e-9,
                          "84580NED Totaal;Amsterdam;2023;..;345486.0 (x 1 000 euro)"),
    "zorg_jeugdzorg_per_1000": ("GM0363", "2023JJ00", 22615 / 918117 * 1000, 1e-9,
                                "85099NED JZ Totaal jeugdzorg;Amsterdam;2023;22615.0"),
    "branches_vestigingen": ("GM0363", "2024JJ00", 206190 / 931298 * 1000, 1e-9,
                             "85383NED Voorlopig;Amsterdam;2024 Bedrijfsvestigingen_69 = 206190"),
    "branches_horeca_detailhandel": (None, None, None, 0, "81578NED is not in the mirror"),
    # survey estimates: CBS's own value, taken as published (bounds: test_survey_estimates.py)
    "digitaal_slachtoffers": ("GM0363", "2023JJ00", 18.0, 1e-12,
                              "85472NED Amsterdam (GM);Waarde;2023 TotaalSlachtoffers_1 = 18.0"),
    "digitaal_oplichting": ("GM0363", "2023JJ00", 11.0, 1e-12, "85472NED ... _7 = 11.0"),
    "digitaal_phishing": ("GM0363", "2023JJ00", 1.1, 1e-12, "85472NED ... _167 = 1.1"),
    "digitaal_hacken": ("GM0363", "2023JJ00", 5.6, 1e-12, "85472NED ... _222 = 5.6"),
    "digitaal_bedreiging": ("GM0363", "2023JJ00", 3.2, 1e-12, "85472NED ... _344 = 3.2"),
    "digitaal_aangifte": ("GM0363", "2023JJ00", 16.9, 1e-12,
                          "85472NED ... AangifteBijPolitie_6 = 16.9"),
    "digitaal_financieel": ("GM0363", "2023JJ00", 12.0, 1e-12,
                            "85472NED ... FinancieleProblemen_4 = 12.0"),
    "leefbaarheid_drugshandel": ("GM0917", "2023JJ00", 10.7, 1e-12,
                                 "85146NED Waarde;Heerlen (GM);2023 Drugshandel_30 = 10.7"),
    "leefbaarheid_drugsgebruik": ("GM0363", "2023JJ00", 7.1, 1e-12,
                                  "85146NED Waarde;Amsterdam (GM);2023 Drugsgebruik_29 = 7.1"),
    "leefbaarheid_overlast": ("GM0363", "2023JJ00", 55.8, 1e-12, "85146NED ... _21 = 55.8"),
    "leefbaarheid_sociale_overlast": ("GM0363", "2023JJ00", 23.6, 1e-12,
                                      "85146NED ... _34 = 23.6"),
    "leefbaarheid_onveilig": ("GM0363", "2023JJ00", 23.7, 1e-12, "85146NED ... _50 = 23.7"),
    "leefbaarheid_rapportcijfer": ("GM0363", "2023JJ00", 7.4, 1e-12,
                                   "85146NED ... RapportcijferLeefbaarheidWoonbuurt_18 = 7.4"),
    "leefbaarheid_slachtoffers": ("GM0363", "2023JJ00", 33.4, 1e-12,
                                  "85322NED Waarde;Amsterdam (GM);2023 TotaalSlachtoffers_1 = 33.4"),
    "leefbaarheid_aangifte": ("GM0363", "2023JJ00", 27.7, 1e-12,
                              "85322NED ... AangifteBijPolitie_7 = 27.7"),
    "schulden_premieachterstand": ("GM0363", "2023JJ00", 13480 / 918117 * 1000, 1e-9,
                                   "81064ned Amsterdam;2023;13480.0; 85385NED inwoners 918117"),
    "schulden_premieachterstand_cbs": ("GM0363", "2023JJ00", 1.7, 1e-12,
                                       "81064ned Amsterdam;2023;..;1.7"),
}


def test_every_indicator_has_a_hand_computed_test():
    missing = set(indicators()) - set(HAND_COMPUTED)
    assert not missing, f"indicators without a hand-computed test: {sorted(missing)}"


def test_every_indicator_is_documented():
    for ind_id, (_, ind) in indicators().items():
        assert ind.label and ind.description and ind.unit and ind.numerator.table, ind_id
        assert ind.action and ind.caveats, f"{ind_id}: needs 'wat kun je hiermee' and caveats"
        assert ind.kind in ("rate", "share", "ratio", "mean", "estimate"), ind_id


@pytest.mark.parametrize("indicator", sorted(HAND_COMPUTED))
def test_value_matches_hand_computation(con, indicator):
    code, period, expected, tolerance, _how = HAND_COMPUTED[indicator]
    if code is None:
        status = con.execute("SELECT available, reason FROM indicator_status WHERE indicator=?",
                             [indicator]).fetchone()
        assert status == (False, "niet beschikbaar in deze installatie (CBS-tabel 81578NED)")
        return
    row = con.execute("SELECT value, suppressed FROM results WHERE indicator=? AND "
                      "region_code=? AND period_key=?", [indicator, code, period]).fetchone()
    assert row is not None
    value, suppressed = row
    if expected is None:
        assert suppressed and value is None
    else:
        assert not suppressed
        assert value == pytest.approx(expected, rel=tolerance)
