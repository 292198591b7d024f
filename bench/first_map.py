"""Time to the first map in headless Chromium: from navigation start to all 342 municipality
shapes drawn, against the same page's DOMContentLoaded (the shell) in the same run.

Usage: python bench/first_map.py --url http://127.0.0.1:8050 [--repeat 5]
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
from zichtop.browser import chromium  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    driver = chromium()
    shells, maps = [], []
    try:
        for _ in range(args.repeat):
            driver.get("about:blank")
            start = time.perf_counter()
            driver.get(args.url + "/")
            WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(
                By.CSS_SELECTOR, "#kaart-map path.choroplethlocation")) >= 342)
            maps.append(time.perf_counter() - start)
            timing = driver.execute_script(
                "const t = performance.getEntriesByType('navigation')[0];"
                "return t.domContentLoadedEventEnd;")
            shells.append(timing / 1000)
    finally:
        driver.quit()
    shell, first = statistics.median(shells), statistics.median(maps)
    print(f"shell (DOMContentLoaded): {shell * 1000:.0f} ms; first complete map: "
          f"{first * 1000:.0f} ms (median of {args.repeat}); ratio x{first / shell:.1f}")


if __name__ == "__main__":
    main()
