"""The seeker's calendar: interviews, offered times, follow-ups, needed-by dates, club meetings.

`calendar_events(user)` is the list of events (the feed, the API and the "Add to calendar"
downloads all start from it); `feed_ics(user)` is that list as one iCalendar file (RFC 5545),
built with the `icalendar` library.

Each event has a stable UID made from what it is about ("interview-12@host"), never from its
date, so moving an interview moves the event instead of making a second one. What the feed last
said about each UID is kept in EmittedEvent: when an event changes, its SEQUENCE goes up by one;
when its source is gone (an interview deleted, a follow-up answered, an ask closed), the event is
sent once more as STATUS:CANCELLED with a higher SEQUENCE, so subscribed calendars take it off
rather than keep a stale copy. Nothing private goes in: no notes, no feelings, no check-ins, no
ask text; a summary names the kind of thing, the role and company, or the person.

Queries: a fixed number whatever the number of events (one per kind of source, one for the
ledger), plus a write for each event that is new or changed since the last fetch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.elsewhere.models import EmittedEvent
from helpwanted.elsewhere.when import parse_when
from helpwanted.journey.models import Interview

__all__ = ["CalEvent", "calendar_events", "event_ics", "feed_ics", "interview_event", "offer_event"]

PRODID = "-//helpwanted//calendar feed//EN"
# Cancelled events are sent for this long after their date, then left out: by then every
# subscribed calendar has fetched the cancellation many times over.
CANCELLED_KEPT_DAYS = 90
# Club meetings come from the clubs app for this window around today.
CLUB_WINDOW = (timedelta(days=90), timedelta(days=400))
OFFER_MINUTES = 30  # an offered chat: half an hour unless they say otherwise (they can't yet)


@dataclass(frozen=True)
class CalEvent:
    uid: str
    summary: str
    start: date | datetime  # a date for an all-day event; else an aware datetime
    end: date | datetime
    all_day: bool
    status: str  # "CONFIRMED" or "CANCELLED"
    sequence: int
    url: str
    kind: str  # interview, offer, follow_up, needed_by, club_meeting

    @property
    def fingerprint(self) -> str:
        """What a calendar would show: a change here is a change worth a new SEQUENCE."""
        data = _to_data(self)
        data.pop("sequence")
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "helpwanted"


def _url(name: str, *args: object) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _timed(day: date, at: time, minutes: int, zone: Any) -> tuple[datetime, datetime]:
    start = datetime.combine(day, at, tzinfo=zone)
    return start, start + timedelta(minutes=minutes)


def _event(
    uid: str, summary: str, day: date, at: time | None, minutes: int, url: str, kind: str, zone: Any
) -> CalEvent:
    if at is None:
        return CalEvent(uid, summary, day, day + timedelta(days=1), True, "CONFIRMED", 0, url, kind)
    start, end = _timed(day, at, minutes, zone)
    return CalEvent(uid, summary, start, end, False, "CONFIRMED", 0, url, kind)


def interview_event(interview: Interview, host: str, zone: Any) -> CalEvent:
    opportunity = interview.opportunity
    return _event(
        f"interview-{interview.pk}@{host}",
        f"{interview.get_kind_display()}: {opportunity.role} at {opportunity.company}",
        interview.on,
        interview.at,
        interview.minutes,
        _url("journey:opportunity", interview.opportunity_id),
        "interview",
        zone,
    )


def _interviews(user: User, host: str, zone: Any) -> list[CalEvent]:
    rows = Interview.objects.filter(
        opportunity__owner=user, opportunity__deleted_at__isnull=True
    ).select_related("opportunity")
    return [interview_event(i, host, zone) for i in rows]


def offered_when(recipient: Recipient, zone: Any) -> tuple[date, time | None] | None:
    """The day (and time) a helper offered, read in the seeker's zone from when they said it."""
    if not recipient.offer_when or recipient.answered_at is None:
        return None
    when = parse_when(recipient.offer_when, recipient.answered_at.astimezone(zone))
    return None if when is None else (when.day, when.at)


