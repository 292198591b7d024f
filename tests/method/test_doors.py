"""The method's two doors (zichtop/method/hookspecs.py): every declared kind is registered, and
a reference chosen by name changes the yardstick, worked out by hand on frames in hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zichtop.indicators.model import ESTIMATE, MEAN, RATE, RATIO, SHARE
from zichtop.indicators.registry import area_indicators, indicators
from zichtop.method import municipal
from zichtop.method.kinds import KINDS, kind_of
from zichtop.method.municipalities import Municipalities
from zichtop.method.references import REFERENCES, reference_for


def test_every_declared_kind_is_a_registered_module():
    assert set(KINDS) == {RATE, SHARE, RATIO, MEAN, ESTIMATE}
    for _id, (_theme, ind) in {**indicators(), **area_indicators()}.items():
        assert kind_of(ind).name == ind.kind


def test_an_unknown_kind_or_reference_is_named():
    _theme, ind = indicators()["drugs_verdachten"]
    with pytest.raises(ValueError, match="unknown kind 'survey'"):
        kind_of(type(ind)(**{**ind.__dict__, "kind": "survey"}))
    with pytest.raises(ValueError, match="unknown reference 'gemeente'.*nl, regio, provincie, grootte, buren"):
        reference_for("gemeente", None)  # type: ignore[arg-type]
    assert set(REFERENCES) >= {"nl", "buren"}


def _six() -> tuple[pd.DataFrame, Municipalities]:
    """Six municipalities of 10 000 inhabitants with 20, 30, ..., 70 drug suspects; each one's
    neighbours are the five others."""
    codes = [f"GM000{i}" for i in range(1, 7)]
    rows = pd.DataFrame({"region_code": codes, "period_key": "2024JJ00",
                         "numerator": [20.0, 30.0, 40.0, 50.0, 60.0, 70.0],
                         "denominator": 10_000.0, "row_present": True,
                         "boundary_status": "native", "missing_share": np.nan})
    members = pd.DataFrame({"province_code": ["PV01"] * 3 + ["PV02"] * 3,
                            "riec_code": "RE01"}, index=codes)
    return rows, Municipalities(codes, members, pd.DataFrame({2024: 10_000.0}, index=codes),
                                np.ones((6, 6)) - np.eye(6))


def test_the_neighbours_as_reference_by_hand():
    """Against the neighbours: GM0001's five others hold 250 suspects on 50 000 inhabitants,
    5.0 per 1 000, so its 2.0 is index 40; GM0006's others 200 / 50 000 = 4.0, its 7.0 is index
    175. The regions' totals have no single neighbours' value: no index."""
    rows, area = _six()
    theme, ind = indicators()["drugs_verdachten"]
    out = municipal.compute(rows, ind, area, theme.id, reference_name="buren")
    gm = out[out["level"] == "GM"].set_index("region_code")
    assert gm.loc["GM0001", "national_value"] == pytest.approx(5.0)
    assert gm.loc["GM0001", "index"] == pytest.approx(40.0)
    assert gm.loc["GM0006", "national_value"] == pytest.approx(4.0)
    assert gm.loc["GM0006", "index"] == pytest.approx(175.0)
    # the peer columns are the same comparison, computed separately
    assert np.allclose(gm["peer_value"], gm["national_value"])
    assert out.loc[out["level"] != "GM", "index"].isna().all()


def test_a_group_reference_by_hand():
    """Against the size class, one class of six: 270 suspects on 60 000 inhabitants, 4.5 per
    1 000 (no rounding: every member's count is shown); GM0001's 2.0 is index 44, GM0006's
    7.0 index 156. Six municipalities are too few to calibrate the test (fewer than 20 with
    five expected events): "geen toets", as against the country. A province here has three
    members, fewer than five with a figure: no reference (it would be mostly the municipality
    itself)."""
    rows, area = _six()
    area.members["size_class"] = "a"
    theme, ind = indicators()["drugs_verdachten"]
    out = municipal.comparisons(rows, ind, area, ["provincie", "grootte"]).set_index(
        ["reference", "region_code"])
    size = out.loc["grootte"]
    assert list(size["reference_value"]) == pytest.approx([4.5] * 6)
    assert size.loc["GM0001", "index"] == pytest.approx(200 / 4.5)
    assert size.loc["GM0006", "index"] == pytest.approx(700 / 4.5)
    assert set(size["category"]) == {"geen toets"}
    assert list(size["reference_coverage"]) == [1.0] * 6
    assert list(size["members_shown"]) == [6.0] * 6
    province = out.loc["provincie"]
    assert province["reference_value"].isna().all() and province["index"].isna().all()
    assert list(province["members_shown"]) == [3.0] * 6


def test_a_group_reference_pools_shown_members_only():
    """GM0002 with 5 suspects is hidden (te klein): the size class pools the five others,
    240 / 50 000 = 4.8 per 1 000, on five sixths of its inhabitants; GM0002 itself gets no
    comparison at all, not even the reference's value (as `results` blanks its peer value)."""
    rows, area = _six()
    area.members["size_class"] = "a"
    rows.loc[1, "numerator"] = 5.0
    theme, ind = indicators()["drugs_verdachten"]
    out = municipal.comparisons(rows, ind, area, ["grootte"]).set_index("region_code")
    assert out.loc["GM0001", "reference_value"] == pytest.approx(4.8)
    assert out.loc["GM0001", "reference_coverage"] == pytest.approx(5 / 6)
    assert out.loc["GM0001", "members_shown"] == 5.0
    hidden = out.loc["GM0002"]
    assert np.isnan(hidden["reference_value"]) and np.isnan(hidden["index"])
    assert hidden["category"] is None


def test_the_country_as_reference_by_hand():
    """Against the country: 270 / 60 000 x 1 000 = 4.5, published in steps of 1 (half a step
    x 60 000 / 1 000 >= 10 needs a step of 1), and 4.5 rounds half to even: 4.0. GM0001's
    index is 2.0 / 4.0 = 50; PV01 pools 90 / 30 000 x 1 000 = 3.0, index 75."""
    rows, area = _six()
    theme, ind = indicators()["drugs_verdachten"]
    out = municipal.compute(rows, ind, area, theme.id)
    assert set(out["national_value"]) == {4.0}
    gm = out[out["level"] == "GM"].set_index("region_code")
    assert gm.loc["GM0001", "index"] == pytest.approx(50.0)
    pv01 = out[out["region_code"] == "PV01"].iloc[0]
    assert pv01["value"] == pytest.approx(90 / 30_000 * 1000)  # pooled, not the mean of rates
    assert pv01["index"] == pytest.approx(3.0 / 4.0 * 100)


def test_share_limits_per_reference_are_those_of_each_reference_alone():
    """A reference that differs by area: each area's limits are those of its own reference."""
    share = KINDS[SHARE]
    den = np.array([100.0, 100.0, 400.0])
    mixed = share.limits(den, np.array([50.0, 20.0, 20.0]), 100.0)  # type: ignore[attr-defined]
    half = share.limits(den[:1], 50.0, 100.0)  # type: ignore[attr-defined]
    fifth = share.limits(den[1:], 20.0, 100.0)  # type: ignore[attr-defined]
    for name in ("95", "998"):
        for side in (0, 1):
            assert mixed[name][side][0] == half[name][side][0]
            assert list(mixed[name][side][1:]) == list(fifth[name][side])


def test_search_order_puts_an_exact_name_first():
    """Unit: the options are ordered so that a municipality whose whole name is typed comes
    before every other whose search text contains it, whatever the alphabet says."""
    from zichtop.core.search import fold, options

    found = options([("GM0556", "Maassluis"), ("GM1714", "Sluis"), ("GM0715", "Terneuzen"),
                     ("GM1900", "Súdwest-Fryslân")],
                    {"GM0715": ["Sluiskil"], "GM1714": ["Oostburg"]})
    order = [o["value"] for o in found]
    assert order.index("GM1714") < order.index("GM0556")
    assert order.index("GM1714") < order.index("GM0715")
    assert "sudwest-fryslan" in found[order.index("GM1900")]["search"]
    assert fold("Súdwest-Fryslân") == "sudwest-fryslan"
    first = [o["value"] for o in found if "oostburg" in o["search"].lower()]
    assert first == ["GM1714"]


def test_a_woonplaats_is_its_own_option_named_with_its_gemeente():
    """Unit: a woonplaats reads "Oostburg (gemeente Sluis)" and leads to Sluis's code; it comes
    after every municipality (Enter on "Bergen" never takes a village); a woonplaats named as
    its own municipality (Sluis in Sluis, Middelburg in Middelburg (Z.)) is not listed twice."""
    from zichtop.core.search import options

    found = options([("GM1714", "Sluis"), ("GM0687", "Middelburg (Z.)"),
                     ("GM0893", "Bergen (L.)")], {},
                    [("GM1714", "Oostburg"), ("GM1714", "Sluis"), ("GM0687", "Middelburg"),
                     ("GM0893", "Wellerlooi")])
    labels = [o["label"] for o in found]
    assert labels == ["Bergen (L.) (GM0893)", "Middelburg (Z.) (GM0687)", "Sluis (GM1714)",
                      "Oostburg (gemeente Sluis)", "Wellerlooi (gemeente Bergen)"]
    assert found[3]["value"] == "GM1714#oostburg" and "oostburg" in found[3]["search"]
    assert "bergen" in found[0]["search"].split(" | ")  # the bare name is searchable
