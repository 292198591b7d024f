"""The app's read side never imports the build: a worker does not load GeoPandas, SciPy's
statistics or the loaders (checked in a fresh interpreter)."""

import os
import subprocess
import sys

from zichtop.core.config import REPO_ROOT


def test_the_app_does_not_import_the_build(built_db):
    code = ("import sys\nfrom zichtop.web.app import create_app\n"
            "app = create_app()\napp.server.test_client().get('/')\n"
            "print(sorted(m for m in ('geopandas', 'scipy.stats', 'zichtop.build.pipeline', "
            "'zichtop.build.marts.municipal', 'zichtop.build.marts.areas', 'zichtop.build.normalise', 'zichtop.build.sources', "
            "'zichtop.build.steps') "
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
    offenders = [p.name for p in (REPO_ROOT / "tests").glob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
