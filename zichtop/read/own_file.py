"""A user's own figures from a CSV or XLSX file, read in memory and checked before anything is
computed: every problem is named in Dutch with its row, column and value, and nothing is
half-applied (the caller gets all rows or a list of problems).

One row of the result is one area and period of the user's count: `rij` (the row number in
the file, the header being row 1), `gebied` as written, `period_key`, `aantal`, `noemer`
(NaN where the file has none) and `omschrijving`.

Bounded by construction: the bytes are limited (MAX_BYTES), an XLSX's unpacked size is read
from its zip directory before anything is unpacked (MAX_UNPACKED: a zip bomb is refused
unopened), a CSV's header is split once and refused beyond MAX_COLUMNS, and at most MAX_ROWS
rows are read. Nothing is written anywhere: the bytes stay in memory and die with the call."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zichtop.core.errors import ZichtopError

MAX_BYTES = 5 * 1024 * 1024  # 5 MiB, as the upload's own body limit (hosting/serve.py)
MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX may unpack to at most this
MAX_ROWS = 20_000
MAX_COLUMNS = 20
REQUIRED = ("gebied", "periode", "aantal")
OPTIONAL = ("noemer", "omschrijving")
TEMPLATE = ("gebied;periode;aantal;noemer;omschrijving\n"
            "GM0363;2023;120;;Sluitingen artikel 13b Opiumwet\n"
            "Sluis;2024 1e halfjaar;4;;Sluitingen artikel 13b Opiumwet\n")
_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(?:(\d{4})\s+([12])e\s*half\s*jaar|([12])e\s*half\s*jaar\s+(\d{4}))$",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One problem of the file, as the user can find it back."""

    message: str
    row: int | None = None  # the file's row number, the header being row 1
    column: str | None = None
    value: str | None = None

    def text(self) -> str:
        where = ", ".join(part for part in (
            f"rij {self.row}" if self.row is not None else "",
            f"kolom '{self.column}'" if self.column else "",
            f"waarde '{self.value[:40]}'" if self.value is not None else "") if part)
        return f"{where}: {self.message}" if where else self.message


