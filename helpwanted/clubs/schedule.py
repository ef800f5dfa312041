"""When a club meets: the meeting datetimes from its rhythm and timezone (pure, no Django).

A club meets on one weekday at one local wall-clock time, every `every_weeks` weeks, counted from
the week it was created. The time is local on purpose: a club that meets at 10:00 on Tuesdays in
London meets at 10:00 in summer and in winter, so its UTC instant moves with daylight saving.

Two edge cases of local time, decided once here:
- a time that does not exist (the hour skipped when clocks go forward) is read with the offset in
  force before the change, so a skipped 01:30 in London becomes 02:30 summer time;
- a time that happens twice (the hour repeated when clocks go back) is the first of the two.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@dataclass(frozen=True)
class Rhythm:
    weekday: int  # 0 is Monday
    at: time  # local wall-clock time
    minutes: int  # how long a meeting lasts
    every_weeks: int  # 1 is weekly
    timezone: str  # an IANA name, e.g. "Europe/London"
    since: date  # the club's first day (local): meetings are counted from its week


def zone(name: str) -> ZoneInfo:
    """The timezone called `name`, or UTC when the name is unknown (a stale or mistyped value)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_timezone(name: str) -> bool:
    return name in _zones()


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def local_start(day: date, at: time, tz: ZoneInfo) -> datetime:
    """`day` at the local time `at`, as an aware UTC datetime (DST rules in the module docstring)."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    local = naive.replace(tzinfo=tz, fold=0)
    # A skipped time round-trips to a different wall clock; fold=0 already uses the earlier offset,
    # which moves it forward by the gap, as documented above.
    return local.astimezone(UTC)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def meeting_days(rhythm: Rhythm, first: date, last: date) -> Iterator[date]:
    """Local dates from `first` to `last` (both included) on which the club meets."""
    every = max(1, rhythm.every_weeks)
    anchor = _monday(rhythm.since)
    start = max(first, rhythm.since)
    # The first candidate: the meeting weekday in start's week, moved to a week on the rhythm.
    week = _monday(start)
    offset_weeks = ((week - anchor).days // 7) % every
    if offset_weeks:
        week += timedelta(weeks=every - offset_weeks)
    day = week + timedelta(days=rhythm.weekday % 7)
    if day < start:
        day += timedelta(weeks=every)
    while day <= last:
        yield day
        day += timedelta(weeks=every)


def meetings_between(
    rhythm: Rhythm, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """(starts_at, ends_at) in UTC for every meeting starting at or after `start`, before `end`."""
    if end <= start:
        return []
    tz = zone(rhythm.timezone)
    # Widen by a day each side in local dates, then filter on the exact instants.
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    length = timedelta(minutes=max(1, rhythm.minutes))
    found = []
    for day in meeting_days(rhythm, first, last):
        begins = local_start(day, rhythm.at, tz)
        if start <= begins < end:
            found.append((begins, begins + length))
    return found


def next_meeting(rhythm: Rhythm, after: datetime) -> tuple[datetime, datetime] | None:
    """The first meeting starting at or after `after` (within a year; a rhythm always has one)."""
    found = meetings_between(rhythm, after, after + timedelta(weeks=53))
    return found[0] if found else None
