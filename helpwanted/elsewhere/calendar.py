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
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.asks.models import Kind as AskKind
from helpwanted.elsewhere.models import EmittedEvent
from helpwanted.elsewhere.when import When, parse_when
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

    def fingerprint(self, zone: Any) -> str:
        """What a calendar would show, in the seeker's zone (a new zone re-serialises the
        event): a change here is a change worth a new SEQUENCE."""
        parts = (self.summary, self.start, self.end, self.all_day, self.status, self.url, zone)
        return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "helpwanted"


def _url(name: str, *args: object) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _urls(name: str) -> Any:
    """A maker of `name`'s absolute URL for an id, reversing once (thousands of events)."""
    marker = 987654321987
    template = _url(name, marker)
    return lambda pk: template.replace(str(marker), str(pk))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _event(
    uid: str, summary: str, day: date, at: time | None, minutes: int, url: str, kind: str, zone: Any
) -> CalEvent:
    if at is None:
        return CalEvent(uid, summary, day, day + timedelta(days=1), True, "CONFIRMED", 0, url, kind)
    start = datetime.combine(day, at, tzinfo=zone)
    end = start + timedelta(minutes=minutes)
    return CalEvent(uid, summary, start, end, False, "CONFIRMED", 0, url, kind)


INTERVIEW_KINDS = dict(Interview.Kind.choices)
ASK_KINDS = dict(AskKind.choices)


def _interview(
    pk: int, kind: str, on: date, at: time | None, minutes: int, opportunity: tuple[int, str, str]
) -> tuple[str, str, date, time | None, int, int, str]:
    opportunity_id, role, company = opportunity
    summary = f"{INTERVIEW_KINDS.get(kind, kind)}: {role} at {company}"
    return f"interview-{pk}", summary, on, at, minutes, opportunity_id, "interview"


def interview_event(interview: Interview, host: str, zone: Any) -> CalEvent:
    """One interview's event, as the feed has it (for its "Add to calendar" download)."""
    o = interview.opportunity
    uid, summary, on, at, minutes, opportunity_id, kind = _interview(
        interview.pk, interview.kind, interview.on, interview.at, interview.minutes,
        (o.pk, o.role, o.company),
    )  # fmt: skip
    url = _url("journey:opportunity", opportunity_id)
    return _event(f"{uid}@{host}", summary, on, at, minutes, url, kind, zone)


def _interviews(user: User, host: str, zone: Any) -> list[CalEvent]:
    url = _urls("journey:opportunity")
    rows = Interview.objects.filter(
        opportunity__owner=user, opportunity__deleted_at__isnull=True
    ).values_list(
        "pk", "kind", "on", "at", "minutes",
        "opportunity_id", "opportunity__role", "opportunity__company",
    )  # fmt: skip
    events = []
    for pk, kind, on, at, minutes, opportunity_id, role, company in rows:
        uid, summary, on, at, minutes, opportunity_id, kind = _interview(
            pk, kind, on, at, minutes, (opportunity_id, role, company)
        )
        events.append(_event(f"{uid}@{host}", summary, on, at, minutes, url(opportunity_id),
                             kind, zone))  # fmt: skip
    return events


def _offered(offer_when: str, answered_at: datetime | None, zone: Any) -> When | None:
    if not offer_when or answered_at is None:
        return None
    return parse_when(offer_when, answered_at.astimezone(zone))


def offered_when(recipient: Recipient, zone: Any) -> tuple[date, time | None] | None:
    """The day (and time) a helper offered, read in the seeker's zone from when they said it."""
    when = _offered(recipient.offer_when, recipient.answered_at, zone)
    return None if when is None else (when.day, when.at)


def _offer(pk: int, when: When, kind: str, name: str, url: str, host: str, zone: Any) -> CalEvent:
    summary = f"With {name}: {_lower_first(ASK_KINDS.get(kind, kind))}"
    return _event(f"offer-{pk}@{host}", summary, when.day, when.at, OFFER_MINUTES, url, "offer",
                  zone)  # fmt: skip


