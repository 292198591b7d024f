"""The app's questions to the store, each a parameterised query."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd

from zichtop.core.codes import NATIONAL_CODE
from zichtop.read import estimates, references
from zichtop.read.store import get_store


def regions() -> pd.DataFrame:
    return get_store().cached("SELECT * FROM regions ORDER BY level, name")



def region_name(code: str) -> str | None:
    r = regions()
    hit = r.loc[r["code"] == code, "name"]
    return str(hit.iloc[0]) if len(hit) else None


def layer(level: str) -> dict:
    """A boundary layer as GeoJSON, parsed once per served database file."""
    store = get_store()
    return _layer(level, str(store.db_path), store.stamp())


@lru_cache(maxsize=8)
def _layer(level: str, _db: str, _stamp: object) -> dict:
    return json.loads(layer_text(level) or "null")


def layer_url(level: str) -> str:
    """Where the browser fetches a national layer; the build's stamp in the URL lets it keep
    the file until a new build is swapped in."""
    return f"/grenzen/{level}.geojson?v={build_token()}"


def area_layer_url(municipality: str) -> str:
    return f"/grenzen/wijken/{municipality}.geojson?v={build_token()}"


def build_token() -> str:
    import hashlib

    return hashlib.sha256(repr(get_store().stamp()).encode()).hexdigest()[:12]


def layer_text(level: str) -> str | None:
    """A national layer's GeoJSON text as stored (served as a file)."""
    rows = get_store().query("SELECT geojson FROM boundary_layers WHERE level = ?", [level])
    return str(rows["geojson"].iloc[0]) if len(rows) else None


def area_layer_text(municipality: str, level: str = "WK") -> str | None:
    rows = get_store().query("SELECT geojson FROM area_layers WHERE municipality_code = ? "
                             "AND level = ?", [municipality, level])
    return str(rows["geojson"].iloc[0]) if len(rows) else None


def periods(indicator: str) -> list[str]:
    df = get_store().cached("SELECT DISTINCT period_key FROM results WHERE indicator = ? "
                            "ORDER BY period_key DESC", indicator)
    return list(df["period_key"])


def indicator_results(indicator: str, period_key: str, level: str = "GM",
                      reference: str = "nl") -> pd.DataFrame:
    return with_reference(get_store().query(
        "SELECT r.*, g.name FROM results r JOIN regions g ON g.code = r.region_code "
        "WHERE r.indicator = ? AND r.period_key = ? AND r.level = ? ORDER BY r.region_code",
        [indicator, period_key, level]), reference)


def series_all(code: str, reference: str = "nl") -> pd.DataFrame:
    """Every indicator's series for one region, in one query (against `reference`)."""
    return with_reference(get_store().query(
        "SELECT indicator, region_code, period_key, value, numerator, denominator, peer_value, "
        "national_value, suppressed, index, category FROM results WHERE region_code = ? "
        "ORDER BY indicator, period_key", [code]), reference)


def with_reference(frame: pd.DataFrame, reference: str = "nl") -> pd.DataFrame:
    """Results rows compared with `reference` instead of the country (read/references.py):
    the comparisons of exactly these rows' municipalities, indicators and periods. A
    municipality without its own survey estimate shows its politie-eenheid's, labelled
    (read/estimates.py)."""
    frame = _with_stand_ins(frame)
    if reference == references.DEFAULT or frame.empty:
        return references.compared(frame, references.DEFAULT, None, regions())
    rows = get_store().query(
        "SELECT * FROM comparisons WHERE reference = ? AND list_contains(?, region_code) "
        "AND list_contains(?, indicator)",
        [reference, sorted(set(frame["region_code"])), sorted(set(frame["indicator"]))])
    compared = references.compared(frame, reference, rows, regions())
    # a politie-eenheid's estimate is compared with the country only
    stand_ins = compared.get("figure_of", pd.Series(None, index=compared.index)).astype(
        str).str.startswith("politie-eenheid")
    for column in references.COMPARED:
        compared.loc[stand_ins, column] = None if column == "category" else np.nan
    return compared


def _with_stand_ins(frame: pd.DataFrame) -> pd.DataFrame:
    if not estimates.needs_stand_in(frame).any():
        return estimates.stand_in(frame, pd.DataFrame(), regions())
    return estimates.stand_in(frame, regional_estimates(), regions())


def regional_estimates() -> pd.DataFrame:
    """The politie-eenheden's survey estimates (the rows with CBS's interval), read once per
    build."""
    return get_store().cached("SELECT * FROM results WHERE level = 'RE' "
                              "AND estimate_lower IS NOT NULL")


def latest_for_regions(codes: list[str], reference: str = "nl") -> pd.DataFrame:
    """Each indicator's latest period, for the given regions (against `reference`)."""
    return with_reference(get_store().query(
        """SELECT r.*, g.name FROM results r JOIN regions g ON g.code = r.region_code
           JOIN (SELECT indicator, max(period_key) AS p FROM results GROUP BY indicator) l
             ON l.indicator = r.indicator AND l.p = r.period_key
           WHERE list_contains(?, r.region_code)""", [codes]), reference)


