import pytest

from zichtop.core.errors import ValueProblem
from zichtop.core.periods import Period, parse_period


@pytest.mark.parametrize(("text", "expected"), [
    ("2024JJ00", Period(2024, "JJ", 0)),
    ("2024HJ01", Period(2024, "HJ", 1)),
    ("2024KW01", Period(2024, "KW", 1)),
    ("2024MM01", Period(2024, "MM", 1)),
    ("2024", Period(2024, "JJ", 0)),
    ("1e halfjaar 2024", Period(2024, "HJ", 1)),
    ("2e halfjaar 2023", Period(2023, "HJ", 2)),
    ("1e half jaar 2024", Period(2024, "HJ", 1)),
    ("  2024 ", Period(2024, "JJ", 0)),
    ("2024*", Period(2024, "JJ", 0)),
    ("2023 3e kwartaal", Period(2023, "KW", 3)),
    ("2023 maart", Period(2023, "MM", 3)),
])
def test_keys_and_titles_parse_to_one_form(text, expected):
    assert parse_period(text) == expected


def test_key_round_trip():
    assert parse_period("1e halfjaar 2024").key == "2024HJ01"
    assert parse_period("2024").label == "2024"
    assert parse_period("2024HJ02").label == "2e halfjaar 2024"


@pytest.mark.parametrize("bad", ["2024HJ03", "halfjaar", "2024 smarch", "24", ""])
def test_bad_period_names_table_and_value(bad):
    with pytest.raises(ValueProblem, match=r"table 85099NED: cannot read period"):
        parse_period(bad, table="85099NED")
