"""Check-ins: hope, energy and confidence, 1–5. Actions, selectors and the weekly reminder job.

Check-ins are private by default. Inner-circle helpers see a gentle summary of the latest one the
seeker chose to share, and its note only when the seeker included it. Never log a check-in.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpwanted.circle.models import Audience, CircleMember
from helpwanted.journey import charts
from helpwanted.journey.models import CheckIn, Search
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.models import OutboxMessage

log = logging.getLogger("helpwanted.journey")

SCORES = range(1, 6)
TREND_WEEKS = 12
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
REMINDER_OFF_SALT = "helpwanted.journey.checkin-reminder-off"

# Friendly words at the ends of each scale (the form) and for every step (the helper's summary).
SCALE_ENDS = {
    "hope": ("running low", "hopeful"),
    "energy": ("drained", "full of energy"),
    "confidence": ("shaky", "confident"),
}
HOPE_WORDS = {
    1: "low on hope",
    2: "a little low on hope",
    3: "steady",
    4: "fairly hopeful",
    5: "hopeful",
}
ENERGY_WORDS = {1: "very low", 2: "low", 3: "okay", 4: "good", 5: "high"}
CONFIDENCE_WORDS = {1: "shaky", 2: "a bit shaky", 3: "steady", 4: "good", 5: "strong"}

# Three lines told apart by dash pattern and marker, not by colour alone.
TREND_SERIES = (
    ("hope", "Hope", "", "circle"),
    ("energy", "Energy", "10 6", "square"),
    ("confidence", "Confidence", "2 5", "diamond"),
)


class CheckInError(ValueError):
    """Something the seeker can fix; the message says what."""


# --- Actions -----------------------------------------------------------------------------


def _score(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        raise CheckInError(f"Choose a number from 1 to 5 for {name}.")
    return value


@transaction.atomic
def checkin_save(
    *,
    owner: Any,
    day: dt.date,
    hope: int,
    energy: int,
    confidence: int,
    note: str = "",
    shared: bool = False,
    share_note: bool = False,
) -> tuple[CheckIn, bool]:
    """Save the seeker's check-in for `day`: one a day, so a second one edits the first.

    Returns the check-in and whether it was new.
    """
    scores = {
        "hope": _score("hope", hope),
        "energy": _score("energy", energy),
        "confidence": _score("confidence", confidence),
    }
    note = note.strip()
    values = {
        **scores,
        "note": note,
        "shared": shared,
        # A note only travels with a shared check-in, and only when there is one.
        "share_note": bool(shared and share_note and note),
        "updated_at": timezone.now(),
    }
    return CheckIn.objects.update_or_create(owner=owner, day=day, defaults=values)


@transaction.atomic
def reminder_settings_save(*, owner: Any, enabled: bool, weekday: int, hour: int) -> Search:
    """Turn the weekly check-in reminder on or off, on a weekday and hour in the seeker's zone."""
    if weekday not in range(7):
        raise CheckInError("Choose a day of the week.")
    if hour not in range(24):
        raise CheckInError("Choose an hour from 00:00 to 23:00.")
    search, _ = Search.objects.update_or_create(
        owner=owner,
        defaults={"reminder_enabled": enabled, "reminder_weekday": weekday, "reminder_hour": hour},
    )
    return search


@transaction.atomic
def reminder_turn_off(*, owner: Any) -> None:
    Search.objects.filter(owner=owner).update(reminder_enabled=False)


# --- Selectors ---------------------------------------------------------------------------


def checkin_for_day(owner: Any, day: dt.date) -> CheckIn | None:
    return CheckIn.objects.filter(owner=owner, day=day).first()


def reminder_settings(owner: Any) -> Search:
    """The seeker's search row, or an unsaved default one (nothing is written on a GET)."""
    return Search.objects.filter(owner=owner).first() or Search(owner=owner)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class TrendWeek:
    start: dt.date
    count: int
    hope: float | None
    energy: float | None
    confidence: float | None

    @property
    def label(self) -> str:
        return f"{self.start.day} {self.start:%b}"


def checkin_trend(owner: Any, *, today: dt.date, weeks: int = TREND_WEEKS) -> list[TrendWeek]:
    """Weekly averages (to one decimal) for the last `weeks` weeks, oldest first, this week last.

    A week with no check-in is kept, with None values, so the chart shows a gap there.
    """
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    rows = CheckIn.objects.filter(owner=owner, day__gte=first, day__lte=today).values_list(
        "day", "hope", "energy", "confidence"
    )
    buckets: dict[dt.date, list[tuple[int, int, int]]] = {}
    for day, hope, energy, confidence in rows:
        buckets.setdefault(week_start(day), []).append((hope, energy, confidence))
    out = []
    for i in range(weeks):
        start = first + dt.timedelta(weeks=i)
        scores = buckets.get(start, [])
        means = [
            round(sum(col) / len(col), 1) if scores else None for col in zip(*scores, strict=True)
        ]
        mean_hope, mean_energy, mean_confidence = means or (None, None, None)
        out.append(TrendWeek(start, len(scores), mean_hope, mean_energy, mean_confidence))
    return out


def trend_chart(trend: list[TrendWeek]) -> charts.LineChart:
    return charts.line_chart(
        labels=[week.label for week in trend],
        series=[
            charts.SeriesIn(
                key=key,
                name=name,
                values=[getattr(week, key) for week in trend],
                dash=dash,
                marker=marker,
            )
            for key, name, dash, marker in TREND_SERIES
        ],
        y_min=1,
        y_max=5,
        width=480,
        height=260,
        margin=(16, 28, 40, 36),
    )


