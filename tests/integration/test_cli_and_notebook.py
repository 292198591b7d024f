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


def test_profile_takes_a_name_a_place_or_a_common_name(built_db):
    """As the search field: Sluis (not Maassluis), Oostburg (a woonplaats of Sluis), Den Bosch
    ('s-Hertogenbosch), accents and capitals ignored (sudwest-fryslan); unknown or ambiguous
    names are one Dutch line and exit code 2."""
    for typed, expected in (("Sluis", "Profiel Sluis (GM1714)"),
                            ("oostburg", "Profiel Sluis (GM1714)"),
                            ("Den Bosch", "Profiel 's-Hertogenbosch (GM0796)"),
                            ("sudwest-fryslan", "Profiel Súdwest-Fryslân (GM1900)")):
        result = run(built_db, "profiel", typed, "--thema", "drugs")
        assert result.returncode == 0 and result.stdout.startswith(expected), typed
    result = run(built_db, "profiel", "Nergenshuizen")
    assert result.returncode == 2 and "onbekende gemeente 'Nergenshuizen'" in result.stderr
    assert result.stderr.count("\n") == 1 and not result.stdout


def test_profile_of_a_year_without_figures_fails_in_one_line(built_db):
    result = run(built_db, "profiel", "GM1714", "--jaar", "2030")
    assert result.returncode == 2 and not result.stdout
    assert result.stderr == ("zichtop: fout: geen cijfers voor 2030; er zijn cijfers van 2016 "
                             "tot en met 2024\n")


def test_a_closed_pipe_is_no_traceback(built_db):
    """`zichtop profiel GM1714 | head`: the reader stops before the profile is written (here:
    at once, so that the write always meets a closed pipe)."""
    command = f"{sys.executable} -m zichtop.cli profiel GM1714 --db {built_db} | true"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == ""


def test_info_speaks_dutch(built_db):
    result = run(built_db, "info")
    assert result.returncode == 0
    assert "Bijgewerkt op " in result.stdout and "Tabellen van CBS:" in result.stdout
    assert "85655NED" in result.stdout and "built_at" not in result.stdout
    assert "True" not in result.stdout and "False" not in result.stdout


def test_every_option_has_help():
    from zichtop.cli import parser

    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, command in commands.items():
        for action in command._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"zichtop {name} {action.option_strings[0]}"


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
    # the 18 declarations of the catalog (16 tables: 12 registers, 3 Veiligheidsmonitor tables
    # and the premium arrears; KWB 2024 twice: areas with inhabitants from the complete
    # export, variables from the dump)
    assert len(scope["con"].execute("SELECT * FROM provenance").fetchall()) == 29
