"""References: what an area's figure is compared with, one module each (the interface:
zichtop/method/hookspecs.py `Reference`). A new reference is a module here and its use."""

from zichtop.method.references.national import REFERENCE as NATIONAL
from zichtop.method.references.neighbours import Neighbours
from zichtop.method.references.parent import Parent

__all__ = ["NATIONAL", "Neighbours", "Parent"]
