"""SVG geometry for the insights page's bar charts and event marks. Pure: no Django.

Lines come from helpwanted.journey.charts.line_chart; this module adds what lines can't show:

- `bar_chart`: grouped bars, either columns over time (vertical) or rows per category
  (horizontal). A horizontal chart puts each category's label above its bars, so long labels
  like "Former colleague" stay readable on a 375 px phone.
- `event_marks`: a row of counted marks under a line chart (asks sent, rejections shared),
  on the same x positions as the line chart's points.

The template draws what these return; the numbers it prints come from the same values.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from helpwanted.journey.charts import Tick, thin_labels, x_positions


@dataclass(frozen=True)
class BarSeries:
    """One set of bars: a key (for CSS classes), a readable name, a value per label.

    `texts` are the printed values (e.g. "67%"); by default each value as a number.
    """

    key: str
    name: str
    values: Sequence[float]
    texts: Sequence[str] | None = None
    hatched: bool = False  # striped bars, so two series never differ by colour alone


@dataclass(frozen=True)
class Bar:
    key: str
    name: str
    label: str  # the category or week it belongs to
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    text_x: float  # where to print `text`: just past the end of the bar, or inside it
    text_y: float
    hatched: bool = False
    text_inside: bool = False  # horizontal only: no room past the end, so print it inside


@dataclass(frozen=True)
class Group:
    label: str
    label_x: float
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    horizontal: bool
    groups: tuple[Group, ...]
    value_ticks: tuple[Tick, ...]  # positions along the value axis (y if vertical, x if not)
    label_ticks: tuple[Tick, ...]  # vertical only: the category labels printed under the axis
    value_max: float

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for group in self.groups for bar in group.bars)

    @property
    def series(self) -> tuple[tuple[str, str, bool], ...]:
        """(key, name, hatched) of each series, in order: for the legend and the patterns."""
        if not self.groups:
            return ()
        return tuple((bar.key, bar.name, bar.hatched) for bar in self.groups[0].bars)


def _r(value: float) -> float:
    return round(value, 1)


def nice_scale(largest: float, *, ticks: int = 4) -> tuple[float, float]:
    """An axis maximum and step that are round numbers (1, 2 or 5 × 10ⁿ) covering `largest`.

    Counts never get fractional steps: the step is at least 1.
    """
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw - 1e-9)
    step = max(step, 1.0)
    return float(math.ceil(largest / step - 1e-9) * step), float(step)


def _value_ticks(value_max: float, step: float) -> list[float]:
    count = round(value_max / step)
    return [i * step for i in range(count + 1)]


def text_width(text: str, *, font_size: float = 15) -> float:
    """A generous estimate of a label's width in user units (no font metrics here)."""
    return len(text) * font_size * 0.6


def _check(labels: Sequence[str], series: Sequence[BarSeries]) -> None:
    if not series:
        raise ValueError("a bar chart needs at least one series")
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.key!r} has {len(s.values)} values for {len(labels)} labels"
            )
        if s.texts is not None and len(s.texts) != len(labels):
            raise ValueError(f"series {s.key!r} has {len(s.texts)} texts for {len(labels)} labels")
        if any(v < 0 for v in s.values):
            raise ValueError(f"series {s.key!r} has a negative value")


def _text(s: BarSeries, i: int) -> str:
    return s.texts[i] if s.texts is not None else f"{s.values[i]:g}"


