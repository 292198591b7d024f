"""Answers for each user, in headless Chromium at 1,400 px and at 390 px: the analyst of Sluis
finds Sluis by typing and reads its summary first; the RIEC user downloads a CSV, an XLSX and a
factsheet of RE08 that need no tidying; the policymaker of Kerkrade compares with its
statistical neighbours and with Heerlen and Sittard-Geleen and exports that. Plus: nothing
stale, nothing silently dropped, Dutch controls, phone width and keyboard."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import openpyxl
import pytest
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsing import body, open_page, wait_file, wait_text
from tools.accessibility import violations
from tools.browser import CHROMEDRIVER, CHROMIUM, chromium
from zichtop.indicators.registry import indicators

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": "1400,1000", "telefoon": "390,844"}


@pytest.fixture(scope="module", params=list(WIDTHS))
def screen(request, tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Debian's chromium and chromium-driver are required (installed by .ci/run)")
    downloads = tmp_path_factory.mktemp(f"downloads-{request.param}")
    driver = chromium(window=WIDTHS[request.param], downloads=downloads)
    yield request.param, driver, downloads
    driver.quit()








def _open_dropdown(driver, dropdown: str) -> bool:  # type: ignore[no-untyped-def]
    element = driver.find_element(By.ID, dropdown)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    return driver.switch_to.active_element.tag_name == "input"


def choose(driver, dropdown: str, typed: str, option: str) -> None:
    """Type into a dropdown's search field and pick the option, as a user does. (A page whose
    URL changes is drawn again by the page router: the field is found afresh until it opens.)"""
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,
                                                  NoSuchElementException)).until(
        lambda d: _open_dropdown(d, dropdown))
    driver.switch_to.active_element.send_keys(typed)
    target = WebDriverWait(driver, 10).until(EC.element_to_be_clickable(
        (By.XPATH, f"//*[@role='option'][contains(., '{option}')]")))
    target.click()




def type_and_enter(driver, dropdown: str, typed: str) -> list[str]:
    """Type into a dropdown's search field and press Enter, as a user in a hurry does; the
    options it listed before Enter."""
    from selenium.webdriver.common.keys import Keys

    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,
                                                  NoSuchElementException)).until(
        lambda d: _open_dropdown(d, dropdown))
    field = driver.switch_to.active_element
    field.send_keys(typed)
    listed = WebDriverWait(driver, 10).until(
        lambda d: [o.text for o in d.find_elements(By.XPATH, "//*[@role='option']")])
    field.send_keys(Keys.ENTER)
    return listed


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return rows[0], rows[1:]


# --- the analyst of Sluis ------------------------------------------------------------------


@pytest.mark.parametrize("typed, code", [("Sluis", "GM1714"), ("Oostburg", "GM1714"),
                                         ("Den Bosch", "GM0796"), ("Sudwest", "GM1900")])
def test_search_and_enter_finds_the_municipality(typed, code, screen, server):
    """The exact name first (not Maassluis), a woonplaats (Oostburg lies in Sluis), a common
    name ('s-Hertogenbosch) and a name without its accents (Súdwest-Fryslân)."""
    _, driver, _ = screen
    open_page(driver, server + "/", "Waar wijkt mijn gemeente af?")
    listed = type_and_enter(driver, "kaart-zoek", typed)
    if typed == "Oostburg":  # the village is listed under its own name with its gemeente
        assert listed[0] == "Oostburg (gemeente Sluis)", listed
    WebDriverWait(driver, 20).until(lambda d: f"gemeente={code}" in d.current_url)


def test_sluis_is_found_by_typing_and_its_summary_comes_first(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/", "Waar wijkt mijn gemeente af?")
    choose(driver, "kaart-zoek", "Sluis", "Sluis (GM1714)")
    WebDriverWait(driver, 20).until(lambda d: "gemeente=GM1714" in d.current_url)
    link = WebDriverWait(driver, 20).until(EC.element_to_be_clickable(
        (By.ID, "kaart-profiel-link")))
    assert link.text == "Open het profiel van Sluis \u2192"
    # the map outlines Sluis and zooms to it, with the whole of Sluis in view (not cut off)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.querySelector('#kaart-map svg').getAttribute('data-gekozen')")
        == "GM1714")
    view = driver.execute_script("""
        const svg = document.querySelector('#kaart-map svg');
        const sluis = svg.querySelector('a[data-gebied="GM1714"]').getBBox();
        const box = svg.getAttribute('viewBox').split(' ').map(Number);
        return {edge: svg.querySelector('path.gekozen-rand').getAttribute('d') ===
                       svg.querySelector('a[data-gebied="GM1714"] path').getAttribute('d'),
                whole: svg.getAttribute('data-heel').split(' ').map(Number), box: box,
                inside: sluis.x >= box[0] && sluis.y >= box[1] &&
                        sluis.x + sluis.width <= box[0] + box[2] &&
                        sluis.y + sluis.height <= box[1] + box[3]};""")
    assert view["edge"] and view["inside"] and view["box"][2] < view["whole"][2] / 3
    link.click()
    wait_text(driver, "Waar wijkt Sluis af?")
    text = body(driver)
    assert text.index("Waar wijkt Sluis af?") < text.index("Alle thema's")
    signals = driver.find_element(By.ID, "signalen").text
    # 82900NED 2024: unknown owners 4,8% of Sluis's dwellings (index 4.308); 85383NED 2024:
    # 221,64 recreational homes per 1 000 inhabitants; 86054NED 2022: 22,29 homes per 1 000
    # turned into holiday homes against 0,16 nationally (2023: te klein)
    assert "Woningen met onbekende eigenaar" in signals and "index 4.308" in signals
    assert "Recreatieverblijven per 1 000 inwoners: 221,64" in signals
    assert "Piek in 2022" in signals and "22,29 per 1 000 woningen" in signals
    assert "0,16 per 1 000 woningen landelijk" in signals
    assert "Wat we niet weten" in text and "te klein" in driver.find_element(
        By.ID, "onbekend").text


def test_a_former_name_finds_todays_municipality(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/gemeente/GM0014", "Groningen")
    choose(driver, "gemeente-zoek", "Weesp", "Amsterdam (GM0363)")
    wait_text(driver, "Waar wijkt Amsterdam af?")
    assert "voorheen ook: Weesp" in body(driver)


def test_menu_keeps_the_chosen_municipality_and_region(screen, server):
    kind, driver, _ = screen
    open_page(driver, server + "/gemeente/GM1714", "Waar wijkt Sluis af?")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "nav-regio")
                                    .get_attribute("href").endswith("/regio/RE08"))
    assert driver.find_element(By.ID, "nav-gemeente").get_attribute("href").endswith(
        "/gemeente/GM1714")
    assert driver.find_element(By.ID, "nav-vergelijken").get_attribute("href").endswith(
        "/vergelijken?gemeenten=GM1714")
    if kind == "telefoon":  # the menu folds away and opens with its button
        menu = driver.find_element(By.ID, "menu")
        assert not menu.is_displayed()
        driver.find_element(By.ID, "menu-knop").click()
        WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "menu").is_displayed())
    driver.find_element(By.ID, "nav-regio").click()
    wait_text(driver, "Regio Zeeland - West-Brabant (RE08)")


