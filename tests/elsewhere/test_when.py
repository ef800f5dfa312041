"""Reading a helper's "when" ("Thursday 4pm"): a table, and properties that hold for any text."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.elsewhere.when import When, parse_when

THURSDAY_3PM = datetime(2026, 11, 26, 15, 0)  # Thursday 26 November 2026, 15:00


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday 4pm", When(date(2026, 11, 26), time(16, 0))),  # later today
        ("Thursday 2pm", When(date(2026, 12, 3), time(14, 0))),  # already past: next week
        ("thursday", When(date(2026, 12, 3), None)),
        ("tomorrow at 10", When(date(2026, 11, 27), time(10, 0))),
        ("at 3 tomorrow", When(date(2026, 11, 27), time(15, 0))),  # a bare 3 is the afternoon
        ("today at 5:30pm", When(date(2026, 11, 26), time(17, 30))),
        ("3 Dec 14:00", When(date(2026, 12, 3), time(14, 0))),
        ("Dec 3rd", When(date(2026, 12, 3), None)),
        ("3 December, 9.15am", When(date(2026, 12, 3), time(9, 15))),
        ("2 Jan", When(date(2027, 1, 2), None)),  # no year: the next 2 January
        ("2026-12-03 10:00", When(date(2026, 12, 3), time(10, 0))),
        ("next Monday at 9:30am", When(date(2026, 11, 30), time(9, 30))),
        ("Friday morning", When(date(2026, 11, 27), None)),
        ("around noon on Tuesday", When(date(2026, 12, 1), time(12, 0))),
        ("Mon 12am", When(date(2026, 11, 30), time(0, 0))),
        ("Thursday 3 Dec", When(date(2026, 12, 3), None)),
        ("Tuesday at 7pm, on video", When(date(2026, 12, 1), time(19, 0))),
        ("Thursday after 4pm", When(date(2026, 11, 26), time(16, 0))),
        # Unreadable: left out of the calendar rather than guessed.
        ("4pm", None),  # which day?
        ("sometime next week", None),
        ("Thursday or Friday", None),
        ("thursday 4pm or friday 2pm", None),
        ("Wednesday 3 Dec", None),  # the 3rd is a Thursday
        ("30 Feb", None),
        ("13pm", None),
        ("25:00 tomorrow", None),
        ("whenever suits you", None),
        ("Within three days", None),
        ("", None),
        ("3/12", None),  # 3 December or 12 March?
    ],
)
def test_it_reads_the_common_shapes_and_refuses_to_guess(text, expected) -> None:
    assert parse_when(text, THURSDAY_3PM) == expected


@given(st.text(max_size=80), st.datetimes(min_value=datetime(2000, 1, 1)))
def test_it_never_raises_and_never_lands_before_the_day_it_was_said(text, said) -> None:
    when = parse_when(text, said)
    if when is not None and not re.search(r"\d{4}-", text):  # an ISO date may be any day
        assert when.day >= said.date()
