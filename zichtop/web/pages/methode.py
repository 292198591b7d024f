"""Methode: the method, indicator definitions from the registry, provenance and caveats."""

from __future__ import annotations

import dash
import pandas as pd
from dash import (
    dash_table,  # type: ignore[attr-defined]
    dcc,
    html,
)

from zichtop.indicators.registry import indicators
from zichtop.method.privacy import EXPLANATION
from zichtop.read import presentation as p
from zichtop.read import queries
from zichtop.read.docs import indicators_markdown_nl
from zichtop.web.guard import page_guard

dash.register_page(__name__, order=5, path="/methode", name="Methode", title="Zichtop - methode")


METHODE = """
## Zo werkt het

**Een afwijking is een patroon, geen bewijs.** Zichtop laat per gemeente zien hoe ver een cijfer
afwijkt van het landelijk gemiddelde, hoe zeker die afwijking is, en welke patronen samenvallen.

**Cijfer.** Een aantal gedeeld door een vaste noemer, bijvoorbeeld verdachten per 1 000 inwoners
(inwoners op 1 januari volgens CBS). Zo reproduceren we de per-1 000-cijfers die CBS zelf
publiceert voor 100% van de gemeenten.

**Landelijk gemiddelde.** Het totaal van alle gemeenten gedeeld door hun totale noemer. Gevallen
zonder woongemeente tellen niet mee, zodat gemeenten met gemeenten worden vergeleken.

**Index.** Waarde gedeeld door het landelijk gemiddelde x 100: 100 is gemiddeld, 200 is twee
keer zo hoog. De kaart kleurt op de logaritme van de verhouding, zodat 50 en 200 even ver van
gemiddeld liggen.

**Zekerheid (trechtergrenzen).** Hoeveel gevallen verwacht je bij het landelijk gemiddelde in een
gemeente van deze omvang? Valt het aantal buiten de 95%-grens, dan heet het *hoger* of *lager*;
buiten de 99,8%-grens *significant hoger* of *significant lager*; anders *binnen de normale
spreiding* (tussen gemeenten: het verschil kan toeval zijn, ook bij een index van 60). CBS rondt
aantallen af (verdachten op tientallen, Wmo-cliënten op vijftallen); die onzekerheid telt mee.
Gemeenten verschillen onderling veel meer dan toeval alleen verklaart; daarom worden de grenzen per
indicator verbreed met een factor die geschat wordt uit de gemeenten waar minstens 5 gevallen
verwacht worden (overdispersie). Verwachten minder dan 20 gemeenten zoveel gevallen, dan is er
*geen toets*. Een cijfer wordt pas getoond vanaf 10 gevallen; verwacht een gemeente er veel minder,
dan is een getoond cijfer altijd hoog. De bovengrens geldt daarom voor getoonde cijfers, zodat
*hoger* niet alleen komt doordat kleine aantallen verborgen zijn. Een simulatie in de tests bewijst
dat zo per indicator hooguit 7% van de getoonde cijfers door toeval wordt gemarkeerd, zoals het
hoort bij 95%-grenzen.

**Te klein.** Minder dan 10 gevallen of een noemer kleiner dan 100: zo weinig gevallen geven geen
betrouwbaar cijfer. Het cijfer wordt nergens getoond, ook niet in exports. *Te klein (CBS)*: CBS
publiceert het aantal zelf niet. Totalen van regio's, provincies, Nederland en vergelijkbare
gemeenten tellen alleen de getoonde gemeenten op, en het landelijk gemiddelde is afgerond, zodat
een verborgen cijfer niet terug te rekenen is (een aanval daarop zit in de tests).

**Vergelijkbare gemeenten.** Voor elke gemeente de 15 statistisch meest vergelijkbare gemeenten
(stedelijkheid, inwoners, adressendichtheid, leeftijdsopbouw, bijstand en recreatiewoningen). De
index ten opzichte van deze groep staat naast de landelijke index; het profiel noemt ze.

**Gecombineerd patroon.** Per thema het gewogen gemiddelde van de z-scores uit de
trechtertoets (meer dan verwacht is positief; hoogstens 5 per indicator), standaard met gelijke
gewichten. De opbouw en de gewichten staan op het gemeenteprofiel en zijn aan te passen; daar
staat ook tussen welke plaatsen de gemeente valt bij 1 000 willekeurige andere gewichten.

**Regio's.** RIEC-regio's en provincies worden berekend uit de opgetelde aantallen van hun
getoonde gemeenten, niet uit een gemiddelde van percentages. Hebben die samen minder dan 95% van
de inwoners, dan staat er *onvolledig* in plaats van een cijfer.

**Gemeentelijke herindelingen.** Cijfers van eerdere jaren (vanaf 2016) zijn omgerekend naar de
gemeentegrenzen van 2024 met adresgewogen tabellen (grenswijzigen, Hans Weda, CC BY-NC-SA 4.0).
Waar dat niet kan, tonen we geen cijfer in plaats van een schatting.

**Wijken en buurten.** Dezelfde methode per wijk (en per buurt waar CBS die publiceert): het
cijfer tegenover het landelijk gemiddelde en tegenover de eigen gemeente. Is in een gemeente
precies één wijk te klein terwijl het cijfer van de gemeente getoond wordt, dan is ook de
kleinste andere wijk te klein, zodat het verschil niets verraadt. Is een wijk te klein, dan zijn ook zijn buurten te klein en staat zijn cijfer bij geen buurt; cijfers die hetzelfde aantal bevatten (pgb per 1 000 inwoners en het pgb-aandeel) zijn samen te klein. Staat een gemeente maar
gedeeltelijk in een CBS-tabel van deze installatie, dan tonen we voor die gemeente geen
wijkcijfers ("geen wijkcijfers in deze installatie").

De volledige technische beschrijving met formules en een uitgewerkt voorbeeld staat in
`docs/method.md` in de broncode.
"""


