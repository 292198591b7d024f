"""The registry of themes: every module in `zichtop.indicators.themes` that defines THEME is a theme.
Adding a theme is one file here plus its tests; nothing else in the app changes."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from zichtop.core.errors import SliceError
from zichtop.indicators.catalog import spec_for, table_ids
from zichtop.indicators.model import INHABITANTS, Indicator, Source, Theme

_NOT_THEMES = {"model", "registry"}


@cache
def themes() -> tuple[Theme, ...]:
    import zichtop.indicators.themes as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name in _NOT_THEMES:
            continue
        module = importlib.import_module(f"zichtop.indicators.themes.{info.name}")
        theme = getattr(module, "THEME", None)
        if isinstance(theme, Theme):
            found.append(theme)
    order = ["drugs", "vastgoed", "vakantieparken", "zorg", "branches", "digitaal",
             "leefbaarheid", "schulden"]
    return tuple(sorted(found, key=lambda t: (order.index(t.id) if t.id in order else 99, t.id)))


def theme(theme_id: str) -> Theme:
    for t in themes():
        if t.id == theme_id:
            return t
    raise KeyError(theme_id)


def indicators() -> dict[str, tuple[Theme, Indicator]]:
    return {i.id: (t, i) for t in themes() for i in t.indicators}


def area_indicators() -> dict[str, tuple[Theme, Indicator]]:
    """Indicators of wijken and buurten, by id (their own registry: the municipal pages and
    marts iterate `indicators()` only)."""
    return {i.id: (t, i) for t in themes() for i in t.area_indicators}


def any_indicator(indicator_id: str) -> tuple[Theme, Indicator]:
    """A municipal or area indicator by id (KeyError when neither registry has it)."""
    return {**indicators(), **area_indicators()}[indicator_id]


def is_loaded(source: Source) -> bool:
    """Whether a source's table is one the build loads (else: 'niet beschikbaar in deze installatie')."""
    return source is INHABITANTS or source.table == "population" or source.table in table_ids()


def check_source(indicator: Indicator, source: Source) -> None:
    """A loaded source must name a declared measure and stay inside the table's complete slice."""
    if not is_loaded(source) or source.table == "population":
        return
    spec = spec_for(source.table, source.measure)  # KeyError names table and measure
    for dim, value in source.filters.items():
        if dim not in spec.dimensions:
            raise SliceError(f"indicator {indicator.id}: table {spec.id} has no dimension {dim!r}")
        accepted = spec.slice.get(dim)
        if accepted is not None and value not in accepted:
            raise SliceError(f"indicator {indicator.id}: {dim}={value!r} lies outside the "
                             f"complete slice of table {spec.id} ({', '.join(accepted)})")
    for dim in spec.kept_dimensions:
        if dim not in source.filters:
            raise SliceError(f"indicator {indicator.id}: table {spec.id} needs a filter on {dim}")