def bar_chart(
    *,
    labels: Sequence[str],
    series: Sequence[BarSeries],
    horizontal: bool = False,
    value_max: float | None = None,
    value_step: float | None = None,
    width: int = 560,
    height: int = 280,
    margin: tuple[float, float, float, float] = (16, 16, 40, 40),  # top, right, bottom, left
    max_label_ticks: int = 6,
    bar_size: float = 18,  # horizontal only: each bar's thickness
    label_size: float = 26,  # horizontal only: room for a category's label above its bars
    group_gap: float = 14,  # horizontal only: space between categories
) -> BarChart:
    """The geometry for grouped bars of `series` over `labels`.

    Vertical: columns side by side within each label's slot, on a fixed `height`.
    Horizontal: one block per label, its label on top and one bar per series below; the height
    grows with the number of labels (the `height` argument is ignored).
    The value axis runs from 0 to `value_max` (by default a round number above the largest).
    """
    _check(labels, series)
    largest = max((v for s in series for v in s.values), default=0)
    if value_max is None:
        value_max, auto_step = nice_scale(largest)
        value_step = value_step or auto_step
    else:
        if value_max <= 0:
            raise ValueError("value_max must be positive")
        value_step = value_step or nice_scale(value_max)[1]
    top, right_margin, bottom_margin, left = margin
    if horizontal:
        return _horizontal(
            labels, series, value_max, value_step, width, (top, right_margin, bottom_margin, left),
            bar_size, label_size, group_gap,
        )  # fmt: skip
    right, bottom = width - right_margin, height - bottom_margin

    def y_of(value: float) -> float:
        return _r(bottom - min(value, value_max) / value_max * (bottom - top))

    slot = (right - left) / len(labels) if labels else 0
    inner = slot * 0.8  # a fifth of each slot is the gap between weeks
    bar_w = inner / len(series)
    groups = []
    for i, label in enumerate(labels):
        start = left + i * slot + (slot - inner) / 2
        bars = []
        for j, s in enumerate(series):
            x = start + j * bar_w
            y = y_of(s.values[i])
            bars.append(
                Bar(
                    key=s.key,
                    name=s.name,
                    label=label,
                    value=s.values[i],
                    text=_text(s, i),
                    hatched=s.hatched,
                    x=_r(x),
                    y=y,
                    width=_r(bar_w),
                    height=_r(bottom - y),
                    text_x=_r(x + bar_w / 2),
                    text_y=_r(y - 4),
                )
            )
        groups.append(Group(label, _r(left + (i + 0.5) * slot), bottom, tuple(bars)))
    value_ticks = tuple(
        Tick(pos=y_of(v), label=f"{v:g}") for v in _value_ticks(value_max, value_step)
    )
    label_ticks = tuple(
        Tick(pos=groups[i].label_x, label=labels[i])
        for i in thin_labels(len(labels), max_label_ticks)
    )
    return BarChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        horizontal=False,
        groups=tuple(groups),
        value_ticks=value_ticks,
        label_ticks=label_ticks,
        value_max=value_max,
    )


def _horizontal(
    labels: Sequence[str],
    series: Sequence[BarSeries],
    value_max: float,
    value_step: float,
    width: int,
    margin: tuple[float, float, float, float],
    bar_size: float,
    label_size: float,
    group_gap: float,
) -> BarChart:
    top, right_margin, bottom_margin, left = margin
    right = width - right_margin

    def x_of(value: float) -> float:
        return _r(left + min(value, value_max) / value_max * (right - left))

    block = label_size + bar_size * len(series) + group_gap
    groups = []
    for i, label in enumerate(labels):
        block_top = top + i * block
        bars = []
        for j, s in enumerate(series):
            y = block_top + label_size + j * bar_size
            end = x_of(s.values[i])
            text = _text(s, i)
            inside = end + 6 + text_width(text) > right and end - left > text_width(text) + 12
            bars.append(
                Bar(
                    key=s.key,
                    name=s.name,
                    label=label,
                    value=s.values[i],
                    text=text,
                    hatched=s.hatched,
                    text_inside=inside,
                    x=left,
                    y=_r(y + 1),
                    width=_r(end - left),
                    height=_r(bar_size - 2),
                    text_x=_r(end - 6 if inside else end + 6),
                    text_y=_r(y + bar_size / 2),
                )
            )
        groups.append(Group(label, left, _r(block_top + label_size - 8), tuple(bars)))
    bottom = _r(top + len(labels) * block)
    height = math.ceil(bottom + margin[2])
    value_ticks = tuple(
        Tick(pos=x_of(v), label=f"{v:g}") for v in _value_ticks(value_max, value_step)
    )
    return BarChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        horizontal=True,
        groups=tuple(groups),
        value_ticks=value_ticks,
        label_ticks=(),
        value_max=value_max,
    )


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    count: int
    label: str


def event_marks(
    *, labels: Sequence[str], counts: Sequence[int], left: float, right: float, y: float
) -> tuple[Mark, ...]:
    """One mark per label with a count above zero, centred where a line chart puts that label."""
    if len(counts) != len(labels):
        raise ValueError(f"{len(counts)} counts for {len(labels)} labels")
    xs = x_positions(len(labels), left, right)
    return tuple(
        Mark(x=xs[i], y=y, count=count, label=labels[i])
        for i, count in enumerate(counts)
        if count > 0
    )


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, rounded half up; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (part * 200 + whole) // (whole * 2)
