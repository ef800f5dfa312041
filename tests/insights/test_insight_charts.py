"""The pure bar and mark geometry: tables for the cases, hypothesis for the properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.insights.charts import (
    BarSeries,
    bar_chart,
    event_marks,
    nice_scale,
    percent,
    text_width,
)
from helpwanted.journey.charts import line_chart, x_positions

# Vertical plot: x from 40 to 540, y from 16 (top) to 216 (bottom): 500 wide, 200 high.
BOX = {"width": 560, "height": 256, "margin": (16, 20, 40, 40)}


@pytest.mark.parametrize(
    ("largest", "expected"),
    [
        (0, (1.0, 1.0)),  # nothing yet: a 0–1 axis, never a division by zero
        (1, (1.0, 1.0)),  # counts never get fractional steps
        (3, (3.0, 1.0)),
        (4, (4.0, 1.0)),
        (5, (6.0, 2.0)),
        (9, (10.0, 5.0)),
        (17, (20.0, 5.0)),
        (100, (100.0, 50.0)),
        (101, (150.0, 50.0)),
        (730, (800.0, 200.0)),
    ],
)
def test_the_value_axis_ends_on_a_round_number(largest, expected):
    assert nice_scale(largest) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 4, 0),
        (1, 3, 33),
        (2, 3, 67),
        (1, 2, 50),
        (1, 8, 13),
        (4, 4, 100),
        (0, 0, None),
        (3, 0, None),
    ],
)
def test_percentages_round_half_up_and_never_divide_by_zero(part, whole, expected):
    assert percent(part, whole) == expected


def test_columns_stand_on_the_axis_and_scale_to_the_maximum():
    chart = bar_chart(
        labels=["a", "b"],
        series=[BarSeries("sent", "Sent", [4, 2]), BarSeries("answered", "Answered", [0, 1])],
        **BOX,
    )
    assert chart.value_max == 4
    assert [t.label for t in chart.value_ticks] == ["0", "1", "2", "3", "4"]
    assert [t.pos for t in chart.value_ticks] == [216.0, 166.0, 116.0, 66.0, 16.0]
    (a_sent, a_answered), (b_sent, b_answered) = (g.bars for g in chart.groups)
    assert (a_sent.y, a_sent.height) == (16.0, 200.0)  # the tallest bar fills the plot
    assert (b_sent.y, b_sent.height) == (116.0, 100.0)
    assert (a_answered.y, a_answered.height) == (216.0, 0.0)  # zero is flat, not missing
    assert b_answered.height == 50.0
    # Each label gets half the width; bars sit side by side inside 80% of their slot.
    assert a_sent.x == 65.0 and a_answered.x == 165.0 and b_sent.x == 315.0
    assert a_sent.width == 100.0
    assert [g.label_x for g in chart.groups] == [165.0, 415.0]
    assert (a_sent.text, a_sent.text_x, a_sent.text_y) == ("4", 115.0, 12.0)
    assert chart.series == (("sent", "Sent", False), ("answered", "Answered", False))


def test_a_fixed_maximum_clamps_and_texts_print_as_given():
    chart = bar_chart(
        labels=["Friend", "Recruiter"],
        series=[BarSeries("rate", "Answered", [150, 50], texts=["150%", "50%"])],
        value_max=100,
        value_step=25,
        **BOX,
    )
    friend, recruiter = (g.bars[0] for g in chart.groups)
    assert friend.y == 16.0  # clamped at the top of the plot
    assert recruiter.y == 116.0
    assert (friend.text, recruiter.text) == ("150%", "50%")
    assert [t.label for t in chart.value_ticks] == ["0", "25", "50", "75", "100"]


def test_horizontal_bars_put_each_label_above_its_bars_and_grow_downwards():
    chart = bar_chart(
        labels=["Former colleague", "Friend", "Family"],
        series=[
            BarSeries("reached", "Reached", [3, 6, 0]),
            BarSeries("now", "Now", [1, 7, 0], hatched=True),
        ],
        horizontal=True,
        width=480,
        margin=(8, 20, 32, 10),
        bar_size=20,
        label_size=26,
        group_gap=14,
    )
    assert chart.horizontal and chart.value_max == 8
    block = 26 + 2 * 20 + 14
    assert chart.bottom == 8 + 3 * block
    assert chart.height == 8 + 3 * block + 32
    colleague, friend, family = chart.groups
    assert (colleague.label, colleague.label_x, colleague.label_y) == ("Former colleague", 10, 26.0)
    assert friend.label_y == 26.0 + block
    reached, now = friend.bars
    assert reached.x == now.x == 10
    assert reached.width == 337.5  # 6 of 8 across a 450-wide plot
    assert now.y == reached.y + 20
    assert now.hatched and not reached.hatched
    assert [b.width for b in family.bars] == [0.0, 0.0]
    assert reached.text_x == 10 + 337.5 + 6 and not reached.text_inside


def test_a_long_value_text_goes_inside_a_long_bar_rather_than_off_the_edge():
    chart = bar_chart(
        labels=["Friend", "Other"],
        series=[
            BarSeries("rate", "Answered", [100, 10], texts=["100% (12 of 12)", "10% (1 of 10)"])
        ],
        horizontal=True,
        value_max=100,
        width=480,
        margin=(8, 20, 32, 10),
    )
    full, short = (g.bars[0] for g in chart.groups)
    assert full.text_inside and full.text_x == 460 - 6
    assert not short.text_inside and short.text_x == 10 + 45 + 6
    assert short.text_x + text_width(short.text) <= chart.right


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labels": ["a"], "series": []}, "at least one series"),
        ({"labels": ["a", "b"], "series": [BarSeries("s", "S", [1])]}, "1 values for 2 labels"),
        ({"labels": ["a"], "series": [BarSeries("s", "S", [-1])]}, "negative"),
        ({"labels": ["a"], "series": [BarSeries("s", "S", [1], texts=[])]}, "0 texts"),
        ({"labels": ["a"], "series": [BarSeries("s", "S", [1])], "value_max": 0}, "positive"),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bar_chart(**kwargs)


def test_an_all_zero_chart_is_empty():
    chart = bar_chart(labels=["a", "b"], series=[BarSeries("s", "S", [0, 0])])
    assert chart.is_empty
    assert not bar_chart(labels=["a"], series=[BarSeries("s", "S", [1])]).is_empty


def test_vertical_labels_are_thinned_and_always_end_on_the_latest():
    labels = [f"w{i}" for i in range(12)]
    chart = bar_chart(
        labels=labels, series=[BarSeries("s", "S", [1] * 12)], max_label_ticks=6, **BOX
    )
    assert [t.label for t in chart.label_ticks] == ["w1", "w3", "w5", "w7", "w9", "w11"]


def test_event_marks_line_up_with_the_line_charts_points():
    labels = ["a", "b", "c", "d"]
    lines = line_chart(
        labels=labels, series=[], y_min=1, y_max=5, width=560, margin=(16, 28, 104, 36)
    )
    marks = event_marks(
        labels=labels, counts=[2, 0, 0, 5], left=lines.left, right=lines.right, y=290
    )
    assert [(m.label, m.count, m.y) for m in marks] == [("a", 2, 290), ("d", 5, 290)]
    assert [m.x for m in marks] == [36.0, 532.0]
    with pytest.raises(ValueError, match="3 counts for 4 labels"):
        event_marks(labels=labels, counts=[1, 2, 3], left=0, right=10, y=0)


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=20),
    st.booleans(),
)
def test_bars_never_leave_the_plot_and_keep_their_order(values, horizontal):
    chart = bar_chart(
        labels=[f"l{i}" for i in range(len(values))],
        series=[BarSeries("s", "S", values)],
        horizontal=horizontal,
    )
    assert max(values) <= chart.value_max
    bars = [g.bars[0] for g in chart.groups]
    for bar in bars:
        assert chart.left - 1e-6 <= bar.x and bar.x + bar.width <= chart.right + 0.2
        assert chart.top - 1e-6 <= bar.y and bar.y + bar.height <= chart.bottom + 0.2
        assert bar.width >= 0 and bar.height >= 0
    length = [b.width if horizontal else b.height for b in bars]
    pairs = sorted(zip(values, length, strict=True))
    assert [size for _, size in pairs] == sorted(size for _, size in pairs)
    ticks = [t.label for t in chart.value_ticks]
    assert ticks[0] == "0" and float(ticks[-1]) == chart.value_max


@given(st.integers(min_value=1, max_value=10**9))
def test_the_round_maximum_covers_the_largest_value_with_few_ticks(largest):
    top, step = nice_scale(largest)
    assert top >= largest
    assert step >= 1
    assert 1 <= top / step <= 10
    assert top - step < largest


@given(st.integers(min_value=1, max_value=30))
def test_event_marks_share_x_positions_with_lines(n):
    xs = x_positions(n, 36, 532)
    marks = event_marks(labels=[str(i) for i in range(n)], counts=[1] * n, left=36, right=532, y=0)
    assert [m.x for m in marks] == xs
