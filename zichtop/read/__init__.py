"""The store's read side: connecting, queries, display rules, signals, exports, profile text,
generated docs. Imports core, indicators and method; never the pipeline, GeoPandas or SciPy."""
