"""Bad input: one clear message naming the table, file, column or value; a non-zero exit; and
the previous database stays intact and usable. Each case runs the real CLI build."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_db, replace_file


def original(mirror: Path, table: str) -> bytes:
    return (mirror / "cbs" / f"{table}.csv").read_bytes()


def run_build(mirror_root: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZICHTOP_MIRROR": str(mirror_root), "ZICHTOP_DB": str(db),
           "ZICHTOP_SOURCE": "mirror"}
    return subprocess.run([sys.executable, "-m", "zichtop.cli", "build", "--quiet", *extra],
                          env=env, capture_output=True, text=True, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_table_broken(mirror: Path, transform) -> bytes:
    """82900NED is the first catalog table the build reads."""
    return transform(original(mirror, "82900NED"))


CASES = {
    "missing file": (None, r"table 82900NED: file .*82900NED\.csv does not exist"),
    "wrong delimiter": (lambda b: b.replace(b";", b","),
                        r"table 82900NED: file .*82900NED\.csv is not ';'-separated \(found ','"),
    "wrong encoding": (lambda b: b.decode("utf-8-sig").replace("Totaal", "Totaal\u00e9", 3)
                       .encode("latin-1"), r"table 82900NED: file .*82900NED\.csv is not UTF-8"),
    "renamed column": (lambda b: b.replace(b"EigendomOnbekend_6", b"Eigenaar_Onbekend", 1),
                       r"table 82900NED .*column 'EigendomOnbekend_6' is missing"),
    "unknown region title": (lambda b: b.replace(b";Totaal;Amsterdam;2024;", b";Totaal;Amsterdma;2024;"),
                             r"table 82900NED .*column RegioS: unknown region title 'Amsterdma'"),
    "empty table": (lambda b: b.split(b"\n", 1)[0] + b"\n",
                    r"table 82900NED .* is empty: no data rows"),
    "bad number": (lambda b: b.replace(b";Totaal;Amsterdam;2024;480852.0;",
                                       b";Totaal;Amsterdam;2024;veel;"),
                   r"table 82900NED, column TotaleWoningvoorraad_1: 'veel' is not a number"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_clearly_and_keeps_previous_db(case, scratch_mirror, mirror, built_db,
                                                       tmp_path):
    transform, message = CASES[case]
    target = scratch_mirror / "cbs" / "82900NED.csv"
    if transform is None:
        target.unlink()
    else:
        replace_file(scratch_mirror, "82900NED", first_table_broken(mirror, transform))
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = digest(db)
    result = run_build(scratch_mirror, db)
    assert result.returncode != 0
    assert result.stderr.count("zichtop: fout:") == 1
    assert "Traceback" not in result.stderr
    import re
    assert re.search(message, result.stderr), result.stderr
    assert digest(db) == before
    assert duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*) FROM results").fetchone()[0] > 0
    assert not list(tmp_path.glob(".zichtop.duckdb.*.tmp"))


def _cut_mid_line(content: bytes) -> bytes:
    """The file as a copy that stopped halfway through Maasdriel's row."""
    at = content.index(b";Maasdriel")
    return content[:at + 30]


def _twice(content: bytes, marker: bytes) -> bytes:
    lines = content.split(b"\n")
    i = next(n for n, line in enumerate(lines) if marker in line)
    return b"\n".join([*lines[:i + 1], lines[i], *lines[i + 1:]])


