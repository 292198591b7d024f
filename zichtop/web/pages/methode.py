"""Methode: the method, indicator definitions from the registry, provenance and caveats."""

from __future__ import annotations

import dash
from dash import (
    dash_table,  # type: ignore[attr-defined]
    dcc,
    html,
)

from zichtop.config import REPO_ROOT
from zichtop.docs import indicators_markdown
from zichtop.privacy import EXPLANATION
from zichtop.web import queries
from zichtop.web.guard import page_guard

dash.register_page(__name__, order=5, path="/methode", name="Methode", title="Zichtop - methode")


@page_guard
def layout(**_other: str) -> html.Div:
    method_doc = REPO_ROOT / "docs" / "method.md"
    text = method_doc.read_text(encoding="utf-8") if method_doc.is_file() else ""
    info = queries.build_info()
    prov = queries.provenance()[["table_id", "source", "rows", "truncated", "complete_slice",
                                 "fingerprint", "built_at"]]
    status = queries.indicator_status()[["indicator", "theme", "available", "reason",
                                         "latest_period", "coverage_latest"]]
    return html.Div([
        html.H1("Methode en bronnen"),
        html.P(f"Gegevens geladen op {info['built_at']} uit bron: {info['source']} "
               f"(Zichtop {info['version']}).", id="methode-bron"),
        html.P(EXPLANATION),
        html.P("Een afwijking is een patroon, geen bewijs."),
        dcc.Markdown(text, className="markdown"),
        html.H2("Herkomst van de tabellen"),
        dash_table.DataTable(data=prov.astype(str).to_dict("records"),  # type: ignore[attr-defined]
                             columns=[{"name": c, "id": c} for c in prov.columns],
                             style_cell={"textAlign": "left", "whiteSpace": "normal"}),
        html.H2("Beschikbaarheid per indicator"),
        dash_table.DataTable(data=status.astype(str).to_dict("records"),  # type: ignore[attr-defined]
                             columns=[{"name": c, "id": c} for c in status.columns],
                             style_cell={"textAlign": "left"}),
        dcc.Markdown(indicators_markdown(), className="markdown"),
    ])
