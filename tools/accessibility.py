"""axe-core (npm, pinned in tools/plotly_bundle/package-lock.json; `make install` puts it beside
the virtualenv) run in a page open in headless Chromium: the WCAG 2.1 A and AA rules."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".venv" / "plotly-bundle" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    """The WCAG 2.1 A/AA violations of the page the driver shows: rule id, impact, help and
    the first elements (their CSS selector and HTML)."""
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE} is missing: run `make install`")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(RULES)}}}}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => ({target: n.target.join(' '),"
        " html: n.html.slice(0, 200)})), count: v.nodes.length}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: [],"
        " count: 1}]));")
    return list(result)