# (table, transform, message): impossible denominators and means, and files that are wrong in
# a way that must be blamed on them (not on the next table that misses their regions)
OTHER_CASES = {
    "denominator 1e300": ("82900NED", lambda b: b.replace(b";Totaal;Amsterdam;2024;480852.0;",
                                                          b";Totaal;Amsterdam;2024;1e300;"),
                          r"table 82900NED, column TotaleWoningvoorraad_1, region GM0363, period "
                          r"2024JJ00: value 1e\+300 is above the plausible maximum 2e\+07"),
    "denominator jump": ("82900NED", lambda b: b.replace(b";Totaal;Amsterdam;2024;480852.0;",
                                                         b";Totaal;Amsterdam;2024;1480852.0;"),
                         r"table 82900NED, column TotaleWoningvoorraad_1, region GM0363, period "
                         r"2024JJ00: 1\.48085e\+06 against 474866 in 2023JJ00 \(a denominator "
                         r"that changes by more than 50%"),
    "mean 1e300": ("85036NED", lambda b: b.replace(b";Amsterdam;Totaal;2023;516.0",
                                                   b";Amsterdam;Totaal;2023;1e300"),
                   r"table 85036NED, column GemiddeldeWOZWaardeVanWoningen_1, region GM0363, "
                   r"period 2023JJ00: value 1e\+303 is above the plausible maximum 1e\+07"),
    "municipality twice": ("85755NED", lambda b: _twice(b, b";Amsterdam;GM0363"),
                           r"table 85755NED \(.*\), column Code_1: municipality GM0363 "
                           r"\(Amsterdam\) is listed twice \(data rows \d+ and \d+\)"),
    "cut mid-line": ("85755NED", _cut_mid_line,
                     r"table 85755NED: file .*85755NED\.csv is cut or damaged: row \d+ has "
                     r"\d+ of the header's \d+ fields"),
    "empty file": ("85655NED", lambda b: b"",
                   r"table 85655NED: file .*85655NED\.csv is empty"),
}


@pytest.mark.parametrize("case", list(OTHER_CASES))
def test_impossible_values_and_damaged_files_name_their_table(case, scratch_mirror, mirror,
                                                              built_db, tmp_path):
    import re

    table, transform, message = OTHER_CASES[case]
    replace_file(scratch_mirror, table, transform(original(mirror, table)))
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = digest(db)
    result = run_build(scratch_mirror, db)
    assert result.returncode != 0
    assert result.stderr.count("zichtop: fout:") == 1 and "Traceback" not in result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert digest(db) == before


def test_every_measure_has_a_plausible_maximum():
    from zichtop.indicators.catalog import TABLES

    for spec in TABLES.values():
        for measure in spec.measures:
            assert measure.plausible_maximum > 0, (spec.id, measure.key)


def test_truncated_table_outside_its_slice(scratch_mirror, tmp_path, built_db):
    """A truncated dump whose manifest names a complete slice the catalog does not use."""
    manifest = (scratch_mirror / "cbs" / "MANIFEST.csv")
    text = manifest.read_text(encoding="utf-8").replace(
        "StatusVanBewoning=Totaal", "StatusVanBewoning=Bewoonde woningen")
    manifest.unlink()
    manifest.write_text(text, encoding="utf-8")
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = digest(db)
    result = run_build(scratch_mirror, db)
    assert result.returncode != 0
    assert ("table 82900NED: StatusVanBewoning=['Totaal'] lies outside the complete slice "
            "'StatusVanBewoning=Bewoonde woningen'") in result.stderr
    assert digest(db) == before


def test_partial_table_never_shown_as_national(scratch_mirror, mirror, tmp_path, built_db):
    """Cut 86054NED (a complete table) after Amsterdam: the build refuses it as partial."""
    lines = original(mirror, "86054NED").split(b"\n")
    cut = next(i for i, line in enumerate(lines) if b";Amsterdam;2023;" in line)
    replace_file(scratch_mirror, "86054NED", b"\n".join(lines[:cut + 1]) + b"\n")
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    result = run_build(scratch_mirror, db)
    assert result.returncode != 0
    assert "table 86054NED" in result.stderr and "of 342 municipalities in" in result.stderr
    assert "never shown as national" in result.stderr


def test_indicator_outside_slice_is_refused():
    from zichtop.core.errors import SliceError
    from zichtop.indicators.model import INHABITANTS, RATE, Indicator, Source
    from zichtop.indicators.registry import check_source

    bad = Indicator(id="x", label="x", description="x", kind=RATE, unit="x",
                    numerator=Source("83648NED", "TotaalGeregistreerdeMisdrijven_1",
                                     {"SoortMisdrijf": "1 Vermogensmisdrijven"}),
                    denominator=INHABITANTS)
    with pytest.raises(SliceError, match="lies outside the complete slice of table 83648NED"):
        check_source(bad, bad.numerator)
