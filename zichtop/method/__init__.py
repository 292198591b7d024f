"""The Zicht op method on plain frames and arrays: statistics, the one small-number rule, kinds
of figures, references, and the computation. Imports core and indicators; never DuckDB or Dash."""
