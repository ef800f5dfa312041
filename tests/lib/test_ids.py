import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.lib.ids import MAX_ID, parse_id, parse_ids


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        (" 12 ", 12),
        (7, 7),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() is true, but they are not ids here
        ("0", None),
        ("-3", None),
        ("3.0", None),
        ("", None),
        (None, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
    ],
)
def test_it_parses_only_plain_positive_ascii_ids(value, expected):
    assert parse_id(value) == expected


@given(st.text(max_size=30))
def test_it_never_raises_and_only_returns_ids_in_range(text):
    result = parse_id(text)
    assert result is None or 0 < result <= MAX_ID


def test_it_keeps_valid_ids_once_in_order():
    assert parse_ids(["3", "x", "²", "1", "3"]) == [3, 1]