# --- the RIEC user of Zeeland-West-Brabant ---------------------------------------------------


def test_riec_csv_xlsx_and_factsheet_need_no_tidying(screen, server):
    _, driver, downloads = screen
    for old in downloads.iterdir():
        old.unlink()
    open_page(driver, server + "/regio/RE08", "Regio Zeeland - West-Brabant (RE08)")
    wait_text(driver, "Dekking")
    driver.find_element(By.ID, "regio-csv").click()
    header, rows = csv_rows(wait_file(downloads, ".csv").read_bytes())
    col = {name: n for n, name in enumerate(header)}
    for needed in ("Thema", "Periode", "Toelichting", "Bron", "Licentie", "Methode",
                   "Exportdatum"):
        assert needed in col
    areas = {r[col["Code"]] for r in rows}
    assert "RE08" in areas and "NL01" in areas
    municipalities = {a for a in areas if a.startswith("GM")}
    assert len(rows) == len(indicators()) * len(areas)  # nobody silently short
    assert len(municipalities) >= 30
    assert not any("JJ00" in r[col["Periode"]] or "HJ0" in r[col["Periode"]] for r in rows)
    for r in rows:
        if r[col["Waarde"]] == "":
            assert r[col["Toelichting"]], r  # every missing figure says why
    order = list(dict.fromkeys(r[col["Indicator"]] for r in rows))
    assert order == [i.label for _, i in indicators().values()]  # the registry's order
    driver.find_element(By.ID, "regio-xlsx").click()
    book = openpyxl.load_workbook(wait_file(downloads, ".xlsx"))
    sheet = book["Drugs"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.cell(row=2, column=header.index("Waarde") + 1).number_format == "#,##0.00"
    definitions = [r[0] for r in book["Definities en bronnen"].iter_rows(values_only=True)]
    assert "Index (NL = 100)" in definitions and "Dekking (% inwoners)" in definitions
    driver.find_element(By.ID, "regio-factsheet").click()
    wait_text(driver, "Factsheet Zeeland - West-Brabant (RE08)")
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, ".factsheet path.choroplethlocation"))
    text = body(driver)
    assert "Sterkste signaal per gemeente" in text and "Regiototalen" in text
    assert "Definities en bronnen" in text and "Bron: CBS, CC BY 4.0" in text
    # on paper: at most two A4 pages (Chromium's print to PDF)
    import base64
    import re

    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True})["data"])
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) <= 2


