"""The build: sources -> normalisation -> staging -> boundaries -> marts -> checks, into one DuckDB
file. Imports core, indicators and method; never read, web or hosting."""
