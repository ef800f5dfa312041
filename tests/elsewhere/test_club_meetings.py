"""Job-club meetings in the calendar feed and the work-search record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from helpwanted.clubs.models import Club, Meeting, Membership
from helpwanted.elsewhere.calendar import calendar_events, feed_ics
from helpwanted.elsewhere.worklog import worklog_rows

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=PARIS)


@pytest.fixture
def meetings(alice, dana):
    club = Club.objects.create(name="Thursday Club", facilitator=dana, place="Library, room 2")
    Membership.objects.create(club=club, user=alice)

    def meeting(day: date, hour: int, **fields) -> Meeting:
        start = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
        return Meeting.objects.create(
            club=club, starts_at=start, ends_at=start + timedelta(minutes=90), **fields
        )

    return {
        "before": meeting(date(2026, 10, 31), 23),  # the evening before the range, in Paris
        "first": meeting(date(2026, 11, 5), 10),
        "moved": meeting(date(2026, 11, 12), 10, sequence=2),
        "cancelled": meeting(date(2026, 11, 19), 10, cancelled_at=NOW),
        "last": meeting(date(2026, 11, 30), 23),
        "coming": meeting(date(2026, 12, 3), 10),
    }


def test_club_meetings_are_in_the_feed_with_the_clubs_uids_and_sequence(alice, meetings):
    with time_machine.travel(NOW, tick=False):
        ics = feed_ics(alice)
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    moved = events[meetings["moved"].uid]
    assert int(moved["SEQUENCE"]) == 2
    assert str(moved["SUMMARY"]) == "Thursday Club: club meeting (Library, room 2)"
    assert moved.decoded("DTSTART") == datetime(2026, 11, 12, 10, tzinfo=PARIS)
    assert str(events[meetings["cancelled"].uid]["STATUS"]) == "CANCELLED"
    assert str(events[meetings["coming"].uid]["STATUS"]) == "CONFIRMED"


def test_a_member_who_left_no_longer_gets_the_clubs_meetings(alice, meetings):
    Membership.objects.filter(user=alice).update(left_at=NOW)
    with time_machine.travel(NOW, tick=False):
        kinds = {e.kind for e in calendar_events(alice)}
    assert "club_meeting" not in kinds


def test_club_meetings_in_the_period_are_on_the_record_but_not_cancelled_ones(alice, meetings):
    rows = worklog_rows(alice, date(2026, 11, 1), date(2026, 11, 30))
    assert [(r.date, r.method, r.employer, r.result) for r in rows] == [
        (date(2026, 11, 5), "club_meeting", "Thursday Club", "Job club meeting"),
        (date(2026, 11, 12), "club_meeting", "Thursday Club", "Job club meeting"),
        (date(2026, 11, 30), "club_meeting", "Thursday Club", "Job club meeting"),
    ]
    assert rows[0].employer_contact == "Library, room 2"