def offer_event(recipient: Recipient, host: str, zone: Any) -> CalEvent | None:
    """One offered time's event, as the feed has it; None when the words don't read as one."""
    when = _offered(recipient.offer_when, recipient.answered_at, zone)
    if when is None:
        return None
    url = _url("asks:detail", recipient.ask_id)
    return _offer(recipient.pk, when, recipient.ask.kind, recipient.person.name, url, host, zone)


def _offers(user: User, host: str, zone: Any) -> list[CalEvent]:
    S = Recipient.Status
    url = _urls("asks:detail")
    rows = (
        Recipient.objects.filter(
            ask__owner=user, status__in=(S.OFFERED, S.DONE, S.THANKED), answered_at__isnull=False
        )
        .exclude(offer_when="")
        .values_list("pk", "offer_when", "answered_at", "ask_id", "ask__kind", "person__name")
    )
    events = []
    for pk, offer_when, answered_at, ask_id, kind, name in rows:
        when = _offered(offer_when, answered_at, zone)
        if when is not None:
            events.append(_offer(pk, when, kind, name, url(ask_id), host, zone))
    return events


def _follow_ups(user: User, host: str, zone: Any) -> list[CalEvent]:
    url = _urls("asks:detail")
    rows = Recipient.objects.filter(
        ask__owner=user,
        ask__closed_at__isnull=True,
        status__in=Recipient.WAITING,
        sent_at__isnull=False,
        followed_up_at__isnull=True,
        let_go_at__isnull=True,
    ).values_list("pk", "sent_at", "ask__follow_up_days", "ask_id", "person__name")
    events = []
    for pk, sent_at, days, ask_id, name in rows:
        assert sent_at is not None  # filtered above (for mypy)
        due = (sent_at + timedelta(days=days)).astimezone(zone).date()
        summary = f"Follow up with {name}, if you'd like"
        events.append(
            _event(f"follow-up-{pk}@{host}", summary, due, None, 0, url(ask_id), "follow_up", zone)
        )
    return events


def _needed_by(user: User, host: str, zone: Any) -> list[CalEvent]:
    url = _urls("asks:detail")
    rows = Ask.objects.filter(
        owner=user, sent_at__isnull=False, closed_at__isnull=True, needed_by__isnull=False
    ).values_list("pk", "kind", "needed_by")
    events = []
    for pk, kind, needed_by in rows:
        assert needed_by is not None  # filtered above (for mypy)
        summary = f"Needed by today: {_lower_first(ASK_KINDS.get(kind, kind))}"
        uid = f"needed-by-{pk}@{host}"
        events.append(_event(uid, summary, needed_by, None, 0, url(pk), "needed_by", zone))
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


class _Row(NamedTuple):
    pk: int
    uid: str
    fingerprint: str
    sequence: int
    cancelled: bool
    vevent: str
    data: dict[str, Any]


def _text(event: CalEvent, zone: Any, stamp: datetime) -> str:
    return _vevent(event, zone, stamp).to_ical().decode()


