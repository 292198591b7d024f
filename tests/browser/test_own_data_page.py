"""The page "eigen gegevens" in headless Chromium: a file of ten Amsterdam wijken in, the
wijk map, the table with the figures worked out in tests/integration/test_own_data.py, the CBS
patterns of the same wijken, and the export; a broken file gets its Dutch message."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsing import headless, open_page, wait_file
from tests.integration.test_own_data import TEN
from tools.accessibility import violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("own-downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    driver = headless(downloads=downloads)
    yield driver
    driver.quit()


def _upload(browser, server, path: Path) -> None:
    open_page(browser, server + "/eigen-gegevens", "Eigen gegevens naast de CBS-patronen")
    field = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "eigen-bestandskeuze"))
    field.send_keys(str(path))


def test_ten_wijken_give_map_table_patterns_and_export(browser, server, tmp_path, downloads):
    source = tmp_path / "meldingen.csv"
    source.write_text("gebied;periode;aantal;omschrijving\n" +
                      "".join(f"{c};2023;{n};Meldingen\n" for c, n in TEN), encoding="utf-8")
    _upload(browser, server, source)
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#eigen-rijen tr"))
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#eigen-rijen tr")]
    # highest index first: Burgwallen-Oude Zijde, 60 of 4 740 = 12,66 per 1 000, index 345
    assert rows[1].startswith("Burgwallen-Oude Zijde 60 12,66 345 significant hoger")
    assert any(r.startswith("Weesperbuurt/Plantage") and "te klein" in r for r in rows)
    assert "3,67 per 1 000 inwoners" in browser.find_element(By.ID, "eigen-uitleg").text
    # the wijk map is drawn, from this site's boundaries
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#eigen-kaart path.choroplethlocation').length") > 10)
    together = browser.find_element(By.ID, "eigen-samen").text
    assert "Burgwallen-Oude Zijde: eigen cijfer significant hoger; CBS: " in together
    assert "patroon, geen bewijs" in browser.find_element(By.ID, "eigen-uitkomst").text
    assert browser.find_elements(By.ID, "eigen-correlaties")
    # sorting by a header, as a user does
    browser.find_element(By.CSS_SELECTOR, "#eigen-rijen th button").click()
    first = browser.find_elements(By.CSS_SELECTOR, "#eigen-rijen tr")[1].text
    assert first.startswith("Burgwallen-Nieuwe Zijde")  # alphabetical
    browser.find_element(By.ID, "eigen-csv").click()
    data = wait_file(downloads, ".csv").read_bytes().decode("utf-8-sig")
    assert "Burgwallen-Oude Zijde;WK0363AE;2023;Meldingen;60;4740;12,66" in data
    assert "eigen gegevens, aangeleverd door de gebruiker" in data
    assert violations(browser) == []


def test_a_broken_file_is_named_by_row_and_column(browser, server, tmp_path):
    source = tmp_path / "kapot.csv"
    source.write_text("gebied;periode;aantal\nWK0363AA;2023;12\nWK0363AB;2023;-4\n",
                      encoding="utf-8")
    _upload(browser, server, source)
    WebDriverWait(browser, 20).until(
        lambda d: "niet negatief" in d.find_element(By.ID, "eigen-meldingen").text)
    text = browser.find_element(By.ID, "eigen-meldingen").text
    assert "rij 3, kolom 'aantal', waarde '-4'" in text
    assert not browser.find_element(By.ID, "eigen-uitkomst").is_displayed()