HEADERS = {"indicator": "indicator", "level": "niveau", "volledig": "gemeenten volledig",
           "niet geladen": "gemeenten niet in deze installatie",
           "geen cijfers": "gemeenten zonder cijfers van CBS",
           "wijken_met_cijfer": "gebieden met een cijfer"}


def text_table(frame: pd.DataFrame) -> html.Div:
    """A read-only table of text, with Dutch headers, that scrolls inside itself on a phone."""
    return html.Div(dash_table.DataTable(  # type: ignore[attr-defined]
        data=frame.astype(str).to_dict("records"),
        columns=[{"name": HEADERS.get(c, c), "id": c} for c in frame.columns],
        style_cell={"textAlign": "left", "whiteSpace": "normal"},
        style_table={"overflowX": "auto"}), className="table-scroll")


def provenance_table(prov: pd.DataFrame) -> pd.DataFrame:
    """Where each table came from, in words a council member reads: no True/False, no hashes
    (those stay in the store and the open data package)."""
    def complete(row: pd.Series) -> str:
        if not bool(row["truncated"]):
            return "ja"
        used = row.get("complete_slice")
        return ("nee: de kopie is afgekapt; gebruikt wordt alleen het volledige deel"
                + (f" ({used})" if isinstance(used, str) and used else ""))

    return pd.DataFrame({
        "Tabel": prov["table_id"], "Herkomst": [p.source_words(s) for s in prov["source"]],
        "Rijen": [f"{int(r):,}".replace(",", ".") for r in prov["rows"]],
        "Volledig": [complete(r) for _, r in prov.iterrows()],
        "Bijgewerkt": [str(b)[:10] for b in prov["built_at"]]})


def status_table(status: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: whether this installation has it, and up to when."""
    labels = {i: (t.label, ind.label) for i, (t, ind) in indicators().items()}
    return pd.DataFrame({
        "Thema": [labels.get(i, ("", i))[0] for i in status["indicator"]],
        "Indicator": [labels.get(i, ("", i))[1] for i in status["indicator"]],
        "Beschikbaar": ["ja" if bool(a) else f"nee: {r}" for a, r in
                        zip(status["available"], status["reason"], strict=True)],
        "Laatste periode": [p.period_label(k) if isinstance(k, str) else "" for k in
                            status["latest_period"]],
        "Gemeenten met een cijfer of 'te klein'": [str(int(c)) for c in status[
            "coverage_latest"]]})


def _coverage_summary() -> pd.DataFrame:
    from zichtop.indicators.registry import area_indicators

    frame = queries.area_coverage_summary().copy()
    labels = {i: ind.label for i, (_t, ind) in area_indicators().items()}
    frame["indicator"] = frame["indicator"].map(lambda i: labels.get(i, i))
    frame["level"] = frame["level"].map({"WK": "wijken", "BU": "buurten"}).fillna(frame["level"])
    return frame


@page_guard
def layout(**_other: str) -> html.Div:
    info = queries.build_info()
    prov = provenance_table(queries.provenance())
    status = status_table(queries.indicator_status())
    source = p.source_words(info["source"])
    return html.Div([
        html.H1("Methode en bronnen"),
        html.P(f"Gegevens bijgewerkt op {info['built_at']} uit {source}; grenscorrectie: "
               f"{info['boundary_conversion']} "
               f"(Zichtop {info['version']}).", id="methode-bron"),
        html.P(EXPLANATION),
        html.P("Een afwijking is een patroon, geen bewijs."),
        dcc.Markdown(METHODE, className="markdown"),
        html.H2("Alle cijfers als open data"),
        html.P(["Alle getoonde cijfers van gemeenten, provincies, RIEC-regio's, Nederland, "
                "wijken en buurten, met hun definities en bronnen, als CSV-bestanden met een "
                "beschrijving (Frictionless datapackage.json). Verborgen cijfers zijn leeg, met "
                "de reden; aantallen en noemers zitten er niet in. ",
                html.A("Download het datapakket (zip)", href="/datapakket.zip",
                       id="methode-datapakket", className="button")]),
        html.H2("Herkomst van de tabellen"),
        text_table(prov),
        html.H2("Beschikbaarheid per indicator"),
        text_table(status),
        html.H2("Wijkcijfers: welke gemeenten deze installatie heeft"),
        html.P("Per wijkindicator: gemeenten waarvan alle wijken in de CBS-tabel staan "
               "(volledig), waarvan de tabel niet alle wijken heeft (niet geladen: nooit als "
               "landelijk getoond) en waarvoor CBS geen wijkcijfers heeft."),
        text_table(_coverage_summary()),
        dcc.Markdown(indicators_markdown_nl(), className="markdown"),
    ])