def _sync(user: User, current: list[CalEvent], zone: Any) -> list[tuple[CalEvent, str]]:
    """Give each event its SEQUENCE from the ledger; cancel what is gone. Writes only changes.

    Returns each event with its VEVENT text: serialised (by the icalendar library) only when the
    event is new or changed, and read back from the ledger otherwise.

    Two fetches at once make the same changes: new rows are inserted ignoring conflicts, and a
    bump is conditional on the sequence read, so a change bumps it once, not twice.
    """
    now = timezone.now().replace(microsecond=0)
    # Plain rows, not model instances: thousands of them on every fetch.
    fields = ("pk", "uid", "fingerprint", "sequence", "cancelled", "vevent", "data")
    ledger = {
        row[1]: _Row(*row) for row in EmittedEvent.objects.filter(owner=user).values_list(*fields)
    }
    out: list[tuple[CalEvent, str]] = []
    new: list[EmittedEvent] = []
    for event in current:
        row = ledger.pop(event.uid, None)
        fingerprint = event.fingerprint(zone)
        if row is None:
            text = _text(event, zone, now)
            new.append(
                EmittedEvent(
                    owner=user, uid=event.uid, fingerprint=fingerprint, data=_to_data(event),
                    vevent=text, changed_at=now,
                )
            )  # fmt: skip
            out.append((event, text))
        elif row.fingerprint != fingerprint or row.cancelled or not row.vevent:
            event = replace(event, sequence=row.sequence + 1)
            text = _text(event, zone, now)
            EmittedEvent.objects.filter(pk=row.pk, sequence=row.sequence).update(
                sequence=event.sequence, fingerprint=fingerprint, data=_to_data(event),
                cancelled=False, changed_at=now, vevent=text,
            )  # fmt: skip
            out.append((event, text))
        else:
            out.append((replace(event, sequence=row.sequence), row.vevent))
    if new:
        EmittedEvent.objects.bulk_create(new, ignore_conflicts=True)
    oldest = (now - timedelta(days=CANCELLED_KEPT_DAYS)).date()
    for row in ledger.values():  # no longer there: cancelled, once, with a higher SEQUENCE
        gone = replace(_from_data(row.data), status="CANCELLED")
        text = row.vevent
        if not row.cancelled:
            gone = replace(gone, sequence=row.sequence + 1)
            text = _text(gone, zone, now)
            EmittedEvent.objects.filter(pk=row.pk, sequence=row.sequence).update(
                sequence=gone.sequence, cancelled=True, changed_at=now, vevent=text,
                data=_to_data(gone),
            )  # fmt: skip
        day = gone.start.date() if isinstance(gone.start, datetime) else gone.start
        if day >= oldest:
            out.append((gone, text))
    return out


def _emitted(user: User) -> list[tuple[CalEvent, str]]:
    """Every event of the seeker's calendar with its VEVENT text, cancelled ones included."""
    host, zone = _host(), user.zoneinfo
    current = [
        *_interviews(user, host, zone),
        *_offers(user, host, zone),
        *_follow_ups(user, host, zone),
        *_needed_by(user, host, zone),
    ]
    try:
        with transaction.atomic():
            pairs = _sync(user, current, zone)
    except IntegrityError:  # the user went while we read: nothing to keep
        now = timezone.now().replace(microsecond=0)
        pairs = [(event, _text(event, zone, now)) for event in current]
    now = timezone.now().replace(microsecond=0)
    pairs += [(event, _text(event, zone, now)) for event in _club_meetings(user)]
    return sorted(pairs, key=lambda pair: (_sort_key(pair[0].start, zone), pair[0].uid))


def calendar_events(user: User) -> list[CalEvent]:
    """Every event of the seeker's calendar, cancelled ones included, by start."""
    return [event for event, _ in _emitted(user)]


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


def _calendar(
    user: User, events: list[CalEvent], name: str, texts: list[str] | None = None
) -> bytes:
    """The VCALENDAR around the events: serialised here, or given as VEVENT texts (the feed)."""
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
    if texts is None:
        stamp = timezone.now().replace(microsecond=0)
        texts = [_text(event, zone, stamp) for event in events]
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return b"".join([head, *(text.encode() for text in texts), b"END:VCALENDAR", end])


def feed_ics(user: User) -> bytes:
    """The seeker's whole calendar as an iCalendar file, for a subscription."""
    pairs = _emitted(user)
    events = [event for event, _ in pairs]
    return _calendar(user, events, "Job search (helpwanted)", [text for _, text in pairs])


def event_ics(user: User, event: CalEvent) -> bytes:
    """One event as an iCalendar file: the "Add to calendar" download."""
    return _calendar(user, [event], event.summary)