def trend_description(trend: list[TrendWeek]) -> str:
    """A sentence for the chart's <desc>: the span, and where each line started and ended."""
    weeks = [week for week in trend if week.count]
    if not weeks:
        return "No check-ins in the last 12 weeks yet."
    first, last = weeks[0], weeks[-1]
    if first is last:
        return (
            f"One week with check-ins, starting {first.label}: hope {first.hope}, "
            f"energy {first.energy}, confidence {first.confidence} out of 5."
        )
    parts = [
        f"{name.lower()} from {getattr(first, key)} to {getattr(last, key)}"
        for key, name, _, _ in TREND_SERIES
    ]
    return (
        f"Weekly averages out of 5, from the week of {first.label} to the week of {last.label}: "
        + ", ".join(parts)
        + "."
    )


def checkin_summary_for_helper(member: CircleMember) -> dict | None:
    """A gentle summary of the seeker's latest shared check-in, for the inner circle only.

    Never the numbers, and the note only when the seeker chose to include it.
    """
    if member.audience != Audience.INNER or member.left_at is not None:
        return None
    checkin = CheckIn.objects.filter(owner_id=member.owner_id, shared=True).order_by("-day").first()
    if checkin is None:
        return None
    owner_zone = member.owner.zoneinfo
    this_week = week_start(timezone.now().astimezone(owner_zone).date())
    if checkin.day >= this_week:
        when = "this week"
    elif checkin.day >= this_week - dt.timedelta(weeks=1):
        when = "last week"
    else:
        when = f"in the week of {week_start(checkin.day).day} {week_start(checkin.day):%B}"
    text = (
        f"Feeling {HOPE_WORDS[checkin.hope]}, energy is {ENERGY_WORDS[checkin.energy]} "
        f"and confidence is {CONFIDENCE_WORDS[checkin.confidence]} {when}."
    )
    return {
        "text": text,
        "day": checkin.day,
        "when": when,
        "note": checkin.note if checkin.share_note else "",
    }


# --- The weekly reminder (a tick job) ----------------------------------------------------


def reminder_off_value(user: Any) -> str:
    return signing.dumps({"u": user.pk}, salt=REMINDER_OFF_SALT, compress=True)


def user_pk_from_reminder_off(value: str) -> int | None:
    try:
        data = signing.loads(value, salt=REMINDER_OFF_SALT)
    except signing.BadSignature:
        return None
    pk = data.get("u") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) else None


def reminder_key(user: Any, day: dt.date) -> str:
    iso_year, iso_week, _ = day.isocalendar()
    return f"checkin-reminder:{user.pk}:{iso_year}-W{iso_week}"


def _due_week(search: Search, now: dt.datetime) -> dt.date | None:
    """The Monday of the seeker's current week if this week's reminder time has come."""
    zone = search.owner.zoneinfo
    local = now.astimezone(zone)
    monday = week_start(local.date())
    due = dt.datetime.combine(
        monday + dt.timedelta(days=search.reminder_weekday),
        dt.time(search.reminder_hour),
        tzinfo=zone,
    )
    return monday if local >= due else None


def checkin_reminders_send() -> int:
    """Queue one kind reminder a week for each seeker who asked for one and hasn't checked in.

    Safe to run every minute, and twice at once: the outbox key is unique per seeker and ISO week.
    Returns how many reminders were newly queued.
    """
    from helpwanted.clubs.jobs import weekly_fold  # clubs builds on journey, not the reverse

    now = timezone.now()
    due: dict[int, tuple[Search, dt.date]] = {}
    searches = Search.objects.filter(
        reminder_enabled=True, landed_at__isnull=True, owner__is_active=True
    ).select_related("owner")
    for search in searches:
        monday = _due_week(search, now)
        if monday is not None:
            due[search.owner_id] = (search, monday)
    if not due:
        return 0
    earliest = min(monday for _, monday in due.values())
    checked_in = set(
        CheckIn.objects.filter(owner_id__in=due, day__gte=earliest).values_list("owner_id", "day")
    )
    keys = {pk: reminder_key(search.owner, monday) for pk, (search, monday) in due.items()}
    already = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    sent = 0
    checkins_url = settings.SITE_URL + reverse("journey:checkins")
    for pk, (search, monday) in due.items():
        week = {monday + dt.timedelta(days=i) for i in range(7)}
        if keys[pk] in already or any((pk, day) in checked_in for day in week):
            continue
        off_url = settings.SITE_URL + reverse(
            "journey:checkin_reminder_off", args=[reminder_off_value(search.owner)]
        )
        with transaction.atomic():
            # The seeker's weekly email carries their job clubs' week too (clubs/jobs.py).
            club_weeks = weekly_fold(search.owner, monday, now=now)
            outbox_enqueue(
                key=keys[pk],
                template="checkin-reminder",
                to_email=search.owner.email,
                user=search.owner,
                context={
                    "seeker": search.owner,
                    "checkins_url": checkins_url,
                    "weekday": WEEKDAYS[search.reminder_weekday],
                    "hour": f"{search.reminder_hour:02d}:00",
                    "club_weeks": club_weeks,
                },
                unsubscribe_url=off_url,
            )
        sent += 1
    return sent