def offer_event(recipient: Recipient, host: str, zone: Any) -> CalEvent | None:
    when = offered_when(recipient, zone)
    if when is None:
        return None
    kind = recipient.ask.get_kind_display()
    return _event(
        f"offer-{recipient.pk}@{host}",
        f"With {recipient.person.name}: {kind[0].lower()}{kind[1:]}",
        when[0],
        when[1],
        OFFER_MINUTES,
        _url("asks:detail", recipient.ask_id),
        "offer",
        zone,
    )


def _offers(user: User, host: str, zone: Any) -> list[CalEvent]:
    S = Recipient.Status
    rows = (
        Recipient.objects.filter(
            ask__owner=user, status__in=(S.OFFERED, S.DONE, S.THANKED), answered_at__isnull=False
        )
        .exclude(offer_when="")
        .select_related("ask", "person")
    )
    return [e for r in rows if (e := offer_event(r, host, zone)) is not None]


def _follow_ups(user: User, host: str, zone: Any) -> list[CalEvent]:
    rows = Recipient.objects.filter(
        ask__owner=user,
        ask__closed_at__isnull=True,
        status__in=Recipient.WAITING,
        sent_at__isnull=False,
        followed_up_at__isnull=True,
        let_go_at__isnull=True,
    ).select_related("ask", "person")
    events = []
    for r in rows:
        assert r.sent_at is not None  # for mypy: filtered above
        due = (r.sent_at + timedelta(days=r.ask.follow_up_days)).astimezone(zone).date()
        events.append(
            _event(
                f"follow-up-{r.pk}@{host}",
                f"Follow up with {r.person.name}, if you'd like",
                due,
                None,
                0,
                _url("asks:detail", r.ask_id),
                "follow_up",
                zone,
            )
        )
    return events


def _needed_by(user: User, host: str, zone: Any) -> list[CalEvent]:
    rows = Ask.objects.filter(
        owner=user, sent_at__isnull=False, closed_at__isnull=True, needed_by__isnull=False
    )
    events = []
    for ask in rows:
        assert ask.needed_by is not None  # for mypy: filtered above
        kind = ask.get_kind_display()
        events.append(
            _event(
                f"needed-by-{ask.pk}@{host}",
                f"Needed by today: {kind[0].lower()}{kind[1:]}",
                ask.needed_by,
                None,
                0,
                _url("asks:detail", ask.pk),
                "needed_by",
                zone,
            )
        )
    return events


def _club_meetings(user: User) -> list[CalEvent]:
    """Meetings of the seeker's job clubs, as the clubs app keeps them (its own UIDs and
    SEQUENCE: a club meeting is the same event for every member, so it isn't in our ledger).
    Cancelled ones come too, marked CANCELLED under their UID."""
    from helpwanted.clubs.selectors import meetings_for_user

    now = timezone.now()
    meetings = meetings_for_user(
        user, now - CLUB_WINDOW[0], now + CLUB_WINDOW[1], include_cancelled=True
    )
    events = []
    for m in meetings:
        place = m.place or m.club.place
        events.append(
            CalEvent(
                uid=m.uid,
                summary=f"{m.club.name}: club meeting" + (f" ({place})" if place else ""),
                start=m.starts_at,
                end=m.ends_at,
                all_day=False,
                status="CANCELLED" if m.cancelled_at else "CONFIRMED",
                sequence=m.sequence,
                url=_url("clubs:detail", m.club_id),
                kind="club_meeting",
            )
        )
    return events


def _to_data(event: CalEvent) -> dict[str, Any]:
    data = asdict(event)
    for key in ("start", "end"):
        data[key] = data[key].isoformat()
    return data


def _from_data(data: dict[str, Any]) -> CalEvent:
    parse = date.fromisoformat if data["all_day"] else datetime.fromisoformat
    return CalEvent(**{**data, "start": parse(data["start"]), "end": parse(data["end"])})


