"""Credits shown wherever the figures are: one place, imported by the app without pulling in the
build (GeoPandas, the crosswalk reader)."""

CBS = "Bron: CBS (CC BY 4.0)"
BOUNDARIES = "Grenzen: CBS / PDOK, via cartomap/nl"
# the mirror's wijk file is a third party's simplification of the CBS Wijk- en Buurtkaart 2024
WIJK_BOUNDARIES = ("Wijkgrenzen: CBS / PDOK (Wijk- en Buurtkaart 2024), vereenvoudigd door "
                   "GeoInzicht (AnneVersion/geoinzicht-app)")
CROSSWALK = "Grenscorrectie: grenswijzigen (Hans Weda), CC BY-NC-SA 4.0"