def test_region_table_sorts_numbers_as_numbers_with_totals_on_top(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/regio/RE08?indicator=vakantie_recreatiewoningen",
              "Regio Zeeland - West-Brabant (RE08)")
    wait_text(driver, "Dekking")
    assert "indicator=vakantie_recreatiewoningen" in driver.current_url
    totals = driver.find_element(By.ID, "regio-totalen").text
    assert "(totaal)" in totals and "Nederland" in totals
    header = WebDriverWait(driver, 20).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#regio-tabel th[data-dash-column='Waarde'] .column-header--sort")))

    def values(d) -> list[float]:  # type: ignore[no-untyped-def]
        cells = [c.text for c in d.find_elements(
            By.CSS_SELECTOR, "#regio-tabel td[data-dash-column='Waarde']")]
        return [float(c.replace(".", "").replace(",", ".")) for c in cells if c]

    driver.execute_script("arguments[0].click()", header)  # ascending
    WebDriverWait(driver, 10).until(lambda d: len(values(d)) > 20 and values(d) == sorted(
        values(d)) and values(d) != sorted(values(d), reverse=True))
    driver.execute_script("arguments[0].click()", header)  # descending
    WebDriverWait(driver, 10).until(lambda d: values(d) != sorted(values(d)))
    numbers = values(driver)
    assert len(numbers) > 20 and numbers == sorted(numbers, reverse=True)


def test_table_row_opens_the_profile(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/regio/RE08", "Regio Zeeland - West-Brabant (RE08)")
    cell = WebDriverWait(driver, 20).until(EC.element_to_be_clickable(
        (By.CSS_SELECTOR, "#regio-tabel td[data-dash-column='Gemeente']")))
    name = cell.text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    wait_text(driver, f"Waar wijkt {name} af?")


# --- the policymaker of Kerkrade -------------------------------------------------------------


def test_kerkrade_compares_with_neighbours_heerlen_and_sittard_and_exports(screen, server):
    _, driver, downloads = screen
    for old in downloads.iterdir():
        old.unlink()
    open_page(driver, server + "/gemeente/GM0928", "Waar wijkt Kerkrade af?")
    neighbours = driver.find_element(By.ID, "vergelijkbaar").text
    assert neighbours.startswith("Vergelijkbaar met (15 statistische buren):")
    link = driver.find_element(By.LINK_TEXT, "Vergelijk met vergelijkbare gemeenten")
    # Kerkrade and its three nearest statistical neighbours
    first = set(link.get_attribute("href").split("gemeenten=")[1].split(","))
    assert len(first) == 4 and "GM0928" in first
    driver.execute_script("arguments[0].click()", link)
    wait_text(driver, "Gemeenten vergelijken")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "vergelijk-tabel"))
    choose(driver, "vergelijk-zoek", "Heerlen", "Heerlen (GM0917)")
    WebDriverWait(driver, 20).until(lambda d: "GM0917" in d.current_url)
    choose(driver, "vergelijk-zoek", "Sittard", "Sittard-Geleen (GM1883)")
    WebDriverWait(driver, 20).until(lambda d: "GM1883" in d.current_url)
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: all(name in (d.find_elements(By.ID, "vergelijk-tabel") or [d.find_element(By.TAG_NAME,
                                                                                "body")])[0].text
        for name in ("Kerkrade", "Heerlen", "Sittard-Geleen")))
    assert "Statistische buren van Kerkrade" in body(driver)
    button = driver.find_element(By.ID, "vergelijk-csv")
    driver.execute_script("arguments[0].click()", button)
    header, rows = csv_rows(wait_file(downloads, ".csv").read_bytes())
    codes = {r[header.index("Code")] for r in rows}
    assert codes == first | {"GM0917", "GM1883"}  # with Heerlen and Sittard-Geleen


