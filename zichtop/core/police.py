"""The 43 police districts of the Veiligheidsmonitor and the politie-eenheid (= RIEC region)
each belongs to. No CBS table maps districts to eenheden or gemeenten; this is the police's own
organisation (Politie, 'eenheden en districten'), declared once here in the order CBS lists the
districts (which follows the eenheden). Each district gets a stable code PD01..PD43 in that
order, the same from the mirror and from live CBS (whose own district keys are not used), so
both sources give the same observations. Basisteams (168) are not mapped: they are left out."""

from __future__ import annotations

# politie-eenheid (RIEC region) code -> its districts, as CBS titles them without " (PD)"
EENHEDEN: dict[str, tuple[str, ...]] = {
    "RE01": ("Fryslân", "Groningen", "Drenthe"),
    "RE02": ("IJsselland", "Twente", "Noord en Oost Gelderland", "Gelderland Midden",
             "Gelderland Zuid"),
    "RE03": ("Gooi en Vechtstreek", "Flevoland", "Oost Utrecht", "Utrecht Stad",
             "West Utrecht"),
    "RE04": ("Noord Holland Noord", "Zaanstreek Waterland", "Kennemerland"),
    "RE05": ("Amsterdam-Centrum/-Noord", "Amsterdam Oost", "Amsterdam Zuid", "Amsterdam West"),
    "RE06": ("Den Haag Centrum", "Den Haag West", "Den Haag Zuid",
             "Zoetermeer - Leidschendam/Voorburg", "Westland - Delft", "Leiden - Bollenstreek",
             "Alphen aan den Rijn - Gouda"),
    "RE07": ("Rijnmond Noord", "Rotterdam Stad", "Rijnmond Oost", "Rotterdam Zuid",
             "Rijnmond Zuid-West", "Zuid-Holland-Zuid"),
    "RE08": ("Zeeland", "De Markiezaten", "De Baronie", "Hart van Brabant"),
    "RE09": ("'s-Hertogenbosch", "Eindhoven", "Helmond"),
    "RE10": ("Noord en Midden Limburg", "Parkstad-Limburg", "Zuid-West-Limburg"),
}
SUFFIX = " (PD)"
# "Fryslân (PD)" -> "PD01", in the declared order
CODES: dict[str, str] = {f"{name}{SUFFIX}": f"PD{n:02d}" for n, name in enumerate(
    (d for districts in EENHEDEN.values() for d in districts), start=1)}
NAMES: dict[str, str] = {code: title.removesuffix(SUFFIX) for title, code in CODES.items()}
EENHEID: dict[str, str] = {CODES[f"{d}{SUFFIX}"]: re for re, ds in EENHEDEN.items() for d in ds}


def district_code(title: str) -> str | None:
    """A district's code from its CBS title ("Zeeland (PD)" -> "PD34"), None for any other."""
    return CODES.get(title)
