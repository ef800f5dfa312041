"""Meeting invites as iCalendar (RFC 5545), written with the `icalendar` library.

One VEVENT per meeting. Its UID is the meeting's stored uid, so a calendar that imports the same
meeting twice (or the club's whole calendar again) updates one event rather than adding a second;
SEQUENCE rises when a meeting changes, and a cancelled meeting keeps its UID with STATUS:CANCELLED.
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from helpwanted.clubs.models import Meeting

PRODID = "-//helpwanted//job clubs//EN"


def _event(meeting: Meeting, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.club.name)
    place = meeting.place or meeting.club.place
    if place:
        event.add("location", place)
    link = settings.SITE_URL + reverse("clubs:meeting", args=[meeting.pk])
    event.add("url", link)
    event.add("description", f"The meeting page: {link}")
    event.add("status", "CANCELLED" if meeting.cancelled_at else "CONFIRMED")
    return event


def calendar(meetings: Iterable[Meeting], *, stamp: datetime) -> bytes:
    """An iCalendar file with one event per meeting (`meeting.club` must be loaded).

    `stamp` is DTSTAMP; pass the time the file is made. Times are written in UTC, which every
    calendar converts to its owner's zone.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for meeting in meetings:
        cal.add_component(_event(meeting, stamp))
    return cal.to_ical()
