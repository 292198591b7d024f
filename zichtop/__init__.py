"""Zichtop: the "Zicht op Ondermijning" method on CBS open data.

Data flows one way: sources (live CBS or a local mirror) -> normalisation -> DuckDB store
(staging tables, region dimension, boundaries) -> themes and the method (results) -> the Dash app.
"""

__version__ = "0.2.0"
