"""The layers of zichtop/ (tests/layer_rules.py): no package imports one it may not, read from
the imports; and the app's read side never imports the build: a worker does not load GeoPandas,
SciPy's statistics or the loaders (checked in a fresh interpreter)."""

import os
import subprocess
import sys

from layer_rules import ALLOWED, violations

from zichtop.core.config import REPO_ROOT


def test_no_package_imports_one_it_may_not():
    assert violations(REPO_ROOT / "zichtop") == []


def test_the_layer_rule_fails_on_a_forbidden_import(tmp_path):
    """The rule catches what it is meant to: a copy of the package with three forbidden
    imports added (one inside a function) gives exactly those three."""
    import shutil

    root = tmp_path / "zichtop"
    shutil.copytree(REPO_ROOT / "zichtop", root, ignore=shutil.ignore_patterns("__pycache__"))
    with (root / "read" / "signals.py").open("a", encoding="utf-8") as f:
        f.write("\n\ndef _later():\n    from zichtop.pipeline import peers\n    return peers\n")
    with (root / "method" / "kinds" / "rate.py").open("a", encoding="utf-8") as f:
        f.write("\nimport duckdb\n")
    with (root / "core" / "errors.py").open("a", encoding="utf-8") as f:
        f.write("\nfrom zichtop import web\n")
    found = violations(root)
    assert len(found) == 3, found
    assert any("read/signals.py" in v and "read/ may not import pipeline/" in v for v in found)
    assert any("method/kinds/rate.py" in v and "may not import duckdb" in v for v in found)
    assert any("core/errors.py" in v and "core/ may not import web/" in v for v in found)


def test_every_package_states_what_it_holds_and_may_import():
    """Each package's __init__.py opens with a docstring naming what it may import."""
    import ast

    for package in ALLOWED:
        init = REPO_ROOT / "zichtop" / package / "__init__.py"
        if package in ("cli", "__init__"):
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "import" in doc.lower(), (package, doc)
    assert len([p for p in (REPO_ROOT / "zichtop").glob("*.py")]) <= 6  # the rest in packages


def test_the_app_does_not_import_the_build(built_db):
    code = ("import sys\nfrom zichtop.web.app import create_app\n"
            "app = create_app()\napp.server.test_client().get('/')\n"
            "print(sorted(m for m in ('geopandas', 'scipy.stats', 'zichtop.pipeline.run', "
            "'zichtop.pipeline.marts.municipal', 'zichtop.pipeline.marts.areas', 'zichtop.pipeline.normalise', 'zichtop.pipeline.sources', "
            "'zichtop.pipeline.steps') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                         text=True, env={**os.environ, "ZICHTOP_DB": str(built_db)}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_no_test_imports_a_page_module():
    """Dash registers every module under zichtop/web/pages as a page once; importing one again
    under its full name registers it twice, and the next app in that process fails with a
    duplicate id (seen when two test files shared a worker)."""
    import re

    pattern = re.compile(r"(from zichtop\.web\.pages(\.\w+)? import|import zichtop\.web\.pages)")
    offenders = [p.name for p in (REPO_ROOT / "tests").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_only_the_settings_read_the_environment():
    """Every environment variable is read in zichtop/core/config.py (and listed there);
    hosting only hands the environment on to the processes it starts."""
    import re

    reads = re.compile(r"os\.environ\.get|os\.getenv|environ\[")
    offenders = [str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "zichtop").rglob("*.py")
                 if reads.search(p.read_text(encoding="utf-8"))
                 and p.name != "config.py"]
    assert offenders == []
    config = (REPO_ROOT / "zichtop" / "core" / "config.py").read_text(encoding="utf-8")
    doc, code = config.split('"""', 2)[1], config.split('"""', 2)[2]
    for name in set(re.findall(r"ZICHTOP_[A-Z_]+", code)):
        assert f"- {name}:" in doc, name