def _sync(user: User, current: list[CalEvent]) -> list[CalEvent]:
    """Give each event its SEQUENCE from the ledger; cancel what is gone. Writes only changes.

    Two fetches at once make the same changes: new rows are inserted ignoring conflicts, and a
    bump is conditional on the sequence read, so a change bumps it once, not twice.
    """
    now = timezone.now()
    ledger = {row.uid: row for row in EmittedEvent.objects.filter(owner=user)}
    out: list[CalEvent] = []
    new: list[EmittedEvent] = []
    for event in current:
        row = ledger.pop(event.uid, None)
        fingerprint = event.fingerprint
        if row is None:
            new.append(
                EmittedEvent(
                    owner=user, uid=event.uid, fingerprint=fingerprint, data=_to_data(event)
                )
            )
            out.append(event)
        elif row.fingerprint != fingerprint or row.cancelled:
            sequence = row.sequence + 1
            EmittedEvent.objects.filter(pk=row.pk, sequence=row.sequence).update(
                sequence=sequence,
                fingerprint=fingerprint,
                data=_to_data(replace(event, sequence=sequence)),
                cancelled=False,
                changed_at=now,
            )
            out.append(replace(event, sequence=sequence))
        else:
            out.append(replace(event, sequence=row.sequence))
    if new:
        EmittedEvent.objects.bulk_create(new, ignore_conflicts=True)
    oldest = (now - timedelta(days=CANCELLED_KEPT_DAYS)).date()
    for row in ledger.values():  # no longer there: cancelled, once, with a higher SEQUENCE
        sequence = row.sequence if row.cancelled else row.sequence + 1
        gone = replace(_from_data(row.data), status="CANCELLED", sequence=sequence)
        if not row.cancelled:
            EmittedEvent.objects.filter(pk=row.pk, sequence=row.sequence).update(
                sequence=sequence, cancelled=True, changed_at=now
            )
        day = gone.start.date() if isinstance(gone.start, datetime) else gone.start
        if day >= oldest:
            out.append(gone)
    return out


def calendar_events(user: User) -> list[CalEvent]:
    """Every event of the seeker's calendar, cancelled ones included, by start."""
    host, zone = _host(), user.zoneinfo
    current = [
        *_interviews(user, host, zone),
        *_offers(user, host, zone),
        *_follow_ups(user, host, zone),
        *_needed_by(user, host, zone),
    ]
    try:
        with transaction.atomic():
            events = _sync(user, current)
    except IntegrityError:  # the user went while we read: nothing to keep
        events = current
    events += _club_meetings(user)
    return sorted(events, key=lambda e: (_sort_key(e.start, zone), e.uid))


def _sort_key(value: date | datetime, zone: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), tzinfo=zone)


def _vevent(event: CalEvent, zone: Any, stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.summary)
    if event.all_day:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end)
        vevent.add("transp", "TRANSPARENT")  # a reminder, not time taken
    else:
        assert isinstance(event.start, datetime) and isinstance(event.end, datetime)
        vevent.add("dtstart", event.start.astimezone(zone))
        vevent.add("dtend", event.end.astimezone(zone))
    vevent.add("sequence", event.sequence)
    vevent.add("status", event.status)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("categories", [event.kind.replace("_", " ")])
    return vevent


def _calendar(user: User, events: list[CalEvent], name: str) -> bytes:
    zone = user.zoneinfo
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(zone))
    # Refresh hints for clients that read them (Outlook, Apple): every hour is plenty.
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    # The seeker's zone, whatever the events use (clients show all-day events in it), with its
    # transitions from the first event to well past the last.
    days = [timezone.now().date()]
    days += [e.start.date() if isinstance(e.start, datetime) else e.start for e in events]
    cal.add_component(
        icalendar.Timezone.from_tzinfo(
            zone,
            first_date=min(days) - timedelta(days=366),
            last_date=max(days) + timedelta(days=800),
        )
    )
    stamp = timezone.now().replace(microsecond=0)
    for event in events:
        cal.add_component(_vevent(event, zone, stamp))
    return cal.to_ical()


def feed_ics(user: User) -> bytes:
    """The seeker's whole calendar as an iCalendar file, for a subscription."""
    return _calendar(user, calendar_events(user), "Job search (helpwanted)")


def event_ics(user: User, event: CalEvent) -> bytes:
    """One event as an iCalendar file: the "Add to calendar" download."""
    return _calendar(user, [event], event.summary)
