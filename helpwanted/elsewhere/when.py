"""When a helper said they could help ("Thursday 4pm"), as a date and maybe a time. Pure.

A helper types free text. This reads the common shapes, relative to the moment they wrote it,
in the seeker's timezone: a day ("today", "tomorrow", "Thursday", "next Thursday", "3 Dec",
"December 3rd", "2026-12-03") and an optional time ("4pm", "4:30 pm", "16:00", "noon", "at 10").
Any word it doesn't know makes the whole text unreadable (None): a calendar event at a guessed
time is worse than none, so the feed leaves it out and the ask page shows the words as written.

A bare hour ("at 3", "tomorrow at 10") is read in working hours: 8 to 11 in the morning, 12 to
7 in the afternoon. A time with no day is not read: "4pm" could be any day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

__all__ = ["When", "parse_when"]

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
# Words that carry no date or time of their own: "around 4pm on Thursday, if that works".
FILLER = {
    "at", "on", "the", "around", "about", "ish", "from", "this", "coming", "morning",
    "afternoon", "evening", "works", "any", "time", "after", "of", "for", "me", "free",
    "i'm", "im", "am", "pm", "or", "so", "by", "is", "good", "fine", "would", "be", "great",
    # How, not when: "Tuesday at 7pm, on video".
    "a", "video", "call", "phone", "zoom", "teams", "meet", "online", "coffee", "chat", "quick",
}  # fmt: skip

TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<clock>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)(?![a-z])"
    r"|(?P<hhmm>\d{1,2})[:.](?P<mm>\d{2})"
    r"|(?P<num>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
    r"|(?P<word>[a-z']+)"
)


@dataclass(frozen=True)
class When:
    day: date
    at: time | None  # None: the day only (an all-day event)


def _hour(hour: int, ampm: str) -> int | None:
    if not 1 <= hour <= 12:
        return None
    if ampm.startswith("a"):
        return 0 if hour == 12 else hour
    return hour if hour == 12 else hour + 12


def _working_hour(hour: int) -> int | None:
    """A bare "at 3": 8 to 11 are mornings, 12 to 7 afternoons, anything else unreadable."""
    if 8 <= hour <= 12:
        return hour
    if 1 <= hour <= 7:
        return hour + 12
    if 13 <= hour <= 23:
        return hour
    return None


def _next_date(given: date, month: int, day: int) -> date | None:
    """The first such day on or after `given` (this year, or next)."""
    for year in (given.year, given.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= given:
            return candidate
    return None


def parse_when(text: str, given: datetime) -> When | None:  # noqa: C901, PLR0912
    """The date (and time) `text` names, read relative to `given` (naive or aware, local)."""
    text = text.strip().lower()
    if not text or len(text) > 200:
        return None
    today = given.date()
    day: date | None = None
    weekday: int | None = None
    at: time | None = None
    month: int | None = None
    numbers: list[int] = []
    pending_at = False  # the word "at" came just before: a bare number is an hour
    for match in TOKEN.finditer(re.sub(r"[,;!?()]", " ", text)):
        kind = next(name for name in ("iso", "clock", "hhmm", "num", "word") if match[name])
        if kind == "iso":
            if day is not None:
                return None
            try:
                day = date.fromisoformat(match.group("iso"))
            except ValueError:
                return None
        elif kind == "clock":
            hour = _hour(int(match.group("clock")), match.group("ampm").replace(".", ""))
            if hour is None or at is not None:
                return None
            at = time(hour, int(match.group("minute") or 0))
        elif kind == "hhmm":
            hour, minute = int(match.group("hhmm")), int(match.group("mm"))
            if hour > 23 or minute > 59 or at is not None:
                return None
            at = time(hour, minute)
        elif kind == "num":
            value = int(match.group("num"))
            if pending_at and at is None:
                hour = _working_hour(value)
                if hour is None:
                    return None
                at = time(hour)
            else:
                numbers.append(value)
        else:
            word = match.group("word")
            if word in ("today", "tonight", "tomorrow"):
                if day is not None:
                    return None  # "today or tomorrow": not one time
                day = today + timedelta(days=1 if word == "tomorrow" else 0)
            elif word in WEEKDAYS:
                if weekday is not None:
                    return None  # "Thursday or Friday"
                weekday = WEEKDAYS[word]
            elif word in MONTHS:
                if month is not None:
                    return None
                month = MONTHS[word]
            elif word == "noon" or word == "midday":
                at = time(12)
            elif word == "next":
                pass  # "next Thursday" is read as the coming Thursday, like "Thursday"
            elif word not in FILLER:
                return None
            pending_at = word == "at"
            continue
        pending_at = False
    if month is not None:
        if len(numbers) != 1 or day is not None:
            return None
        day = _next_date(today, month, numbers[0])
        if day is None:
            return None
    elif numbers:
        return None
    if weekday is not None:
        if day is not None:
            if day.weekday() != weekday:
                return None  # "Thursday 3 Dec" when the 3rd is a Wednesday: which one?
        else:
            ahead = (weekday - today.weekday()) % 7
            if ahead == 0 and (at is None or at <= given.time()):
                ahead = 7  # said on a Thursday, "Thursday" is next week's
            day = today + timedelta(days=ahead)
    if day is None:
        return None
    return When(day=day, at=at)
