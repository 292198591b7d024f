"""The open data package (`zichtop publish`, and /datapakket.zip on the Methode page): it
validates with the frictionless library and holds no hidden count."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

from zichtop.core.config import REPO_ROOT

# a hidden row's own figures (its parent_value is the parent's shown figure, public anyway; a
# hidden parent's figure is on no row: tests/integration/test_wijken.py)
FIGURES = ["value", "index", "lower95", "upper95", "lower998", "upper998", "peer_value",
           "peer_index", "rank", "parent_index"]


@pytest.fixture(scope="module")
def package(built_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("package")
    out = subprocess.run([sys.executable, "-m", "zichtop.cli", "publish", str(folder), "--db",
                          str(built_db)], cwd=REPO_ROOT, capture_output=True, text=True,
                         env=dict(os.environ), timeout=300)
    assert out.returncode == 0, out.stderr
    assert "niet om te delen" in out.stdout
    return folder


def test_the_package_validates_with_frictionless(package):
    import frictionless

    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    names = {r["name"] for r in frictionless.Package(str(package / "datapackage.json"))
             .to_dict()["resources"]}
    assert names == {"gemeenten-en-regio", "wijken-en-buurten", "indicatoren"}


def test_the_package_holds_no_hidden_count(package, con):
    """No count or denominator column at all; every figure of a hidden or incomplete row empty;
    as many hidden rows as the store hides (none lost, none added)."""
    for name, table in (("gemeenten_en_regio.csv", "results"),
                        ("wijken_en_buurten.csv", "area_results")):
        frame = pd.read_csv(package / name, dtype={"period_key": str})
        assert not {"numerator", "denominator", "z", "overdispersion"} & set(frame.columns)
        hidden = frame["status_label"].fillna("").str.startswith(("te klein", "onvolledig"))
        figures = [c for c in FIGURES if c in frame.columns]
        assert frame.loc[hidden, figures].isna().all().all(), name
        stored = con.execute(f"SELECT count(*) FILTER (WHERE suppressed OR status_label LIKE "
                             f"'onvolledig%'), count(*) FROM {table}").fetchone()
        assert (int(hidden.sum()), len(frame)) == stored, name
    # Amsterdam's drug suspects 2024 as on screen: 1 170 / 931 298 x 1 000 (CBS 85655NED)
    gm = pd.read_csv(package / "gemeenten_en_regio.csv", dtype={"period_key": str})
    row = gm[(gm["indicator"] == "drugs_verdachten") & (gm["region_code"] == "GM0363")
             & (gm["period_key"] == "2024JJ00")].iloc[0]
    assert row["value"] == pytest.approx(1170 / 931298 * 1000, rel=1e-3)


def test_the_methode_page_offers_the_same_package(built_db):
    from tests.integration.test_faults import client_for

    client = client_for(built_db)
    response = client.get("/datapakket.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "zichtop-open-data/datapackage.json" in names and len(names) == 4
