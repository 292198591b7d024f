"""Reading URL parameters: unknown or malformed values give a friendly Dutch message."""

from __future__ import annotations

import re

from zichtop.indicators.registry import area_indicators, indicators, themes

CODE = re.compile(r"^(GM\d{4}|PV\d{2}|RE\d{2})$")
AREA_CODE = re.compile(r"^(WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")


PLACE_MARK = "#"  # zichtop/core/search.py PLACE_MARK


class BadParameter(ValueError):
    """A URL value we cannot use; the message is Dutch and shown as-is."""


def theme_id(value: str | None) -> str:
    ids = [t.id for t in themes()]
    if value in (None, ""):
        return ids[0]
    if value not in ids:
        raise BadParameter(f"Onbekend thema '{str(value)[:40]}'. Kies uit: {', '.join(ids)}.")
    return str(value)


def _registered(value: str | None, registry: dict, default: str, what: str) -> str:
    """A registered indicator id, the default when none is given, or a Dutch message."""
    if value in (None, ""):
        return default
    if value not in registry:
        raise BadParameter(f"Onbekende {what} '{str(value)[:40]}'. Kies er een uit de lijst.")
    return str(value)


def indicator_id(value: str | None, theme: str) -> str:
    own = [i.id for i in next(t for t in themes() if t.id == theme).indicators]
    return _registered(value, indicators(), own[0], "indicator")


def _code(value: str | None, pattern: re.Pattern[str], what: str) -> str:
    """A code in upper case, or a Dutch message that names what a valid one looks like. A
    woonplaats in the search field is its municipality's code with the place after a '#'
    (zichtop/core/search.py: options need distinct values): the code counts."""
    text = (value or "").split(PLACE_MARK, 1)[0].strip().upper()
    if not pattern.match(text):
        raise BadParameter(f"'{str(value)[:40]}' is geen geldige code van {what}.")
    return text


def region_code(value: str | None) -> str:
    return _code(value, CODE, "een gemeente (GM0363), provincie (PV27) of RIEC-regio (RE05)")


def period(value: str | None, available: list[str]) -> str:
    if not available:
        raise BadParameter("Voor deze indicator zijn geen cijfers geladen.")
    if value in (None, ""):
        return available[0]
    text = str(value)
    matches = [p for p in available if p == text or p.startswith(text[:4]) and len(text) == 4]
    if not matches:
        raise BadParameter(f"Geen cijfers voor periode '{text[:20]}'. Beschikbaar: "
                           f"{', '.join(p[:4] if p.endswith('JJ00') else p for p in available)}.")
    return matches[0]


def area_indicator_id(value: str | None) -> str:
    """A wijk indicator; the first declared one when none is given."""
    registry = area_indicators()
    return _registered(value, registry, next(iter(registry)), "wijkindicator")


def area_code(value: str | None) -> str:
    return _code(value, AREA_CODE, "een wijk (WK036300) of buurt (BU03630000)")


def reference(value: str | None) -> str:
    """`referentie=` in a URL: one of read/references.py CHOICES (default: the country)."""
    from zichtop.read.references import CHOICES, DEFAULT

    if value in (None, ""):
        return DEFAULT
    if value not in CHOICES:
        raise BadParameter(f"Onbekende referentie '{str(value)[:40]}'. Kies uit: "
                           f"{', '.join(CHOICES)}.")
    return str(value)
