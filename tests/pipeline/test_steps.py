"""The build as named steps, listed once: each step reads what the earlier ones left in the
database, so one can run alone; the checks step stops a build whose tables lose their grain."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import copy_db
from zichtop.core.errors import SchemaError
from zichtop.pipeline.run import GRAIN, STEPS, BuildContext, checks_step


def test_steps_are_listed_once_in_order():
    assert [s.name for s in STEPS] == ["load", "stage", "boundaries", "marts", "checks"]
    assert all(s.label and s.run.__doc__ for s in STEPS)


def test_one_step_runs_alone_on_a_copy(built_db, tmp_path):
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    before = duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*), sum(value) FROM results").fetchall()
    out = subprocess.run([sys.executable, "-m", "zichtop.cli", "build", "--db", str(db),
                          "--step", "marts", "--quiet"], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    after = duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*), sum(value) FROM results").fetchall()
    assert after == before  # the same marts from the same staging tables


def test_unknown_step_is_refused(tmp_path):
    from zichtop.core.config import Settings
    from zichtop.core.errors import ZichtopError
    from zichtop.pipeline.run import build

    with pytest.raises(ZichtopError, match="unknown step 'x'; steps: load, stage, boundaries"):
        build(Settings(source="mirror", db_path=tmp_path / "z.duckdb"), step="x")


def _context(con: duckdb.DuckDBPyConnection) -> BuildContext:
    return BuildContext(con, None, None, None, print, [])  # type: ignore[arg-type]


def test_grain_check_finds_a_key_twice_and_a_null_key(built_db, tmp_path):
    db = copy_db(built_db, tmp_path / "zichtop.duckdb")
    con = duckdb.connect(str(db))
    checks_step(_context(con))  # the real build has its grain
    con.execute("INSERT INTO population SELECT * FROM population WHERE region_code = 'GM0363' "
                "AND year = 2024")
    with pytest.raises(SchemaError, match=r"table population: key \(region_code, year\) = "
                                          r"\('GM0363', 2024\) occurs 2 times"):
        checks_step(_context(con))
    con.execute("DELETE FROM population WHERE region_code = 'GM0363' AND year = 2024")
    con.execute("UPDATE regions SET code = NULL WHERE code = 'GM0363'")
    with pytest.raises(SchemaError, match=r"table regions: 1 rows without a key \(code\)"):
        checks_step(_context(con))


def test_every_table_in_the_store_has_a_declared_grain_or_is_raw(con):
    tables = set(con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")
                 .df()["table_name"])
    undeclared = tables - set(GRAIN) - {"boundaries", "build_info", "raw_region_keys"}
    assert not undeclared, undeclared
