"""Credits shown wherever the figures are: one place, imported by the app without pulling in the
build (GeoPandas, the crosswalk reader)."""

CBS = "Bron: CBS (CC BY 4.0)"
BOUNDARIES = "Grenzen: CBS / PDOK, via cartomap/nl"
CROSSWALK = "Grenscorrectie: grenswijzigen (Hans Weda), CC BY-NC-SA 4.0"
