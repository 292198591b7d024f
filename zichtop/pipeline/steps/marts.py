"""Step marts: the method over every indicator and area indicator."""

from __future__ import annotations

from zichtop.pipeline.marts.areas import materialise_area_results
from zichtop.pipeline.marts.municipal import materialise_results
from zichtop.pipeline.steps.context import BuildContext


def marts_step(ctx: BuildContext) -> None:
    """The method over every indicator: results, indicator_status, composites, peers; and
    over every area indicator: area_results, area_coverage (both read the staging tables)."""
    materialise_results(ctx.con)
    materialise_area_results(ctx.con)