def for_regions_in_year(codes: list[str], year: int | None = None,
                        reference: str = "nl") -> pd.DataFrame:
    """Each indicator's figure of the given year for the regions (its latest period of that
    year: a year or its second half-year), or the latest period when `year` is None."""
    if year is None:
        return latest_for_regions(codes, reference)
    return with_reference(get_store().query(
        """SELECT r.*, g.name FROM results r JOIN regions g ON g.code = r.region_code
           JOIN (SELECT indicator, max(period_key) AS p FROM results WHERE year = ?
                 GROUP BY indicator) l ON l.indicator = r.indicator AND l.p = r.period_key
           WHERE list_contains(?, r.region_code)""", [year, codes]), reference)


def result_years() -> list[int]:
    """Every year with results, newest first."""
    return [int(y) for (y,) in get_store().query(
        "SELECT DISTINCT year FROM results ORDER BY year DESC").itertuples(index=False)]


def index_spread(reference: str = "nl") -> pd.DataFrame:
    """Per indicator, at its latest period: how the municipalities' indices (against
    `reference`) spread: the 5th, 25th, 75th and 95th percentiles over the shown figures (the
    spine chart's bands)."""
    latest = "(SELECT indicator, max(period_key) AS p FROM results GROUP BY indicator)"
    if reference == references.DEFAULT:
        source, where, params = "results", "level = 'GM'", []
    else:
        source, where, params = "comparisons", "reference = ?", [reference]
    return get_store().cached(  # the same until the next build: computed once per build
        f"""SELECT c.indicator, quantile_cont(c.index, 0.05) AS p05,
                   quantile_cont(c.index, 0.25) AS p25, quantile_cont(c.index, 0.75) AS p75,
                   quantile_cont(c.index, 0.95) AS p95, count(c.index) AS n
            FROM {source} c JOIN {latest} l ON l.indicator = c.indicator AND l.p = c.period_key
            WHERE {where} AND c.index > 0 GROUP BY c.indicator""", *params)


def members(region_code: str) -> pd.DataFrame:
    return get_store().query(
        "SELECT * FROM regions WHERE level = 'GM' AND (province_code = ? OR riec_code = ?) "
        "ORDER BY name", [region_code, region_code])


def composite(code: str) -> pd.DataFrame:
    return get_store().query("SELECT * FROM composites WHERE region_code = ?", [code])


def indicator_status() -> pd.DataFrame:
    return get_store().cached("SELECT * FROM indicator_status")


def provenance() -> pd.DataFrame:
    return get_store().cached("SELECT * FROM provenance ORDER BY table_id")


def build_info() -> dict:
    df = get_store().cached("SELECT * FROM build_info")
    return df.iloc[0].to_dict()



def region_export_rows(region_code: str, all_periods: bool = False) -> pd.DataFrame:
    """Latest result of every indicator (or every period's) for the region, its
    municipalities and Nederland."""
    latest = "" if all_periods else """JOIN (SELECT indicator, max(period_key) AS p FROM results
           GROUP BY indicator) l ON l.indicator = r.indicator AND l.p = r.period_key"""
    return _with_stand_ins(get_store().query(
        f"""SELECT r.*, g.name FROM results r JOIN regions g ON g.code = r.region_code
           {latest}
           WHERE r.region_code = ? OR r.region_code = ? OR r.region_code IN
             (SELECT code FROM regions WHERE level = 'GM' AND (province_code = ? OR riec_code = ?))
           ORDER BY r.level = 'GM', g.name""",
        [region_code, NATIONAL_CODE, region_code, region_code]))


def search_options() -> list[dict]:
    """Every municipality of today for the search field, found also by a former name (Weesp,
    Haaren), a woonplaats (Oostburg) or a common name (Den Bosch), in the order the build gave
    them (zichtop/core/search.py): Enter on a full name takes that municipality."""
    rows = get_store().cached("SELECT label, value, search FROM search_options ORDER BY position")
    return rows.to_dict("records")


def peers(code: str) -> pd.DataFrame:
    """The 15 statistical nearest neighbours of a municipality, nearest first."""
    return get_store().query(
        "SELECT p.peer_code AS code, g.name, p.rank FROM peers p JOIN regions g "
        "ON g.code = p.peer_code WHERE p.region_code = ? ORDER BY p.rank", [code])


def former_names_of(code: str) -> list[str]:
    df = get_store().cached("SELECT DISTINCT name FROM former_names WHERE to_code = ? "
                            "ORDER BY name", code)
    return list(df["name"])


def series_for_regions(codes: list[str]) -> pd.DataFrame:
    """Every indicator's series for several regions, in one query."""
    return get_store().query(
        "SELECT * FROM results WHERE list_contains(?, region_code) "
        "ORDER BY region_code, indicator, period_key", [codes])


def area_layer(municipality: str, level: str = "WK") -> dict | None:
    """The wijken of one municipality as GeoJSON (never the national layer)."""
    store = get_store()
    return _area_layer(municipality, level, str(store.db_path), store.stamp())


