"""References: what an area's figure is compared with, one module each (the interface:
zichtop/method/hookspecs.py `Reference`). A new reference for municipalities is a module here
and one line in REFERENCES (name -> how to make it for the municipalities in hand)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from zichtop.method.hookspecs import Reference
from zichtop.method.references.group import Group
from zichtop.method.references.national import REFERENCE as NATIONAL
from zichtop.method.references.neighbours import Neighbours
from zichtop.method.references.parent import Parent

if TYPE_CHECKING:
    from zichtop.method.municipalities import Municipalities

REFERENCES: dict[str, Callable[[Municipalities], Reference]] = {
    "nl": lambda area: NATIONAL,
    "regio": lambda area: area.group("riec_code", "regio", "de RIEC-regio"),
    "provincie": lambda area: area.group("province_code", "provincie", "de provincie"),
    "grootte": lambda area: area.group("size_class", "grootte",
                                       "gemeenten van dezelfde grootte"),
    "buren": lambda area: area.neighbours,
}


def reference_for(name: str, area: Municipalities) -> Reference:
    try:
        return REFERENCES[name](area)
    except KeyError:
        raise ValueError(f"unknown reference {name!r} (known: {', '.join(REFERENCES)})") from None


__all__ = ["NATIONAL", "REFERENCES", "Group", "Neighbours", "Parent", "reference_for"]
