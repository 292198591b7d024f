"""Themes: one declarative file per theme in this package; `registry.themes()` finds them."""
