"""The Dash front end: one registered page per view (zichtop/web/pages), callbacks beside their
layout, pure figure builders. Imports core, indicators, method and read; never the pipeline or hosting."""
