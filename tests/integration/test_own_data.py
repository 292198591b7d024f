"""Own data ("eigen gegevens"): a user's file through the same method, against the real store.
Values worked out by hand here (inhabitants from the store's KWB 2024 wijken, as the CLI
takes them); every broken file gets its own Dutch message naming row and column; the parse
stays bounded on hostile files."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile

import pytest
from scipy import stats

from zichtop.read import own_file
from zichtop.read.own_file import OwnDataError, parse

# 10 wijken of Amsterdam, 2023: (code, count); inhabitants from `areas` (KWB 2024)
TEN = [("WK0363AA", 40), ("WK0363AB", 55), ("WK0363AC", 30), ("WK0363AD", 35),
       ("WK0363AE", 60), ("WK0363AF", 25), ("WK0363AG", 12), ("WK0363AH", 20),
       ("WK0363AJ", 5), ("WK0363AK", 30)]


def _file(rows: list[str], header: str = "gebied;periode;aantal;omschrijving") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def test_ten_amsterdam_wijken_by_hand(built_db, con, tmp_path):
    source = tmp_path / "meldingen.csv"
    source.write_bytes(_file([f"{c};2023;{n};Meldingen" for c, n in TEN]))
    out = tmp_path / "uit.csv"
    done = subprocess.run([sys.executable, "-m", "zichtop.cli", "eigen-gegevens", str(source),
                           "--uitvoer", str(out), "--db", str(built_db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = out.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    got = {r[1]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    inhabitants = dict(con.execute("SELECT code, inhabitants FROM areas WHERE list_contains(?, "
                                   "code)", [[c for c, _ in TEN]]).fetchall())
    # the reference: the shown wijken pooled (WK0363AJ's 5 is under 10: te klein, left out)
    shown = [(c, n) for c, n in TEN if n >= 10]
    reference = sum(n for _, n in shown) / sum(inhabitants[c] for c, _ in shown) * 1000
    assert got["WK0363AA"]["Referentie (eigen set)"] == f"{reference:.2f}".replace(".", ",")
    assert got["WK0363AJ"]["Toelichting"] == "te klein" and got["WK0363AJ"]["Aantal"] == ""
    for code, n in shown:
        row = got[code]
        rate = n / inhabitants[code] * 1000
        assert row["Waarde"] == f"{rate:.2f}".replace(".", ",")
        assert row["Index (eigen set = 100)"] == f"{rate / reference * 100:.0f}"
        # too few wijken to estimate the spread between them: plain Poisson limits
        expected = inhabitants[code] * reference / 1000
        low95, high95 = stats.poisson.ppf([0.025, 0.975], expected)
        low998, high998 = stats.poisson.ppf([0.001, 0.999], expected)
        if n > high998 + 3:
            assert row["Categorie"] == "significant hoger", code
        elif n < low998 - 3:
            assert row["Categorie"] == "significant lager", code
        elif low95 + 3 < n < high95 - 3:
            assert row["Categorie"] == "binnen de normale spreiding", code
        assert "zonder spreiding tussen de gebieden" in row["Toets"]
    assert got["WK0363AE"]["Categorie"] == "significant hoger"  # 60 of 4 740: index 345
    assert got["WK0363AK"]["Categorie"] == "significant lager"  # 30 of 15 480: index 53
    assert "eigen gegevens, aangeleverd door de gebruiker" in lines[1]


# each broken file with the row and column its message must name
BROKEN = {
    "leeg": (b"", "het bestand is leeg", None, None),
    "alleen kop": (_file([]), "geen rijen", None, None),
    "kolom ontbreekt": (_file(["GM0363;2023"], "gebied;periode"), "'aantal' ontbreekt", 1,
                        "aantal"),
    "onbekend gebied": (_file(["Atlantis;2023;12;x"]), "onbekend gebied", 2, "gebied"),
    "wijk van andere gemeente": (_file(["WK0363AA;2023;12;x", "WK171405;2023;12;x"]),
                                 "een wijk van een andere gemeente", 3, "gebied"),
    "dubbele rij": (_file(["GM0363;2023;12;x", "gm0363;2023;14;x"]), "dubbele rij", 3,
                    "gebied"),
    "negatief": (_file(["GM0363;2023;-2;x"]), "niet negatief", 2, "aantal"),
    "gebroken aantal": (_file(["GM0363;2023;12,5;x"]), "heel getal", 2, "aantal"),
    "boven noemer": (_file(["GM0363;2023;600;500"], "gebied;periode;aantal;noemer"),
                     "groter dan de noemer", 2, "noemer"),
    "tekst als getal": (_file(["GM0363;2023;twaalf;x"]), "geen getal", 2, "aantal"),
    "gemengd": (_file(["GM0363;2023;12;x", "WK0363AA;2023;12;x"]),
                "gemeenten en wijken door elkaar", 3, "gebied"),
    "te veel rijen": (_file([f"GM0363;{2000 + n};12;x" for n in range(20_001)]),
                      "meer dan 20.000 rijen", None, None),
    "te groot": (b"gebied;periode;aantal\n" + b"x" * (own_file.MAX_BYTES + 1),
                 "groter dan 5 MiB", None, None),
    "onbekende periode": (_file(["GM0363;vorig jaar;12;x"]), "onbekende periode", 2,
                          "periode"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_each_broken_file_says_what_and_where(name, built_db, monkeypatch):
    from zichtop.read import own_data
    from zichtop.read.connect import connect

    content, words, row, column = BROKEN[name]
    con = connect(built_db)
    with pytest.raises(OwnDataError) as caught:
        own_data.results(parse(content), lambda sql, params: con.execute(sql, params).df())
    problem = caught.value.problems[0]
    assert words in problem.message, problem
    assert (problem.row, problem.column) == (row, column), problem
    assert "rij" in problem.text() if row else True


def test_spreadsheet_habits_are_understood():
    """Comma separated with a BOM, a header in capitals, a decimal comma in the base, a
    half-year written either way, an Excel file."""
    rows = parse("\ufeffGebied,Periode,Aantal,Noemer\nGM0363,2024 1e halfjaar,12,\"1.500,0\"\n"
                 "GM1714,2e halfjaar 2024,10,200\n".encode())
    assert list(rows["period_key"]) == ["2024HJ01", "2024HJ02"]
    assert list(rows["noemer"]) == [1500.0, 200.0]
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["gebied", "periode", "aantal"])
    book.active.append(["Sluis", 2023, 14])
    buffer = io.BytesIO()
    book.save(buffer)
    assert parse(buffer.getvalue()).iloc[0].to_dict()["aantal"] == 14.0


def test_hostile_files_are_refused_without_unpacking_or_splitting_everything():
    # a zip bomb dressed as XLSX: 200 MiB of zeros in a few hundred KiB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    assert len(buffer.getvalue()) < own_file.MAX_BYTES
    with pytest.raises(OwnDataError, match="pakt uit tot meer dan 50 MiB"):
        parse(buffer.getvalue())
    # a million columns
    with pytest.raises(OwnDataError, match="1000000 kolommen"):
        parse((";".join(["x"] * 1_000_000) + "\n").encode())
    # one line of 4 MB (under the size limit): refused as a cell too long, in Dutch
    with pytest.raises(OwnDataError, match="geen geldige CSV: een cel is te lang"):
        parse(b"a" * 4_000_000 + b"\n")
