"""The marts: read staged tables from the build's database, apply zichtop.method, write the
results. Imports core, indicators, method and the pipeline's own modules."""
