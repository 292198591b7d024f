"""The CLI profile and the notebook run against the real store."""

import subprocess
import sys

import nbformat

from zichtop.core.config import REPO_ROOT


def run(db, *args):
    return subprocess.run([sys.executable, "-m", "zichtop.cli", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=120)


def test_profile_prints_hand_checked_figure(built_db):
    result = run(built_db, "profiel", "GM0363", "--thema", "drugs")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Profiel Amsterdam (GM0363), thema drugs")
    assert "1,26 per 1 000 inwoners" in out  # 1170 / 931298 x 1000
    assert "significant hoger" in out and "bron: CBS 85655NED" in out
    assert "geen bewijs" in out


def test_profile_unknown_code_is_a_clear_error(built_db):
    result = run(built_db, "profiel", "GM9999")
    assert result.returncode == 2
    assert "onbekende regiocode 'GM9999'" in result.stderr and "Traceback" not in result.stderr


def test_profile_of_suppressed_indicator_says_te_klein(built_db):
    result = run(built_db, "profiel", "GM0363", "--thema", "vakantieparken")
    assert "te klein" in result.stdout


def test_notebook_cells_run(built_db, monkeypatch):
    nb = nbformat.read(REPO_ROOT / "notebooks" / "store.ipynb", as_version=4)
    monkeypatch.setenv("ZICHTOP_DB", str(built_db))
    scope: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "store.ipynb", "exec"), scope)  # noqa: S102
    # the 10 Gebieden tables (2016-2025), the woonplaatsen of 2024 (85877NED, for search) and
    # the 14 declarations of the catalog (12 tables, and KWB 2024 twice: areas with inhabitants
    # from the complete export, variables from the dump)
    assert len(scope["con"].execute("SELECT * FROM provenance").fetchall()) == 25