def test_a_seventh_municipality_is_not_silently_ignored(screen, server):
    _, driver, _ = screen
    seven = "GM0928,GM0917,GM1883,GM0899,GM0882,GM0965,GM0888"
    open_page(driver, server + f"/vergelijken?gemeenten={seven}", "Gemeenten vergelijken")
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "vergelijk-melding")
                                    .is_displayed())
    assert "Je koos 7 gemeenten; er worden er 6 vergeleken" in driver.find_element(
        By.ID, "vergelijk-melding").text


# --- nothing stale, Dutch everywhere -----------------------------------------------------------


def test_unavailable_indicator_is_disabled_with_its_reason(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/?thema=branches", "Waar wijkt mijn gemeente af?")
    driver.find_element(By.ID, "kaart-indicator").click()
    option = WebDriverWait(driver, 10).until(EC.presence_of_element_located(
        (By.XPATH, "//*[@role='option'][contains(., 'niet beschikbaar in deze installatie')]")))
    assert option.find_element(By.TAG_NAME, "input").get_attribute("disabled") is not None
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)


def test_controls_speak_dutch(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/vergelijken?gemeenten=GM0928,GM0917,GM1883",
              "Gemeenten vergelijken")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "vergelijk-tabel"))
    text = body(driver)
    assert "selected" not in text and "Search" not in text
    assert "3 gekozen" in text or "Kerkrade" in text
    search = driver.find_element(By.ID, "vergelijk-zoek")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", search)
    search.click()
    WebDriverWait(driver, 10).until(lambda d: d.switch_to.active_element.tag_name == "input")
    active = driver.switch_to.active_element
    assert active.get_attribute("placeholder") == "Zoeken"
    active.send_keys(Keys.ESCAPE)


# --- phone and keyboard --------------------------------------------------------------------

PAGES = {"/": "Waar wijkt mijn gemeente af?", "/gemeente/GM1714": "Waar wijkt Sluis af?",
         "/wijken/GM0363": "Wijken van Amsterdam", "/wijken/GM1714": "Wijken van Sluis",
         "/vergelijken?gemeenten=GM0928,GM0917": "Gemeenten vergelijken",
         "/regio/RE08": "Dekking", "/methode": "Methode en bronnen",
         "/factsheet/gemeente/GM1714": "Factsheet Sluis"}


@pytest.mark.parametrize("path", list(PAGES))
def test_no_page_is_wider_than_the_screen(screen, server, path):
    kind, driver, _ = screen
    open_page(driver, server + path, PAGES[path])
    # every chart drawn (plots take their width when drawn), then the width may settle
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(p => p.querySelector('.main-svg'))"))
    measure = "return [document.documentElement.scrollWidth, window.innerWidth]"
    with contextlib.suppress(TimeoutException):  # the assertion below shows the widths
        WebDriverWait(driver, 5).until(
            lambda d: (lambda w: w[0] <= w[1] + 1)(d.execute_script(measure)))
    wide = driver.execute_script(measure)
    assert wide[0] <= wide[1] + 1, (kind, path, wide)


ACCESSIBLE = {**PAGES, "/regio/RE05": "Dekking", "/factsheet/regio/RE08": "Factsheet"}


