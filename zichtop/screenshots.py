"""`make screenshots`: start the app on the built store and save a PNG of every page with headless
Chromium (Debian's chromium and chromium-driver)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from zichtop.config import REPO_ROOT

PAGES = {"kaart": "/", "gemeenteprofiel": "/gemeente/GM0363",
         "vergelijken": "/vergelijken?gemeenten=GM0363,GM0599,GM0344",
         "regio": "/regio/RE05", "methode": "/methode"}


def main(target: str = "docs/screenshots") -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py"), "--port", str(port)],
                           env=dict(os.environ), cwd=REPO_ROOT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--window-size=1300,1400"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            for name, path in PAGES.items():
                driver.get(f"http://127.0.0.1:{port}{path}")
                time.sleep(6)  # let callbacks and plots settle
                driver.save_screenshot(str(out / f"{name}.png"))
                print(f"saved {out / name}.png")
        finally:
            driver.quit()
    finally:
        app.terminate()
        app.wait(timeout=10)


if __name__ == "__main__":
    main(*sys.argv[1:])
