"""Everything that writes club rows: clubs, invitations, membership, buddies, sharing, meetings.

Keyword-friendly, typed, each in one transaction. Read-then-write on one row locks it
(select_for_update on PostgreSQL) or writes conditionally (SQLite runs IMMEDIATE transactions, so
a write transaction there is already serialised).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from helpwanted.clubs import schedule
from helpwanted.clubs.models import Club, Meeting

# How far ahead meeting rows exist: club_create/club_edit and the tick keep this window filled.
MEETINGS_AHEAD = timedelta(weeks=12)


def club_rhythm(club: Club) -> schedule.Rhythm:
    tz = schedule.zone(club.timezone)
    return schedule.Rhythm(
        weekday=club.meeting_weekday,
        at=club.meeting_time,
        minutes=club.meeting_minutes,
        every_weeks=club.every_weeks,
        timezone=club.timezone,
        since=club.created_at.astimezone(tz).date(),
    )


def meetings_ensure(club: Club, until: datetime, *, since: datetime | None = None) -> list[Meeting]:
    """Create the club's meetings from `since` (default now) to `until` that don't exist yet.

    Idempotent and safe on two servers at once: rows are inserted with ON CONFLICT DO NOTHING
    against the unique (club, starts_at) constraint, so a second caller inserts nothing. A start
    that exists but was cancelled (the rhythm changed) stays cancelled. Returns the meetings in
    the window that are not cancelled, in order.
    """
    since = since or timezone.now()
    if club.archived_at is None:
        slots = schedule.meetings_between(club_rhythm(club), since, until)
        Meeting.objects.bulk_create(
            [Meeting(club=club, starts_at=s, ends_at=e, place=club.place) for s, e in slots],
            ignore_conflicts=True,
        )
    return list(
        club.meetings.filter(starts_at__gte=since, starts_at__lt=until, cancelled_at__isnull=True)
    )


def meetings_ensure_all(*, now: datetime | None = None) -> int:
    """The tick's job: every open club has its meetings for the next MEETINGS_AHEAD. How many."""
    now = now or timezone.now()
    count = 0
    for club in Club.objects.filter(archived_at__isnull=True).iterator():
        with transaction.atomic():
            count += len(meetings_ensure(club, now + MEETINGS_AHEAD, since=now))
    return count
