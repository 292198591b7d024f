"""Step boundaries: the map layers of every level that has boundary files."""

from __future__ import annotations

import pandas as pd

from zichtop.pipeline.geo import LAYERS, SUBLEVEL_FILES, area_layers, read_layer
from zichtop.pipeline.sketch import map_sketch
from zichtop.pipeline.steps.context import BuildContext, write


def boundaries_step(ctx: BuildContext) -> None:
    """The map layers of the levels in `areas` that have boundary files (municipalities,
    provinces, RIEC regions, wijken); wijken also as one small layer per municipality; the
    municipalities, RIEC regions and provinces also as the map page's SVG map."""
    regions = ctx.con.execute("SELECT code, level FROM areas").df()
    boundary_rows, layers = [], []
    for level in LAYERS:
        expected = set(regions.loc[regions["level"] == level, "code"])
        if not expected:
            continue
        rows, collection = read_layer(
            ctx.settings.geo_dir, level, expected,
            fallback_url=ctx.settings.boundaries_url if ctx.getter.source == "live" else None,
            verify=ctx.settings.cbs_verify, timeout=ctx.settings.cbs_timeout)
        boundary_rows.append(rows)
        if level in SUBLEVEL_FILES:
            continue  # never one national layer: sent per municipality (area_layers)
        layers.append({"level": level, "geojson": collection,
                       "bytes": len(collection.encode("utf-8"))})
    boundaries = pd.concat(boundary_rows, ignore_index=True)
    write(ctx.con, "boundaries", boundaries)
    write(ctx.con, "boundary_layers", pd.DataFrame(layers))
    write(ctx.con, "area_layers", area_layers(boundaries))
    write(ctx.con, "map_sketch", map_sketch(boundaries))
