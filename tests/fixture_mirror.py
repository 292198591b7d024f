"""A small hand-made mirror of CBS, written as files in the mirror's own formats, for unit tests
of every build step (as Datasette's tests/fixtures.py writes its fixture database from literal
rows). Twenty made-up municipalities in two provinces and two RIEC regions; "Gebieden in
Nederland" for every year the build reads; one CBS table (85383NED, maatstaven gemeentefonds:
it feeds the nearest neighbours and the indicator "recreatieverblijven per 1 000 inwoners");
square boundaries. One merger: Zwanenburg (GM9021) joined Aadorp (GM9001) on 1 January 2024, with
a crosswalk of the mirror's format for the years before (and one noise flow of 3 addresses).

Every number is chosen by hand so that tests/pipeline/test_fixture_build.py can work out the expected
results on paper. Codes in the 9000s do not exist at CBS.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from zichtop.pipeline.regions import GEBIEDEN

PROVINCES = {"PV91": "Noordland", "PV92": "Zuidland"}
RIEC = {"RE91": "Regio Noord", "RE92": "Regio Zuid"}
SAFETY = {"VR91": "Veiligheidsregio Noord", "VR92": "Veiligheidsregio Zuid"}

# code, name, province, RIEC region, inhabitants 2024, recreational homes 2024 (Definitief)
MUNICIPALITIES = [
    ("GM9001", "Aadorp", "PV91", "RE91", 12000, 120),
    ("GM9002", "Beekdal", "PV91", "RE91", 8000, 80),
    ("GM9003", "Calslagen", "PV91", "RE91", 25000, 250),
    ("GM9004", "Dijkhuizen", "PV91", "RE91", 5000, 50),
    ("GM9005", "Eemstein", "PV91", "RE91", 40000, 400),
    ("GM9006", "Friesveen", "PV91", "RE91", 15000, 150),
    ("GM9007", "Goudriaan", "PV91", "RE91", 9000, 90),
    ("GM9008", "Hoeksmeer", "PV91", "RE91", 30000, 300),
    ("GM9009", "IJsselbroek", "PV91", "RE91", 6000, 60),
    ("GM9010", "Jutphaas", "PV91", "RE91", 20000, 200),
    ("GM9011", "Kampereiland", "PV92", "RE91", 11000, 110),
    ("GM9012", "Lemelerveld", "PV92", "RE91", 7000, 7),  # 7 < 10: "te klein"
    ("GM9013", "Meerstad", "PV92", "RE92", 50000, 500),
    ("GM9014", "Nieuwlande", "PV92", "RE92", 14000, 140),
    ("GM9015", "Oosterwolde", "PV92", "RE92", 10000, 100),
    ("GM9016", "Pannerdam", "PV92", "RE92", 18000, 180),
    ("GM9017", "Quatrebras", "PV92", "RE92", 4000, 1200),  # 300 per 1 000: far above
    ("GM9018", "Rijsbergen", "PV92", "RE92", 22000, 220),
    ("GM9019", "Schoonloo", "PV92", "RE92", 16000, 160),
    ("GM9020", "Terwispel", "PV92", "RE92", 13000, 130),
]
TABLE = "85383NED"
# the former municipality: in the Gebieden tables up to 2023, merged into Aadorp in 2024
FORMER = ("GM9021", "Zwanenburg", "PV91", "RE91", 300, 5)
# addresses (woonfunctie) of Aadorp's 2024 area: 5,000 from Aadorp, 100 from Zwanenburg
FLOWS = [("GM9001", "GM9001", 5000), ("GM9021", "GM9001", 100),
         ("GM9002", "GM9002", 2997), ("GM9002", "GM9003", 3)]  # 3 addresses: noise


def _write_csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ";",
               bom: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def _gebieden_rows(year: int) -> list[list[object]]:
    """As CBS's Gebieden tables: codes and names padded with spaces, one row per municipality;
    inhabitants grow by 1% a year up to 2024 (no municipality jumps)."""
    rows = []
    members = MUNICIPALITIES + ([FORMER] if year < 2024 else [])
    for n, (code, name, pv, re, inhabitants, _) in enumerate(members):
        vr = "VR91" if n < 10 or code == FORMER[0] else "VR92"
        size, size_label = (7, "50 000 tot 100 000 inwoners") if inhabitants >= 50000 else \
            (5, "20 000 tot 50 000 inwoners") if inhabitants >= 20000 else \
            (4, "10 000 tot 20 000 inwoners") if inhabitants >= 10000 else \
            (3, "5 000 tot 10 000 inwoners") if inhabitants >= 5000 else \
            (2, "minder dan 5 000 inwoners")
        urbanity = 1 + n % 5
        grown = round(inhabitants * (1 + 0.01 * (year - 2024))) if year < 2024 else inhabitants
        rows.append([n, name, f"{code}    ", f"{name:<40}", f"{pv}      ", f"{PROVINCES[pv]:<30}",
                     f"{re}      ", f"{RIEC[re]:<30}", f"{vr}      ", f"{SAFETY[vr]:<30}",
                     f"{size}", f"{size_label}", f"{urbanity}",
                     ["Zeer sterk stedelijk", "Sterk stedelijk", "Matig stedelijk",
                      "Weinig stedelijk", "Niet stedelijk"][urbanity - 1], grown])
    return rows


GEBIEDEN_HEADER = ["ID", "RegioS", "Code_1", "Naam_2", "Code_3", "Naam_4", "Code_5", "Naam_6",
                   "Code_7", "Naam_8", "Code_9", "Omschrijving_10", "Code_11", "Omschrijving_12",
                   "Inwonertal_13"]
MEASURES = ["InwonersTotaal_1", "InwonersJongerDan18_2", "Inwoners75Plus_7",
            "HuishoudensMetRelatiefLaagInkomen_21", "TotaalBijstandsuitkeringen_22",
            "WoningTotaal_36", "WoningMetFunctieLogies_37", "NietWoningMetFunctieLogies_38",
            "Bedrijfsvestigingen_69", "Omgevingsadressendichtheid_71"]


def _table_rows() -> list[list[object]]:
    """85383NED: per municipality one 2024 row "Definitief" (the peers' characteristics and the
    indicator's count) and one 2025 row "Voorlopig" that no Definitief indicator may use. The
    low-income column is '.' (CBS's "no figure"), as in the real table for these years."""
    rows = []
    for n, (_, name, _, _, inhabitants, holiday) in enumerate(MUNICIPALITIES):
        base = [inhabitants, inhabitants // 5 + 100 * n, inhabitants // 10 + 50 * (n % 4), ".",
                inhabitants // 50 + 10 * n, inhabitants // 2, 3, holiday, inhabitants // 12,
                500 + 120 * n]
        rows.append([len(rows), "Definitief", f" {name} ", "2024", *base])
        rows.append([len(rows), "Voorlopig", name, "2025", *[x if x == "." else int(x) * 2
                                                             for x in base]])
    # 2023, on that year's boundaries (Zwanenburg still apart): the counts of Aadorp's parts and
    # an address density, to be re-expressed on 2024 boundaries; Zwanenburg's logies homes '.'
    for code, name, *_ in [*MUNICIPALITIES, FORMER]:
        own = {"GM9001": (100, 3, 500), "GM9021": (5, ".", 800)}.get(code, (50, 2, 1000))
        holiday, logies, density = own
        rows.append([len(rows), "Definitief", name, "2023", 1000, 200, 100, ".", 20, 500,
                     logies, holiday, 80, density])
    return rows


def _square(n: int) -> list:
    col, row = n % 5, n // 5
    x, y = 5.0 + 0.1 * col, 52.0 + 0.1 * row
    return [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]


def _layer(path: Path, features: list[tuple[str, str, list]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"statcode": code, "statnaam": name},
         "geometry": {"type": "Polygon", "coordinates": rings}}
        for code, name, rings in features]}), encoding="utf-8")


