"""The wijk level in headless Chromium at 1,400 px and 390 px: Amsterdam's wijk map and table
(KWB and Wmo indicators), a wijk's buurten, Sluis's wijken with Wmo figures and the message that
KWB wijk figures are not in the loaded data, and the way there from the profile and the map."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_answers import csv_rows, screen  # noqa: F401 - the fixture: one browser per width
from tests.browsing import body, open_page, wait_file, wait_text

pytestmark = pytest.mark.browser


def map_shapes(driver) -> int:  # type: ignore[no-untyped-def]
    return driver.execute_script(
        "return document.querySelectorAll('#wijken-map path.choroplethlocation').length")


def test_amsterdam_wijk_map_table_and_buurten(screen, server):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + "/wijken/GM0363?indicator=wijk_handel_horeca_per_1000",
              "Wijken van Amsterdam")
    WebDriverWait(driver, 20).until(lambda d: map_shapes(d) >= 110)
    text = body(driver)
    assert "Bron: CBS 85984NED, GIHandelEnHoreca_105" in text
    assert "Haarlemmerbuurt" in text and "56,1" in text  # 515 / 9 180 x 1 000
    # a row of the table opens its buurten, with a URL to share; only that part of the page
    # changes (a mark on the heading survives: the page was not drawn again)
    driver.execute_script("document.getElementById('wijken-titel').dataset.kept = 'yes'")
    cell = driver.find_element(By.XPATH, "//*[@id='wijken-tabel']//td[.//text()="
                                         "'Nieuwmarkt/Lastage']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    wait_text(driver, "Buurten van Nieuwmarkt/Lastage")
    WebDriverWait(driver, 10).until(lambda d: "wijk=WK0363AF" in d.current_url)
    assert driver.execute_script(
        "return document.getElementById('wijken-titel').dataset.kept") == "yes"
    # the chosen wijk is outlined on the map
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "const g = document.getElementById('wijken-map').querySelector('.js-plotly-plot');"
        "return g && g.data[g.data.length - 1].locations[0]") == "WK0363AF")
    assert "Oosterdokseiland" in body(driver)
    assert "72,07" in body(driver)  # 40 / 555 x 1 000


def test_amsterdam_wmo_wijken(screen, server):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + "/wijken/GM0363?indicator=wijk_wmo_per_1000",
              "Wijken van Amsterdam")
    WebDriverWait(driver, 20).until(lambda d: map_shapes(d) >= 100)
    assert "66,45" in body(driver)  # Haarlemmerbuurt 610 / 9 180 x 1 000


def test_sluis_has_wmo_wijken_and_says_kwb_is_not_loaded(screen, server):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + "/wijken/GM1714", "Wijken van Sluis")
    WebDriverWait(driver, 20).until(lambda d: map_shapes(d) >= 13)
    text = body(driver)
    assert "Wijk 05 Oostburg" in text and "111,94" in text  # 525 / 4 690 x 1 000
    open_page(driver, server + "/wijken/GM1714?indicator=wijk_overige_verhuurders",
              "geen wijkcijfers in deze installatie")
    assert map_shapes(driver) == 0  # never a blank map


def test_profile_opens_its_wijken_and_lists_what_stands_out(screen, server):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + "/gemeente/GM0363", "Welke wijken van Amsterdam vallen op?")
    assert driver.find_elements(By.CSS_SELECTOR, "#wijken-signalen li a")
    head = driver.find_element(By.ID, "wijken-kop")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", head)
    head.click()
    WebDriverWait(driver, 20).until(lambda d: map_shapes(d) >= 100)
    assert "Alle wijkindicatoren en buurten van Amsterdam" in body(driver)
    open_page(driver, server + "/gemeente/GM1714", "Welke wijken van Sluis vallen op?")
    assert "Woningen van overige verhuurders (%, wijk): geen wijkcijfers in deze " \
           "installatie" in body(driver)


def test_the_map_leads_to_the_wijken(screen, server):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + "/?gemeente=GM1714", "Wijken van Sluis")
    link = driver.find_element(By.ID, "kaart-wijken-link")
    assert link.get_attribute("href").endswith("/wijken/GM1714")


@pytest.mark.parametrize("path", ["/wijken/GM9999", "/wijken/GM0363?indicator=onzin",
                                  "/wijken/GM0363?wijk=WK9999ZZ"])
def test_bad_wijk_links_give_a_dutch_message(screen, server, path):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + path, "Dat lukt niet")


def test_wijk_csv_of_sluis_needs_no_tidying(screen, server):  # noqa: F811
    _kind, driver, downloads = screen
    for old in downloads.glob("zichtop_wijken_*"):
        old.unlink()
    open_page(driver, server + "/wijken/GM1714", "Wijken van Sluis")
    button = driver.find_element(By.ID, "wijken-csv")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    path = wait_file(downloads, ".csv")
    assert path.name.startswith("zichtop_wijken_GM1714_")
    header, rows = csv_rows(path.read_bytes())
    records = [dict(zip(header, r, strict=True)) for r in rows]
    oostburg = [r for r in records if r["Code"] == "WK171405"
                and r["Indicator"] == "Wmo-cliënten per 1 000 inwoners (wijk)"]
    assert len(oostburg) == 1 and oostburg[0]["Waarde"] == "111,94"  # 525 / 4 690 x 1 000
    assert oostburg[0]["Bron"].startswith("CBS 85995NED, WmoClienten_5")
    kwb = {r["Toelichting"] for r in records if r["Thema"] == "Vastgoed"}
    assert kwb == {"geen wijkcijfers in deze installatie"}
    # nothing hidden has a number
    assert all(r["Waarde"] == "" for r in records if r["Toelichting"].startswith("te klein"))


def test_wijk_map_colours_by_category_as_the_national_map(screen, server):  # noqa: F811
    _kind, driver, _ = screen
    open_page(driver, server + "/wijken/GM0363?indicator=wijk_wmo_per_1000&wijk=WK0363AA",
              "Buurten van Haarlemmerbuurt")
    choice = driver.find_element(By.XPATH, "//*[@id='wijken-modus']//input[@value='categorie']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice)
    choice.click()
    WebDriverWait(driver, 20).until(lambda d: "weergave=categorie" in d.current_url)
    assert "wijk=WK0363AA" in driver.current_url  # the chosen wijk stays
    # the page is drawn again for the new URL: wait for the new map's legend
    legend = "return (document.querySelector('#wijken-map .colorbar') || {}).textContent || ''"
    WebDriverWait(driver, 20).until(lambda d: "Categorie" in d.execute_script(legend))
    assert "significant hoger" in driver.execute_script(legend)
    assert map_shapes(driver) >= 100

