"""The Veiligheidsmonitor as a user meets it, in headless Chromium against the real store:
Heerlen's own estimate with its interval, Vaals's politie-eenheid's figure said as such, the
map of a survey indicator, the dark-number lens and the police districts on the region page."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsing import body, headless, open_page, wait_text

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    driver = headless()
    yield driver
    driver.quit()


def test_heerlen_shows_its_own_estimate_significantly_higher(browser, server):
    open_page(browser, server + "/gemeente/GM0917?thema=leefbaarheid", "Waar wijkt Heerlen af?")
    wait_text(browser, "Drugshandel komt vaak voor in de buurt")
    card = next(c for c in browser.find_elements(By.CSS_SELECTOR, "#thema-leefbaarheid .card")
                if c.text.startswith("Drugshandel komt vaak voor"))
    # 85146NED Heerlen (GM) 2023: 10.7 (7.4-15.1) against NL 3.5: z = 4.27
    assert "10,7 (7,4-15,1) % van de inwoners van 15 jaar of ouder" in card.text
    assert "Nederland 3,5" in card.text and "significant hoger" in card.text
    assert "cijfer van politie-eenheid" not in card.text  # its own figure


def test_vaals_shows_limburgs_figure_as_a_regional_figure(browser, server):
    open_page(browser, server + "/gemeente/GM0981?thema=leefbaarheid", "Waar wijkt Vaals af?")
    wait_text(browser, "Drugshandel komt vaak voor in de buurt")
    card = next(c for c in browser.find_elements(By.CSS_SELECTOR, "#thema-leefbaarheid .card")
                if c.text.startswith("Drugshandel komt vaak voor"))
    assert "5,2 (4,7-5,8)" in card.text  # Limburg (RE) 2023
    assert "cijfer van politie-eenheid Limburg" in card.text
    assert "de Veiligheidsmonitor publiceert alleen grote gemeenten" in card.text
    # never among Vaals's own signals
    signals = browser.find_element(By.ID, "signalen").text
    assert "Drugshandel komt vaak voor" not in signals
    # the lens: registered crime beside the survey, the region's figure named
    lens = browser.find_element(By.ID, "dark-number-lens").text
    assert "Geregistreerde misdrijven per 1 000 inwoners" in lens
    assert "politie-eenheid Limburg" in lens


def test_map_of_a_survey_indicator_colours_regions_with_the_55_on_top(browser, server):
    open_page(browser, server + "/?thema=leefbaarheid&indicator=leefbaarheid_drugshandel",
              "Waar wijkt mijn gemeente af?")
    WebDriverWait(browser, 30).until(lambda d: "Drugshandel_30" in
                                     d.find_element(By.ID, "kaart-bron").text)

    def tip(code: str) -> str:
        area = browser.find_element(By.CSS_SELECTOR,
                                    f"#kaart-map a[data-gebied='{code}'] path")
        ActionChains(browser).move_to_element(area).perform()
        shown = WebDriverWait(browser, 5).until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, "#kaart-map .kaart-tip")))
        return str(shown.text)

    assert tip("GM0917").startswith("Heerlen\n10,7 (7,4-15,1)")
    vaals = tip("GM0981")
    assert "Cijfer van politie-eenheid Limburg" in vaals and "5,2 (4,7-5,8)" in vaals
    # the 10 politie-eenheden outlined
    assert browser.execute_script("return document.querySelector('#kaart-map svg')"
                                  ".classList.contains('toon-riec')")


def test_region_page_lists_its_police_districts(browser, server):
    open_page(browser, server + "/regio/RE10", "Regio Limburg (RE10)")
    districts = browser.find_element(By.ID, "politiedistricten").text
    # 85146NED Parkstad-Limburg (PD) 2023: 8.2 (6.6-10.1) against 3.5 (3.4-3.6)
    assert "Parkstad-Limburg" in districts and "8,2 (6,6-10,1) (significant hoger)" in districts
    assert "Noord en Midden Limburg" in districts and "Zuid-West-Limburg" in districts
    assert "basisteams" in body(browser)
