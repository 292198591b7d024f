"""The Dash front end: one registered page per view (zichtop/web/pages)."""