@lru_cache(maxsize=64)
def _area_layer(municipality: str, level: str, _db: str, _stamp: object) -> dict | None:
    text = area_layer_text(municipality, level)
    return json.loads(text) if text is not None else None


def area(code: str) -> pd.DataFrame:
    return get_store().query("SELECT * FROM areas WHERE code = ?", [code])


def area_results(indicator: str, parent: str, level: str) -> pd.DataFrame:
    """One indicator's latest figures for the areas of one parent (wijken of a municipality,
    buurten of a wijk), with names and inhabitants; areas without a row are included."""
    return get_store().query(
        """SELECT a.code AS region_code, a.name, a.inhabitants, r.* EXCLUDE (region_code)
           FROM areas a LEFT JOIN (
             SELECT * FROM area_results WHERE indicator = ? AND period_key =
               (SELECT max(period_key) FROM area_results WHERE indicator = ?)) r
             ON r.region_code = a.code
           WHERE a.parent_code = ? AND a.level = ? ORDER BY a.code""",
        [indicator, indicator, parent, level])


def area_coverage(municipality: str) -> pd.DataFrame:
    """Per area indicator and level: are this municipality's areas in the loaded data?"""
    return get_store().query("SELECT * FROM area_coverage WHERE municipality_code = ?",
                             [municipality])


def standing_out(municipality: str, indicators: list[str]) -> pd.DataFrame:
    """Wijken of a municipality significantly above the national average on risk indicators,
    highest z first."""
    return get_store().query(
        """SELECT r.*, a.name FROM area_results r JOIN areas a ON a.code = r.region_code
           WHERE r.municipality_code = ? AND r.level = 'WK' AND r.category = 'significant hoger'
             AND list_contains(?, r.indicator)
           ORDER BY r.z DESC""", [municipality, indicators])


def region_wijk_rows(region_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Latest wijk figures and wijk coverage of the municipalities of a region."""
    members = get_store().query("SELECT code FROM regions WHERE level = 'GM' AND "
                                "(province_code = ? OR riec_code = ?)",
                                [region_code, region_code])
    return wijk_rows(list(members["code"]))


def wijk_rows(municipalities: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Latest wijk figures (with names and inhabitants) and wijk coverage of municipalities."""
    rows = get_store().query(
        """SELECT r.*, a.name, a.inhabitants FROM area_results r
           JOIN areas a ON a.code = r.region_code
           JOIN (SELECT indicator, max(period_key) AS p FROM area_results GROUP BY indicator) l
             ON l.indicator = r.indicator AND l.p = r.period_key
           WHERE r.level = 'WK' AND list_contains(?, r.municipality_code)
           ORDER BY r.region_code""", [municipalities])
    coverage = get_store().query(
        "SELECT * FROM area_coverage WHERE list_contains(?, municipality_code)",
        [municipalities])
    return rows, coverage


def area_coverage_summary() -> pd.DataFrame:
    """Per area indicator and level: how many municipalities are complete, not loaded, or have
    no figures from CBS; and how many areas have a shown figure."""
    return get_store().cached(
        """SELECT c.indicator, c.level,
                  count(*) FILTER (WHERE c.status = 'volledig') AS "volledig",
                  count(*) FILTER (WHERE c.status = 'niet geladen') AS "niet geladen",
                  count(*) FILTER (WHERE c.status = 'geen cijfers') AS "geen cijfers",
                  sum(c.n_value)::INTEGER AS wijken_met_cijfer
           FROM area_coverage c GROUP BY ALL ORDER BY c.indicator, c.level DESC""")


def district_estimates(region_code: str, indicator_ids: list[str]) -> pd.DataFrame:
    """CBS's survey estimates of the police districts of one politie-eenheid (core/police.py)
    and of the country, for survey indicators, in the latest period: indicator, region_code,
    period_key, value, lower, upper (one row per indicator and area)."""
    from dataclasses import replace

    from zichtop.core import police
    from zichtop.indicators.catalog import spec_for
    from zichtop.indicators.registry import indicators

    districts = [c for c, re in police.EENHEID.items() if re == region_code]
    parts = []
    for ind_id in indicator_ids:
        source = indicators()[ind_id][1].numerator
        if source.lower is None or source.upper is None:
            continue
        spec = spec_for(source.table, source.measure)
        dims = {bound: spec.dims_key({**source.filters, source.interval_dimension: member})
                for bound, member in (("lower", source.lower), ("upper", source.upper))}
        dims["value"] = spec.dims_key(replace(source).filters)
        parts.append(get_store().query(
            """SELECT ? AS indicator, region_code, period_key,
                   max(value) FILTER (WHERE dims = ?) AS value,
                   max(value) FILTER (WHERE dims = ?) AS lower,
                   max(value) FILTER (WHERE dims = ?) AS upper
                FROM observations WHERE table_id = ? AND measure = ?
                  AND list_contains(?, region_code)
                  AND period_key = (SELECT max(period_key) FROM observations WHERE table_id = ?)
                GROUP BY ALL""",
            [ind_id, dims["value"], dims["lower"], dims["upper"], source.table, source.measure,
             [*districts, NATIONAL_CODE], source.table]))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
