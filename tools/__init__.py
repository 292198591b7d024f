"""Development helpers, not part of the package: headless Chromium, slow test clients,
screenshots (`make screenshots`). Used by tests and benchmarks."""
