"""The style guide's colour rules (docs/style.md): text contrast at WCAG AA and the meaning of
each colour in one place."""

import re
from pathlib import Path

import pytest

from zichtop.core.config import REPO_ROOT
from zichtop.read import presentation as p

CSS = (REPO_ROOT / "assets" / "zichtop.css").read_text()


def luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def variable(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)[1]  # type: ignore[index]


def test_contrast_by_hand():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # known AA miss


@pytest.mark.parametrize(("fore", "back"), [
    ("ink", "#fafafa"), ("muted", "#ffffff"), ("muted", "#fafafa"), ("#ffffff", "brand"),
    ("#3b2f86", "#ffffff"), ("ink", "#fff7e6"), ("#555555", "#ffffff"), ("#111111", "too-small"),
    ("#111111", "no-data"), ("ink", "#fdecea"),
])
def test_text_contrast_meets_wcag_aa(fore, back):
    colours = [c if c.startswith("#") else variable(c) for c in (fore, back)]
    assert contrast(*colours) >= 4.5, (fore, back, contrast(*colours))


def test_css_and_presentation_agree_on_the_two_greys():
    assert variable("too-small").lower() == p.TOO_SMALL_COLOUR
    assert variable("no-data").lower() == p.NO_DATA_COLOUR
    assert p.NO_DATA_COLOUR != p.CATEGORY_COLOURS["binnen de normale spreiding"] != p.TOO_SMALL_COLOUR


def test_style_guide_names_every_colour():
    guide = (Path(REPO_ROOT) / "docs" / "style.md").read_text()
    for colour in (*p.CATEGORY_COLOURS.values(), p.TOO_SMALL_COLOUR, p.NO_DATA_COLOUR,
                   p.PEER_COLOUR):
        assert colour in guide, colour


def test_numbers_are_dutch():
    assert p.number(1234567.891, 2) == "1.234.567,89"
    assert p.number(0.5, 1) == "0,5" and p.number(None) == ""
    assert p.period_label("2024HJ01") == "1e halfjaar 2024" and p.period_label("2024JJ00") == "2024"
