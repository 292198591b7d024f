"""Finding a municipality by what people type: its name, a former name, a woonplaats in it
("Oostburg" finds Sluis), a common name ("Den Bosch"), without accents or capitals ("sudwest"
finds Súdwest-Fryslân). The search field filters its options in the browser, keeping their
order, and Enter takes the first; so the options are ordered (once, in the build: table
`search_options`) such that a municipality whose own
name is typed in full always comes before every other one whose search text contains it
("Sluis" before Maassluis, "Ede" before every municipality with an "ede" in a village)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from heapq import heapify, heappop, heappush

PLACE_MARK = "#"  # a woonplaats option's value: its municipality's code, this, the place
# common names that are no former names and no woonplaats of their own
ALIASES = {"GM0796": ("Den Bosch",), "GM0518": ("Den Haag",)}


def fold(text: str) -> str:
    """Lower case without accents: 'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _text(words: list[str]) -> str:
    return " | ".join(dict.fromkeys([*words, *(fold(w) for w in words)]))


def options(municipalities: list[tuple[str, str]], also: dict[str, list[str]],
            places: Sequence[tuple[str, str]] = ()) -> list[dict]:
    """Dropdown options (label "Name (code)", value the code) for `municipalities` (code,
    name), each with a search text of its folded name, code and the names in `also` (former
    names) and ALIASES; ordered as the module says. Then one option per woonplaats in
    `places` (code, name) whose name is not its municipality's, labelled "Oostburg (gemeente
    Sluis)", valued "GM1714#oostburg" (the dropdown needs distinct values; the pages read the
    code before PLACE_MARK): after every municipality, so Enter on a municipality's full name
    never takes a village of that name elsewhere."""
    texts = {code: _text([name, _bare(name), code, *also.get(code, []), *ALIASES.get(code, ())])
             for code, name in municipalities}
    names = dict(municipalities)
    order = _exact_first(names, texts)
    found = [{"label": f"{names[c]} ({c})", "value": c, "search": texts[c]} for c in order]
    seen = {(fold(_bare(n)), c) for c, n in municipalities}
    for code, place in sorted(places, key=lambda p: (fold(p[1]), names.get(p[0], ""))):
        if code in names and (fold(place), code) not in seen:
            seen.add((fold(place), code))
            found.append({"label": f"{place} (gemeente {_bare(names[code])})",
                          "value": f"{code}{PLACE_MARK}{fold(place)}", "search": _text([place])})
    return found


def _bare(name: str) -> str:
    """A municipality's name without CBS's homonym suffix: 'Middelburg (Z.)' -> 'Middelburg'."""
    return name.split(" (", 1)[0]


def _exact_first(names: dict[str, str], texts: dict[str, str]) -> list[str]:
    """Codes in alphabetical order of name, except that a municipality comes before every
    other whose search text contains its whole name (a topological order; where two contain
    each other's name, the alphabetical one wins)."""
    folded = {c: fold(n) for c, n in names.items()}
    lowered = {c: t.lower() for c, t in texts.items()}
    after: dict[str, set[str]] = defaultdict(set)
    waiting = dict.fromkeys(names, 0)
    for code, name in folded.items():
        for other, text in lowered.items():
            if other != code and name in text and code not in after[other]:
                after[code].add(other)
                waiting[other] += 1
    heap = [(folded[c], c) for c, n in waiting.items() if n == 0]
    heapify(heap)
    order: list[str] = []
    while len(order) < len(names):
        if not heap:  # a circle: free the alphabetically first of the rest
            rest = sorted((folded[c], c) for c in names if c not in set(order))
            waiting[rest[0][1]] = 0
            heap = [rest[0]]
        _, code = heappop(heap)
        if code in order:
            continue
        order.append(code)
        for other in after[code]:
            waiting[other] -= 1
            if waiting[other] == 0:
                heappush(heap, (folded[other], other))
    return order
