"""The build pipeline: sources -> normalisation -> staging -> boundaries -> marts -> checks, into
one DuckDB file (`zichtop build`). Imports core, indicators and method; never read, web or hosting."""