@pytest.mark.parametrize("path", list(ACCESSIBLE))
def test_axe_finds_no_wcag_violation(screen, server, path):
    """axe-core's WCAG 2.1 A/AA rules on every page, at both widths (a narrow screen makes
    tables scroll sideways, which must then be reachable by keyboard)."""
    kind, driver, _ = screen
    open_page(driver, server + path, ACCESSIBLE[path])
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(p => p.querySelector('.main-svg'))"))
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    found = violations(driver)
    assert found == [], (kind, path, found)


def test_keyboard_reaches_the_search_with_visible_focus(screen, server):
    _, driver, _ = screen
    open_page(driver, server + "/gemeente/GM1714", "Waar wijkt Sluis af?")
    page = driver.find_element(By.TAG_NAME, "body")
    page.send_keys(Keys.TAB)
    first = driver.switch_to.active_element
    assert first.text == "Naar de inhoud"  # the skip link comes first
    outline = driver.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, "
        "s.outlineWidth]")
    assert outline[0] != "none" and outline[1] != "0px"
    for _ in range(12):  # on to the search field, by keyboard only
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.get_attribute("id") == "gemeente-zoek" or \
                "dash-dropdown" in (driver.switch_to.active_element.get_attribute("class") or ""):
            break
    else:
        raise AssertionError("the search field cannot be reached with the keyboard")


def test_the_first_map_becomes_the_interactive_one(screen, server):
    """The server-drawn map moves into the page: the same picture, no second map and no
    Plotly on the map page; by keyboard a municipality gets its tooltip and opens with Enter."""
    _kind, driver, _ = screen
    open_page(driver, server + "/", "Waar wijkt mijn gemeente af?")
    WebDriverWait(driver, 30).until(lambda d: len(d.find_elements(
        By.CSS_SELECTOR, "#kaart-map svg[data-interactief] a[data-gebied]")) >= 342)
    WebDriverWait(driver, 5).until(lambda d: not d.find_elements(By.ID, "eerste-kaart"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.svg-kaart")) == 1
    assert driver.execute_script("return typeof window.Plotly") == "undefined"
    sluis = driver.find_element(By.CSS_SELECTOR, "#kaart-map a[data-gebied='GM1714']")
    driver.execute_script("arguments[0].focus()", sluis)
    tip = WebDriverWait(driver, 5).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, "#kaart-map .kaart-tip")))
    assert tip.text.startswith("Sluis\n")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_text(driver, "Sluis (GM1714)")


def test_the_spine_chart_opens_a_theme(screen, server):
    """Sluis at a glance: one row per indicator, its recreational homes far right; a click on
    that row opens the Vakantieparken theme."""
    _, driver, _ = screen
    open_page(driver, server + "/gemeente/GM1714", "In één oogopslag")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#profiel-spine .scatterlayer .point"))
    rows = driver.execute_script(
        "return document.getElementById('profiel-spine').querySelector('.js-plotly-plot')"
        ".data[2].customdata.length")
    from zichtop.indicators.registry import indicators
    from zichtop.read.estimates import estimate_ids

    # every indicator but the survey estimates Sluis has none of its own (politie-eenheid's)
    assert rows == len(indicators()) - len(estimate_ids())
    driver.execute_script(
        "const gd = document.getElementById('profiel-spine').querySelector('.js-plotly-plot');"
        "const i = gd.data[2].customdata.indexOf('vakantie_recreatiewoningen');"
        "gd.emit('plotly_click', {points: [{curveNumber: 2, pointNumber: i,"
        " customdata: 'vakantie_recreatiewoningen'}]});")
    WebDriverWait(driver, 20).until(lambda d: "thema=vakantieparken" in d.current_url)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#thema-vakantieparken .card"))


def test_the_municipal_factsheet_prints_on_one_a4_page(screen, server):
    """Chromium's print to PDF (A4) of Sluis's factsheet: one page, with the spine chart, the
    signals and what to do with them printed, and dates in Dutch."""
    import base64
    import re
    from datetime import date

    from zichtop.read.presentation import date_nl

    _kind, driver, _ = screen
    open_page(driver, server + "/factsheet/gemeente/GM1714", "Waar wijkt Sluis af?")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#factsheet-spine .scatterlayer .point"))
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True})["data"])
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # page objects, not /Pages
    text = body(driver)
    assert "Wat kun je hiermee:" in text
    assert f"afgedrukt {date_nl(date.today())}" in text