class OwnDataError(ZichtopError):
    """The file cannot be used as it is; `problems` says why, each with row and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "; ".join(p.text() for p in problems[:10])
        more = f" (en nog {len(problems) - 10})" if len(problems) > 10 else ""
        super().__init__(f"het bestand kan niet worden gebruikt: {shown}{more}")


def cells(content: bytes) -> list[list[str]]:
    """The file's cells as text, header first (CSV: ';' or ',' separated, UTF-8 with or
    without BOM; XLSX: the first sheet)."""
    if not content.strip():
        raise OwnDataError([Problem("het bestand is leeg: geen kopregel en geen rijen")])
    if len(content) > MAX_BYTES:
        raise OwnDataError([Problem(f"het bestand is groter dan {MAX_BYTES // 1024 // 1024} MiB")])
    if content[:4] == b"PK\x03\x04":
        return _xlsx_cells(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OwnDataError([Problem("het bestand is geen UTF-8-tekst; sla het op als "
                                    "'CSV UTF-8' of als Excel-bestand (.xlsx)",
                                    value=repr(content[error.start:error.start + 4]))]) from None
    header = text.split("\n", 1)[0]
    delimiter = ";" if ";" in header else ","
    if header.count(delimiter) + 1 > MAX_COLUMNS:
        raise OwnDataError([Problem(f"de kopregel heeft {header.count(delimiter) + 1} kolommen; "
                                    f"verwacht: {', '.join(REQUIRED + OPTIONAL)}", row=1)])
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) > MAX_ROWS + 1:
                raise OwnDataError([Problem(f"meer dan {MAX_ROWS:,} rijen".replace(",", "."))])
            rows.append(row[:MAX_COLUMNS + 1])
    except csv.Error:
        raise OwnDataError([Problem("het bestand is geen geldige CSV: een cel is te lang of "
                                    "een aanhalingsteken sluit niet", row=reader.line_num)]
                           ) from None
    return rows


def _xlsx_cells(content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise OwnDataError([Problem("het Excel-bestand is beschadigd")]) from None
    if unpacked > MAX_UNPACKED:
        raise OwnDataError([Problem(f"het Excel-bestand pakt uit tot meer dan "
                                    f"{MAX_UNPACKED // 1024 // 1024} MiB")])
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any damage in the workbook: one Dutch message
        raise OwnDataError([Problem("het Excel-bestand kan niet worden gelezen")]) from None
    sheet = book.worksheets[0]
    rows: list[list[str]] = []
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
        if len(rows) > MAX_ROWS + 1:
            raise OwnDataError([Problem(f"meer dan {MAX_ROWS:,} rijen".replace(",", "."))])
        rows.append(["" if v is None else _cell_text(v) for v in row])
    book.close()
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def period_key(text: str) -> str | None:
    """'2023' -> '2023JJ00'; '2024 1e halfjaar' or '1e halfjaar 2024' -> '2024HJ01'."""
    value = text.strip()
    if match := _YEAR.match(value):
        return f"{match[1]}JJ00"
    if match := _HALF.match(value):
        year, half = (match[1], match[2]) if match[1] else (match[4], match[3])
        return f"{year}HJ0{half}"
    return None


def _number(text: str) -> float | None:
    """A number as a Dutch spreadsheet writes it: '1.234' or '1234', decimal comma ('12,5')."""
    value = text.strip().replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", value):
        value = value.replace(".", "")
    value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


def parse(content: bytes) -> pd.DataFrame:
    """The file's rows, checked (the module says what one row is); OwnDataError with every
    problem found otherwise."""
    rows = cells(content)
    header = [h.strip().lower() for h in rows[0]]
    problems = [Problem(f"de kolom '{c}' ontbreekt in de kopregel (gevonden: "
                        f"{', '.join(h for h in header if h) or 'niets'})", row=1, column=c)
                for c in REQUIRED if c not in header]
    if problems:
        raise OwnDataError(problems)
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    if not body:
        raise OwnDataError([Problem("het bestand heeft een kopregel maar geen rijen")])
    if len(body) > MAX_ROWS:
        raise OwnDataError([Problem(f"meer dan {MAX_ROWS:,} rijen".replace(",", "."))])
    at = {c: header.index(c) for c in (*REQUIRED, *OPTIONAL) if c in header}
    out: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for n, row in body:
        def cell(column: str, row: list[str] = row) -> str:
            return row[at[column]].strip() if column in at and at[column] < len(row) else ""

        area, period, count, base = cell("gebied"), cell("periode"), cell("aantal"), \
            cell("noemer")
        if not area:
            problems.append(Problem("het gebied ontbreekt", n, "gebied", ""))
        key = period_key(period)
        if key is None:
            problems.append(Problem("onbekende periode; schrijf een jaar (2023) of een halfjaar "
                                    "(2024 1e halfjaar)", n, "periode", period))
        amount = _number(count)
        if amount is None:
            problems.append(Problem("geen getal" if count else "het aantal ontbreekt", n,
                                    "aantal", count))
        elif amount < 0:
            problems.append(Problem("een aantal kan niet negatief zijn", n, "aantal", count))
        elif not float(amount).is_integer():
            problems.append(Problem("een aantal is een heel getal", n, "aantal", count))
        denominator = np.nan
        if base:
            parsed = _number(base)
            if parsed is None:
                problems.append(Problem("geen getal", n, "noemer", base))
            elif parsed <= 0:
                problems.append(Problem("de noemer moet groter dan 0 zijn", n, "noemer", base))
            else:
                denominator = parsed
                if amount is not None and amount > parsed:
                    problems.append(Problem(f"het aantal ({count}) is groter dan de noemer",
                                            n, "noemer", base))
        if area and key:
            twin = seen.setdefault((area.lower(), key), n)
            if twin != n:
                problems.append(Problem(f"dubbele rij: hetzelfde gebied en dezelfde periode als "
                                        f"rij {twin}", n, "gebied", area))
        out.append({"rij": n, "gebied": area, "period_key": key, "aantal": amount,
                    "noemer": denominator, "omschrijving": cell("omschrijving")})
    if problems:
        raise OwnDataError(problems)
    return pd.DataFrame(out)
