"""What every figure is shown against, in one place: the boundary year of the municipalities and
the country's code (the Gebieden and crime tables call it NL01; KWB calls it NL00)."""

REFERENCE_YEAR = 2024  # the municipal boundaries every figure is shown on
NATIONAL_CODE = "NL01"
NATIONAL_CODES = (NATIONAL_CODE, "NL00")  # the country, as the tables write it