def _box(members: list[int]) -> list:
    xs = [5.0 + 0.1 * (n % 5) for n in members]
    ys = [52.0 + 0.1 * (n // 5) for n in members]
    x0, x1, y0, y1 = min(xs), max(xs) + 0.1, min(ys), max(ys) + 0.1
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def write_mirror(root: Path) -> Path:
    """Write the hand-made mirror under `root` (cbs/, geo/) and return `root`."""
    cbs = root / "cbs"
    for year, table_id in GEBIEDEN.items():
        _write_csv(cbs / f"{table_id}.csv", GEBIEDEN_HEADER, _gebieden_rows(year))
    _write_csv(cbs / f"{TABLE}.csv", ["ID", "StatusCijfer", "RegioS", "Perioden", *MEASURES],
               _table_rows())
    manifest = [[t, f"Gebieden in Nederland {y}", str(y), "RegioS", len(MUNICIPALITIES), "no",
                 "all rows"] for y, t in GEBIEDEN.items()]
    manifest.append([TABLE, "Maatstaven gemeentefonds; per gemeente", "2023-2025", "RegioS",
                     3 * len(MUNICIPALITIES) + 1, "no", "all rows"])
    _write_csv(cbs / "MANIFEST.csv", ["table_id", "title", "periods", "region_column", "rows",
                                      "truncated", "complete_slice"], manifest, ",", bom=False)
    # the crosswalk (grenswijzigen's format): the same flows from every year before 2024
    flows = []
    for year in range(2016, 2024):
        for source, target, n in FLOWS:
            out_of = sum(m for f, _, m in FLOWS if f == source)
            into = sum(m for _, t, m in FLOWS if t == target)
            flows.append(["woonfunctie", year, 2024, source, target, n, n / out_of, n / into,
                          "true" if source == target else "false"])
    _write_csv(root / "crosswalk" / "gemeente_crosswalk.csv",
               ["variant", "from_year", "to_year", "from_code", "to_code", "n", "weight",
                "weight_to", "from_code_continues"], flows, ",", bom=False)
    geo = root / "geo"
    _layer(geo / "gemeente_2024.geojson",
           [(code, name, _square(n)) for n, (code, name, *_) in enumerate(MUNICIPALITIES)])
    for file, names, column in (("provincie_2024.geojson", PROVINCES, 2),
                                ("regionale_eenheid_2024.geojson", RIEC, 3)):
        _layer(geo / file, [(code, name, _box([n for n, m in enumerate(MUNICIPALITIES)
                                               if m[column] == code]))
                            for code, name in names.items()])
    return root
