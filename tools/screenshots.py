"""`make screenshots`: start the app on the built store and save a PNG of every page at 1,400 px
(desktop) and 390 px (phone) with headless Chromium (Debian's chromium and chromium-driver)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tools.browser import chromium, free_port, wait_until_up
from zichtop.core.config import REPO_ROOT

PAGES = {"kaart": "/?gemeente=GM1714", "gemeenteprofiel": "/gemeente/GM1714",
         "wijken": "/wijken/GM0363?indicator=wijk_overige_verhuurders&wijk=WK0363AF",
         "wijken-sluis": "/wijken/GM1714",
         "vergelijken": "/vergelijken?gemeenten=GM0928,GM0917,GM1883",
         "regio": "/regio/RE08", "factsheet-regio": "/factsheet/regio/RE08",
         "methode": "/methode",
         "kaart-provincie": "/?thema=vakantieparken&indicator=vakantie_recreatiewoningen"
                            "&referentie=provincie",
         "gemeenteprofiel-buren": "/gemeente/GM1714?referentie=buren",
         "kaart-veiligheidsmonitor": "/?thema=leefbaarheid&indicator=leefbaarheid_drugshandel",
         "gemeenteprofiel-heerlen": "/gemeente/GM0917?thema=leefbaarheid",
         "gemeenteprofiel-vaals": "/gemeente/GM0981?thema=leefbaarheid",
         "regio-limburg": "/regio/RE10", "eigen-gegevens": "/eigen-gegevens"}
WIDTHS = {"": 1400, "-telefoon": 390}
# pages that show something only after a file is chosen: the file (written to a temporary
# folder) that is chosen on them, as a user would
UPLOADS = {"eigen-gegevens": (
    "/eigen-gegevens", "gebied;periode;aantal;omschrijving\n" + "".join(
        f"{code};2023;{n};Meldingen ondermijning\n" for code, n in (
            ("WK0363AA", 40), ("WK0363AB", 55), ("WK0363AC", 30), ("WK0363AD", 35),
            ("WK0363AE", 60), ("WK0363AF", 25), ("WK0363AG", 12), ("WK0363AH", 20),
            ("WK0363AJ", 5), ("WK0363AK", 30))))}


def settle(driver, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until Dash has no callback in flight and the plots are drawn."""
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        busy = driver.execute_script(
            "return document.querySelector('[data-dash-is-loading=\"true\"]') !== null || "
            "document.querySelector('._dash-loading') !== null || "
            "document.title.startsWith('Updating')")
        if not busy:
            break
        time.sleep(0.2)
    time.sleep(1.0)


def _choose_file(driver, content: str) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "meldingen.csv"
        path.write_text(content, encoding="utf-8")
        driver.find_element(By.ID, "eigen-bestandskeuze").send_keys(str(path))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not driver.find_elements(
                By.CSS_SELECTOR, "#eigen-kaart path.choroplethlocation"):
            time.sleep(0.3)
    time.sleep(1.0)


def shoot(base: str, out: Path, pages: dict[str, str] = PAGES) -> list[Path]:
    saved = []
    for suffix, width in WIDTHS.items():
        driver = chromium(window=f"{width},1000")
        try:
            for name, path in pages.items():
                driver.get(base + (UPLOADS[name][0] if name in UPLOADS else path))
                settle(driver)
                if name in UPLOADS:
                    _choose_file(driver, UPLOADS[name][1])
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(int(height) + 40, 7000))
                settle(driver, 5)
                target = out / f"{name}{suffix}.png"
                driver.save_screenshot(str(target))
                saved.append(target)
                driver.set_window_size(width, 1000)
        finally:
            driver.quit()
    return saved


def main(target: str = "docs/screenshots", *only: str) -> None:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    app = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py"), "--port", str(port)],
                           env=dict(os.environ), cwd=REPO_ROOT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        pages = {k: v for k, v in PAGES.items() if not only or k in only}
        for path in shoot(f"http://127.0.0.1:{port}", out, pages):
            print(f"saved {path}")
    finally:
        app.terminate()
        app.wait(timeout=10)


if __name__ == "__main__":
    main(*sys.argv[1:])
