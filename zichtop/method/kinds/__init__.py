"""The kinds of figure, one module each (the interface: zichtop/method/hookspecs.py `Kind`).
A new kind is a module here and one line in KINDS."""

from __future__ import annotations

from zichtop.indicators.model import Indicator
from zichtop.method.hookspecs import Kind
from zichtop.method.kinds import estimate, mean, rate, ratio, share

KINDS: dict[str, Kind] = {k.name: k for k in (rate.KIND, share.KIND, ratio.KIND, mean.KIND,
                                              estimate.KIND)}


def kind_of(indicator: Indicator) -> Kind:
    try:
        return KINDS[indicator.kind]
    except KeyError:
        raise ValueError(f"indicator {indicator.id}: unknown kind {indicator.kind!r} "
                         f"(known: {', '.join(KINDS)})") from None
