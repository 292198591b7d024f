"""Documentation generated from the registry stays in step with it."""

from zichtop.core.config import REPO_ROOT
from zichtop.indicators.registry import indicators
from zichtop.read.docs import indicators_markdown


def test_indicators_md_is_current():
    path = REPO_ROOT / "docs" / "indicators.md"
    assert path.read_text(encoding="utf-8") == indicators_markdown(), \
        "docs/indicators.md is stale: run `zichtop docs`"


def test_every_indicator_in_docs():
    text = (REPO_ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for ind_id in indicators():
        assert f"`{ind_id}`" in text
