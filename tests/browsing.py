"""Helpers for the browser tests: wait for text, open a page, wait for a download."""

from __future__ import annotations

import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def body(driver) -> str:  # type: ignore[no-untyped-def]
    return driver.find_element(By.TAG_NAME, "body").text


def wait_text(driver, text: str, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    WebDriverWait(driver, timeout).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"),
                                                                          text))


def open_page(driver, url: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page and wait for a text on it; never a traceback or Dash's error."""
    driver.get(url)
    wait_text(driver, text)
    shown = body(driver)
    assert "Traceback" not in shown and "Error loading" not in shown


def wait_file(folder: Path, suffix: str, timeout: float = 30) -> Path:
    end = time.time() + timeout
    while time.time() < end:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} download in {folder}: {list(folder.iterdir())}")


def headless(window: str = "1400,1000", downloads: Path | None = None):  # type: ignore[no-untyped-def]
    """A headless Chromium for a test module, or a clear failure where the browser is missing."""
    import pytest

    from tools.browser import CHROMEDRIVER, CHROMIUM, chromium

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Debian's chromium and chromium-driver are required (installed by .ci/run)")
    return chromium(window=window, downloads=downloads)

