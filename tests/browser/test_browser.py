"""The dashboard in a real headless Chromium (Debian's chromium + chromedriver), against the
real app process on loopback and the real store."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsing import open_page, wait_file, wait_text
from tools.browser import CHROMEDRIVER, CHROMIUM, chromium

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Debian's chromium and chromium-driver are required (installed by .ci/run)")
    driver = chromium(downloads=downloads, logs=True)
    yield driver
    driver.quit()






PAGES = {
    "/": "Waar wijkt mijn gemeente af?",
    "/gemeente/GM0363": "Amsterdam (GM0363)",
    "/vergelijken?gemeenten=GM0363,GM0599": "Gemeenten vergelijken",
    "/regio/RE05": "Regio Amsterdam (RE05)",
    "/methode": "Methode en bronnen",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens(browser, server, path):
    open_page(browser, server + path, PAGES[path])
    assert "Bron: CBS" in browser.find_element(By.TAG_NAME, "body").text


# the map in the app's panel, coloured and listening (assets/kaart.js)
MAP = "#kaart-map svg[data-interactief] a[data-gebied]"


def fill(driver, code: str) -> str:
    return driver.execute_script(
        f"return document.querySelector('#kaart-map a[data-gebied=\"{code}\"] path')"
        ".getAttribute('fill')")


def test_map_shows_real_figures_and_switches_values(browser, server, con):
    from zichtop.read import presentation as p
    from zichtop.web import svg_map

    open_page(browser, server + "/", "Waar wijkt mijn gemeente af?")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, MAP)) >= 342)
    assert "VerdachtenVanDrugsmisdrijven_6" in browser.find_element(By.ID, "kaart-bron").text
    # Amsterdam 2024: 1,26 per 1 000 against 0,65 (index 193): hover shows it, in its colour
    amsterdam = browser.find_element(By.CSS_SELECTOR, "#kaart-map a[data-gebied='GM0363'] path")
    ActionChains(browser).move_to_element(amsterdam).perform()
    tip = WebDriverWait(browser, 5).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, "#kaart-map .kaart-tip")))
    assert tip.text.startswith("Amsterdam\n1,26 per 1 000 inwoners\nNederland: 0,65")
    assert "Index: 193" in tip.text
    (log_ratio,), = con.execute("SELECT log_ratio FROM results WHERE indicator = "
                                "'drugs_verdachten' AND period_key = '2024JJ00' AND "
                                "region_code = 'GM0363'").fetchall()
    assert log_ratio == pytest.approx(math.log2(193 / 100), abs=0.005)
    # in the scale's steps of 1/20 of a doubling (svg_map.STEPS)
    assert fill(browser, "GM0363") == svg_map.colour(round(log_ratio * 20) / 20) != \
        svg_map.colour(0.0)
    # switch the indicator through the dropdown, as a user would
    browser.find_element(By.ID, "kaart-indicator").click()
    option = WebDriverWait(browser, 10).until(EC.element_to_be_clickable(
        (By.XPATH, "//*[contains(text(), 'Verdachten van vuurwapenmisdrijven')]")))
    option.click()
    WebDriverWait(browser, 20).until(lambda d: "VerdachtenVanVuurWapenmisdrijven_7" in
                                     d.find_element(By.ID, "kaart-bron").text)
    WebDriverWait(browser, 10).until(lambda d: "indicator=drugs_vuurwapen" in d.current_url)
    # the category view
    browser.find_element(By.CSS_SELECTOR, "#kaart-modus input[value='categorie']").click()
    WebDriverWait(browser, 10).until(lambda d: "weergave=categorie" in d.current_url)
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".sleutel"))
    assert "significant hoger" in browser.find_element(By.ID, "kaart-schaal").text
    colours = set(browser.execute_script(
        "return [...document.querySelectorAll('#kaart-map a[data-gebied] path')]"
        ".map(e => e.getAttribute('fill'))"))
    assert colours <= {*p.CATEGORY_COLOURS.values(), p.colour_for(None), p.TOO_SMALL_COLOUR,
                       p.NO_DATA_COLOUR}
    # the RIEC regions' outlines, switched on
    browser.find_element(By.CSS_SELECTOR, "#kaart-grenzen input[value='riec']").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return getComputedStyle(document.querySelector('#kaart-map .grens-riec')).display")
        != "none")


def test_click_municipality_opens_profile(browser, server):
    open_page(browser, server + "/", "Waar wijkt mijn gemeente af?")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, MAP)) >= 342)
    browser.execute_script("window.__zelfde = true")  # gone if the page were reloaded
    amsterdam = browser.find_element(By.CSS_SELECTOR, "#kaart-map a[data-gebied='GM0363'] path")
    ActionChains(browser).move_to_element(amsterdam).click().perform()
    wait_text(browser, "Amsterdam (GM0363)")
    assert browser.execute_script("return window.__zelfde") is True  # opened inside the app
    assert "/gemeente/GM0363" in browser.current_url
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "1,26 per 1 000 inwoners" in text  # 1170 / 931298 x 1000, see test_indicator_values
    assert "Wat kun je hiermee" in text
    open_theme(browser, "drugs")
    wait_text(browser, "Bron: CBS 85655NED")


def test_shared_link_restores_the_view(browser, server):
    open_page(browser, server + "/?thema=vastgoed&indicator=vastgoed_eigendom_onbekend&jaar=2023",
              "Waar wijkt mijn gemeente af?")
    source = browser.find_element(By.ID, "kaart-bron").text
    assert "EigendomOnbekend_6" in source and "periode 2023" in source


@pytest.mark.parametrize(("path", "message"), [
    ("/?thema=onzin", "Onbekend thema 'onzin'"),
    ("/?indicator=drop%20table%20results", "Onbekende indicator"),
    ("/?jaar=1850", "Geen cijfers voor periode '1850'"),
    ("/gemeente/GM9999", "Gemeente GM9999 bestaat niet"),
    ("/gemeente/'%3B--", "is geen geldige code"),
    ("/regio/RE99", "is geen RIEC-regio"),
    ("/vergelijken?gemeenten=GM0363,XX", "is geen geldige code"),
    ("/nergens", "Deze pagina bestaat niet"),
])
def test_bad_links_give_a_dutch_message(browser, server, path, message):
    open_page(browser, server + path, message)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Dat lukt niet" in body or "Deze pagina bestaat niet" in body


def open_theme(driver, theme: str) -> None:
    """Open a theme on the profile, as a user clicks its heading."""
    summary = driver.find_element(By.CSS_SELECTOR, f"#thema-{theme} > summary")
    summary.click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, f"#thema-{theme} .card"))


def dash_id(**parts: str) -> str:
    """The DOM id Dash gives a dict id (sorted keys, compact JSON)."""
    return json.dumps(dict(sorted(parts.items())), separators=(",", ":"))




def test_region_exports(browser, server, downloads):
    for old in downloads.iterdir():
        old.unlink()
    open_page(browser, server + "/regio/RE05", "Regio Amsterdam (RE05)")
    wait_text(browser, "Dekking")
    browser.find_element(By.ID, "regio-csv").click()
    data = wait_file(downloads, ".csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    col = {name: header.index(name) for name in header}
    amsterdam = next(r for r in rows if r[col["Code"]] == "GM0363" and
                     r[col["Indicator"]].startswith("Verdachten van drugs"))
    assert amsterdam[col["Waarde"]] == "1,26"  # 1170 / 931298 x 1000, two decimals
    assert amsterdam[col["Thema"]] == "Drugs" and amsterdam[col["Periode"]] == "2024"
    municipalities = {r[col["Code"]] for r in rows[1:] if r[col["Code"]].startswith("GM")}
    assert municipalities == {"GM0358", "GM0362", "GM0363", "GM0384", "GM0437", "GM0451"}
    small = [r for r in rows[1:] if r[col["Toelichting"]] == "te klein"]
    assert small
    for r in small:  # no figure, but the national value stays
        assert r[col["Waarde"]] == "" and r[col["Index (NL = 100)"]] == ""
        assert r[col["Nederland"]] != ""
    # every municipality has a row for every indicator
    per_area = {}
    for r in rows[1:]:
        per_area.setdefault(r[col["Code"]], 0)
        per_area[r[col["Code"]]] += 1
    assert len(set(per_area.values())) == 1
    browser.find_element(By.ID, "regio-xlsx").click()
    book = openpyxl.load_workbook(wait_file(downloads, ".xlsx"))
    assert "Drugs" in book.sheetnames and book.sheetnames[-1] == "Definities en bronnen"
    assert book["Drugs"].freeze_panes == "A2"


def test_no_request_leaves_the_machine(browser, server):
    browser.get_log("performance")  # drop earlier entries
    open_page(browser, server + "/", "Waar wijkt mijn gemeente af?")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, MAP)) >= 342)
    open_page(browser, server + "/wijken/GM0363", "Amsterdam")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#wijken-map path.choroplethlocation"))
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith("http"):
                hosts.add(urlparse(url).hostname)
    assert hosts == {"127.0.0.1"}


def test_content_security_policy_is_not_violated(browser, server):
    browser.get_log("browser")
    open_page(browser, server + "/gemeente/GM0363", "Amsterdam (GM0363)")
    open_page(browser, server + "/", "Waar wijkt mijn gemeente af?")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, MAP)) >= 342)
    violations = [e["message"] for e in browser.get_log("browser")
                  if "Content Security Policy" in e["message"]]
    assert not violations, violations


def test_composite_weights_are_adjustable(browser, server):
    open_page(browser, server + "/gemeente/GM0363?thema=drugs", "Gecombineerd patroon")
    score = browser.find_element(By.XPATH, f"//*[@id='{dash_id(type='score', theme='drugs')}']")
    before = score.text
    # Amsterdam's funnel z-scores 2024, by hand from 85655NED (1170 and 390 suspects) and
    # 931 298 inhabitants at the national 0.65 and 0.32 per 1 000 with phi 5.18 and 4.19 and
    # rounding to tens: drugs (1170 - 605.3) / sqrt(5.18 x 605.3 + 100/12) = 10.07, capped at
    # 5; firearms (390 - 298.0) / sqrt(4.19 x 298.0 + 8.33) = 2.59 -> equal weights give 3,80
    assert before.startswith("score 3,80")
    weight = dash_id(type="gewicht", theme="drugs", indicator="drugs_vuurwapen")
    field = browser.find_element(By.XPATH, f"//*[@id='{weight}']")
    field.clear()
    field.send_keys("0")
    score_id = dash_id(type="score", theme="drugs")
    WebDriverWait(browser, 10).until(lambda d: d.find_element(
        By.XPATH, f"//*[@id='{score_id}']").text.startswith("score 5,00"))


def test_map_reached_without_a_reload_fetches_its_shapes_once(browser, server):
    """From a profile to the map through the menu (no page reload): the map's shapes come
    from /kaart.svg, coloured by the app as on a first visit."""
    open_page(browser, server + "/gemeente/GM0363", "Amsterdam (GM0363)")
    browser.execute_script("window.__zelfde = true")
    browser.find_element(By.CSS_SELECTOR, "nav a[href='/']").click()
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, MAP)) >= 342)
    assert browser.execute_script("return window.__zelfde") is True
    assert not browser.find_elements(By.ID, "eerste-kaart")
    fills = browser.execute_script(
        "return [...document.querySelectorAll('#kaart-map a[data-gebied] path')]"
        ".map(e => e.getAttribute('fill'))")
    assert len(set(fills)) > 10  # coloured by the values, not the shapes' pale blue
