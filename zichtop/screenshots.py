"""`make screenshots`: start the app on the built store and save a PNG of every page with headless
Chromium (Debian's chromium and chromium-driver)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from zichtop.browser import chromium, free_port
from zichtop.config import REPO_ROOT

PAGES = {"kaart": "/", "gemeenteprofiel": "/gemeente/GM0363",
         "vergelijken": "/vergelijken?gemeenten=GM0363,GM0599,GM0344",
         "regio": "/regio/RE05", "methode": "/methode"}


def main(target: str = "docs/screenshots") -> None:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    app = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py"), "--port", str(port)],
                           env=dict(os.environ), cwd=REPO_ROOT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        driver = chromium(window="1300,1400")
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
