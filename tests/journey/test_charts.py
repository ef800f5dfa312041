"""The pure line-chart geometry: tables for the cases, hypothesis for the properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.journey.charts import (
    Point,
    SeriesIn,
    line_chart,
    path_d,
    runs,
    thin_labels,
    x_positions,
    y_position,
)

# A plot from x 40 to 620 and y 16 (top) to 216 (bottom): 580 wide, 200 high.
BOX = {"width": 640, "height": 256, "margin": (16, 20, 40, 40)}


def chart(values, labels=None, **kwargs):
    labels = labels if labels is not None else [f"w{i}" for i in range(len(values))]
    series = [SeriesIn(key="hope", name="Hope", values=values)]
    return line_chart(labels=labels, series=series, y_min=1, y_max=5, **{**BOX, **kwargs})


@pytest.mark.parametrize(
    ("value", "expected_y"),
    [
        (1, 216.0),  # the bottom of the scale sits on the x axis
        (5, 16.0),  # the top of the scale touches the top of the plot
        (3, 116.0),  # the middle is the middle
        (2.5, 141.0),
        (0, 216.0),  # clamped: out-of-range values never leave the plot
        (9, 16.0),
    ],
)
def test_values_scale_onto_the_plot(value, expected_y):
    assert y_position(value, y_min=1, y_max=5, top=16, bottom=216) == expected_y


def test_an_empty_range_is_refused():
    with pytest.raises(ValueError, match="greater"):
        y_position(1, y_min=3, y_max=3, top=0, bottom=100)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, []),
        (1, [330.0]),  # a single point sits in the middle
        (2, [40.0, 620.0]),
        (3, [40.0, 330.0, 620.0]),
        (5, [40.0, 185.0, 330.0, 475.0, 620.0]),
    ],
)
def test_x_positions_are_evenly_spaced(count, expected):
    assert x_positions(count, 40, 620) == expected


def test_empty_data_gives_an_empty_chart_with_axes():
    result = chart([])
    assert result.is_empty
    assert result.lines[0].points == () and result.lines[0].paths == ()
    assert result.x_ticks == ()
    assert [t.label for t in result.y_ticks] == ["1", "2", "3", "4", "5"]
    assert [t.pos for t in result.y_ticks] == [216.0, 166.0, 116.0, 66.0, 16.0]


def test_all_gaps_is_empty_too():
    assert chart([None, None, None]).is_empty


def test_a_single_point_is_a_marker_in_the_middle_without_a_line():
    result = chart([4], labels=["3 Mar"])
    (line,) = result.lines
    assert line.points == (Point(x=330.0, y=66.0, value=4, label="3 Mar"),)
    assert line.paths == ()
    assert not result.is_empty


def test_a_full_series_is_one_path_through_every_point():
    result = chart([1, 3, 5])
    (line,) = result.lines
    assert [(p.x, p.y) for p in line.points] == [(40.0, 216.0), (330.0, 116.0), (620.0, 16.0)]
    assert line.paths == ("M40 216 L330 116 L620 16",)


@pytest.mark.parametrize(
    ("values", "paths", "marker_count"),
    [
        ([1, 2, None, 4, 5], ("M40 216 L185 166", "M475 66 L620 16"), 4),
        ([None, 2, 3, None, None], ("M185 166 L330 116",), 2),
        ([1, None, 3, None, 5], (), 3),  # isolated weeks: markers only, never a made-up line
        ([None, None, 3, 4, None], ("M330 116 L475 66",), 2),
    ],
)
def test_gaps_break_the_line(values, paths, marker_count):
    (line,) = chart(values).lines
    assert line.paths == paths
    assert len(line.points) == marker_count


def test_series_keep_their_dash_pattern_and_marker():
    result = line_chart(
        labels=["a", "b"],
        series=[
            SeriesIn(key="hope", name="Hope", values=[1, 2]),
            SeriesIn(key="energy", name="Energy", values=[3, 4], dash="10 6", marker="square"),
        ],
        y_min=1,
        y_max=5,
    )
    assert [(line.key, line.dash, line.marker) for line in result.lines] == [
        ("hope", "", "circle"),
        ("energy", "10 6", "square"),
    ]


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="3 labels"):
        chart([1, 2], labels=["a", "b", "c"])


@pytest.mark.parametrize(
    ("count", "max_ticks", "expected"),
    [
        (0, 6, []),
        (1, 6, [0]),
        (4, 6, [0, 1, 2, 3]),
        (12, 6, [1, 3, 5, 7, 9, 11]),  # always ends on the latest week
        (12, 4, [2, 5, 8, 11]),
        (12, 5, [2, 5, 8, 11]),  # never more than asked for
    ],
)
def test_x_labels_thin_out_to_fit(count, max_ticks, expected):
    assert thin_labels(count, max_ticks) == expected


def test_runs_and_paths_on_their_own():
    a, b, c = (Point(x=i, y=i * 2, value=1, label="") for i in range(3))
    assert runs([a, None, b, c, None]) == [[a], [b, c]]
    assert runs([]) == []
    assert path_d([b, c]) == "M1 2 L2 4"


scores = st.one_of(st.none(), st.floats(min_value=1, max_value=5, allow_nan=False))


@given(st.lists(scores, max_size=20))
def test_every_point_stays_inside_the_plot_and_values_are_kept(values):
    result = chart(values)
    (line,) = result.lines
    assert [p.value for p in line.points] == [v for v in values if v is not None]
    for p in line.points:
        assert result.left <= p.x <= result.right
        assert result.top <= p.y <= result.bottom


@given(st.lists(scores, min_size=1, max_size=20))
def test_higher_values_are_drawn_higher(values):
    (line,) = chart(values).lines
    ordered = sorted(line.points, key=lambda p: p.value)
    assert all(a.y >= b.y for a, b in zip(ordered, ordered[1:], strict=False))
