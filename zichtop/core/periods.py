"""CBS periods: keys (2024JJ00, 2024HJ01, 2024KW01, 2024MM01) and titles (2024,
"1e halfjaar 2024", "1e half jaar 2024", "2024 1e kwartaal", "2024 januari") to one form."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zichtop.core.errors import ValueProblem

_KEY = re.compile(r"^(\d{4})(JJ|HJ|KW|MM)(\d{2})$")
_YEAR = re.compile(r"^(\d{4})\*?$")
_HALF = re.compile(r"^([12])e\s*half\s*jaar\s+(\d{4})\*?$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})\s+([1-4])e\s*kwartaal\*?$", re.IGNORECASE)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
    )
}
_MONTH = re.compile(r"^(\d{4})\s+([a-z]+)\*?$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    type: str  # JJ, HJ, KW or MM
    part: int  # 0 for a year, 1-2 half-year, 1-4 quarter, 1-12 month

    @property
    def key(self) -> str:
        return f"{self.year}{self.type}{self.part:02d}"

    @property
    def label(self) -> str:
        if self.type == "JJ":
            return str(self.year)
        if self.type == "HJ":
            return f"{self.part}e halfjaar {self.year}"
        if self.type == "KW":
            return f"{self.year} {self.part}e kwartaal"
        month = next(name for name, number in _MONTHS.items() if number == self.part)
        return f"{self.year} {month}"


def parse_period(text: str, *, table: str = "?") -> Period:
    """Parse a CBS period key or title; raise ValueProblem naming the table and value."""
    value = text.strip()
    if match := _KEY.match(value):
        year, kind, part = int(match[1]), match[2], int(match[3])
        limits = {"JJ": (0, 0), "HJ": (1, 2), "KW": (1, 4), "MM": (1, 12)}[kind]
        if limits[0] <= part <= limits[1]:
            return Period(year, kind, part)
    elif match := _YEAR.match(value):
        return Period(int(match[1]), "JJ", 0)
    elif match := _HALF.match(value):
        return Period(int(match[2]), "HJ", int(match[1]))
    elif match := _QUARTER.match(value):
        return Period(int(match[1]), "KW", int(match[2]))
    elif (match := _MONTH.match(value)) and match[2].lower() in _MONTHS:
        return Period(int(match[1]), "MM", _MONTHS[match[2].lower()])
    raise ValueProblem(f"table {table}: cannot read period {text!r} (expected e.g. 2024, 2024JJ00, "
                       "'1e halfjaar 2024')")
