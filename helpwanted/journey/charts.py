"""SVG geometry for a small line chart. Pure: plain data in, plain data out, no Django.

The template draws what this returns. A value of None is a gap: the line breaks there rather
than pretending to know what happened. A lone value between gaps is drawn as a marker only.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeriesIn:
    """One line to draw: a key (for CSS classes), a readable name, a dash pattern, its values."""

    key: str
    name: str
    values: Sequence[float | None]
    dash: str = ""  # an SVG stroke-dasharray; "" is a solid line
    marker: str = "circle"  # circle, square or diamond: so no line relies on colour alone


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    dash: str
    marker: str
    points: tuple[Point, ...]
    paths: tuple[str, ...]  # one "M … L …" path per unbroken run of two or more points


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not any(line.points for line in self.lines)

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top


def _r(value: float) -> float:
    return round(value, 1)


def x_positions(count: int, left: float, right: float) -> list[float]:
    """Evenly spaced centres; a single position sits in the middle."""
    if count <= 0:
        return []
    if count == 1:
        return [_r((left + right) / 2)]
    step = (right - left) / (count - 1)
    return [_r(left + i * step) for i in range(count)]


def y_position(value: float, *, y_min: float, y_max: float, top: float, bottom: float) -> float:
    """Map a value onto the plot, clamped to the axis range (higher values are higher up)."""
    if y_max <= y_min:
        raise ValueError("y_max must be greater than y_min")
    clamped = min(max(value, y_min), y_max)
    return _r(bottom - (clamped - y_min) / (y_max - y_min) * (bottom - top))


def runs(points: Sequence[Point | None]) -> list[list[Point]]:
    """Split a sequence at its gaps (None) into unbroken runs."""
    out: list[list[Point]] = []
    current: list[Point] = []
    for point in points:
        if point is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append(point)
    if current:
        out.append(current)
    return out


def path_d(run: Sequence[Point]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{p.x:g} {p.y:g}" for i, p in enumerate(run))


def thin_labels(count: int, max_ticks: int) -> list[int]:
    """Which label indexes to print on the x axis: every k-th, always ending on the latest."""
    if count <= 0 or max_ticks <= 0:
        return []
    step = max(1, -(-count // max_ticks))  # ceiling division
    return sorted(range(count - 1, -1, -step))


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[SeriesIn],
    y_min: float,
    y_max: float,
    y_step: float = 1,
    width: int = 640,
    height: int = 280,
    margin: tuple[float, float, float, float] = (16, 16, 40, 40),  # top, right, bottom, left
    max_x_ticks: int = 6,
) -> LineChart:
    """The geometry for a line chart of `series` over `labels`, on a fixed y range."""
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.key!r} has {len(s.values)} values for {len(labels)} labels"
            )
    top, right_margin, bottom_margin, left = margin
    right, bottom = width - right_margin, height - bottom_margin
    xs = x_positions(len(labels), left, right)

    y_ticks = []
    tick = y_min
    while tick <= y_max + 1e-9:
        pos = y_position(tick, y_min=y_min, y_max=y_max, top=top, bottom=bottom)
        y_ticks.append(Tick(pos=pos, label=f"{tick:g}"))
        tick += y_step
    x_ticks = tuple(Tick(pos=xs[i], label=labels[i]) for i in thin_labels(len(labels), max_x_ticks))

    lines = []
    for s in series:
        placed: list[Point | None] = [
            None
            if value is None
            else Point(
                x=xs[i],
                y=y_position(value, y_min=y_min, y_max=y_max, top=top, bottom=bottom),
                value=value,
                label=labels[i],
            )
            for i, value in enumerate(s.values)
        ]
        segments = runs(placed)
        lines.append(
            Line(
                key=s.key,
                name=s.name,
                dash=s.dash,
                marker=s.marker,
                points=tuple(p for p in placed if p is not None),
                paths=tuple(path_d(run) for run in segments if len(run) > 1),
            )
        )
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=tuple(y_ticks),
        lines=tuple(lines),
    )
