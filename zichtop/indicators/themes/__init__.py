"""One declarative module per theme (zichtop/indicators/registry.py finds them). Imports
zichtop.indicators.model only."""
