"""Time for a municipality's summary ("Waar wijkt <naam> af?") to show in headless Chromium:
from navigation start until the ranked signals are on screen, against the same page's
DOMContentLoaded (the shell) in the same run. Before, the profile drew 23 charts first.

Usage: python bench/summary_time.py --url http://127.0.0.1:8050 [--repeat 5] [--code GM1714]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.browser import chromium  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", default="GM1714")
    args = parser.parse_args()
    driver = chromium()
    shells, summaries = [], []
    try:
        driver.get(args.url + f"/gemeente/{args.code}")  # warm the app's caches once
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "signalen"))
        for _ in range(args.repeat):
            driver.get("about:blank")
            start = time.perf_counter()
            driver.get(args.url + f"/gemeente/{args.code}")
            WebDriverWait(driver, 60).until(lambda d: d.find_elements(
                By.CSS_SELECTOR, "#signalen li") or "Geen opvallende" in d.find_element(
                By.ID, "samenvatting").text if d.find_elements(By.ID, "samenvatting") else False)
            summaries.append(time.perf_counter() - start)
            shells.append(driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;")
                / 1000)
    finally:
        driver.quit()
    shell, summary = statistics.median(shells), statistics.median(summaries)
    print(f"shell (DOMContentLoaded): {shell * 1000:.0f} ms; summary of {args.code} on screen: "
          f"{summary * 1000:.0f} ms (median of {args.repeat}; min {min(summaries) * 1000:.0f}, "
          f"max {max(summaries) * 1000:.0f}); ratio x{summary / shell:.1f}")


if __name__ == "__main__":
    main()
