"""The calendar feed's events and ICS: stable UIDs, SEQUENCE, CANCELLED, nothing private."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpwanted.asks.actions import ask_close
from helpwanted.elsewhere.calendar import _host, calendar_events, event_ics, feed_ics
from helpwanted.elsewhere.models import EmittedEvent
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.models import Interview
from helpwanted.journey.opportunities import opportunity_delete
from helpwanted.journey.updates import update_post
from tests.elsewhere.world import PRIVATE, interview, offer, opportunity, person, sent_ask

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
HOST = _host()
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=PARIS)  # a Thursday afternoon


def parse(ics: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics)


def vevents(ics: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse(ics).walk("VEVENT")}


@pytest.fixture
def world(alice):
    with time_machine.travel(NOW, tick=False):
        lumen = opportunity(alice)
        talk = interview(lumen, date(2026, 12, 2), time(10, 30))
        day = interview(lumen, date(2026, 12, 9), kind="offer_deadline")
        bob = person(alice, "Bob Lindqvist", "bob@example.org")
        priya = person(alice, "Priya Shah", "priya@example.org")
        ask = sent_ask(alice, [bob, priya], needed_by=date(2026, 12, 5))
        recipients = {r.person_id: r for r in ask.recipients.all()}
        offered = offer(recipients[bob.pk], "Thursday 4pm")
        update_post(owner=alice, kind="feelings", text=f"Scared today {PRIVATE}")
        checkin_save(owner=alice, day=NOW.date(), hope=2, energy=2, confidence=2, note=PRIVATE)
    return {"opp": lumen, "talk": talk, "day": day, "ask": ask, "offered": offered}


def test_the_feed_parses_and_has_what_subscribing_clients_need(alice, world) -> None:
    with time_machine.travel(NOW, tick=False):
        cal = parse(feed_ics(alice))
    assert str(cal["VERSION"]) == "2.0"
    assert "helpwanted" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = cal.walk("VEVENT")
    assert events
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "SEQUENCE", "STATUS"):
            assert prop in event, (prop, event)


def test_it_has_the_interviews_the_offered_time_the_follow_up_and_the_needed_by(
    alice, world
) -> None:
    with time_machine.travel(NOW, tick=False):
        events = {e.uid.split("@")[0]: e for e in calendar_events(alice)}
    talk = events[f"interview-{world['talk'].pk}"]
    assert talk.start == datetime(2026, 12, 2, 10, 30, tzinfo=PARIS)
    assert talk.end - talk.start == timedelta(hours=1)
    assert talk.summary == "Interview: Designer at Lumen Labs"
    deadline = events[f"interview-{world['day'].pk}"]
    assert (deadline.all_day, deadline.start) == (True, date(2026, 12, 9))
    offered = events[f"offer-{world['offered'].pk}"]
    assert offered.start == datetime(2026, 11, 26, 16, 0, tzinfo=PARIS)  # said on a Thursday
    assert offered.summary.startswith("With Bob Lindqvist")
    priya = next(r for r in world["ask"].recipients.all() if r.pk != world["offered"].pk)
    follow_up = events[f"follow-up-{priya.pk}"]
    assert (follow_up.all_day, follow_up.start) == (True, date(2026, 12, 1))  # sent + 5 days
    assert events[f"needed-by-{world['ask'].pk}"].start == date(2026, 12, 5)
    assert f"follow-up-{world['offered'].pk}" not in events  # bob answered: nothing to chase


def test_timed_events_carry_the_seekers_zone(alice, world) -> None:
    with time_machine.travel(NOW, tick=False):
        event = vevents(feed_ics(alice))[f"interview-{world['talk'].pk}@{HOST}"]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 10, 30, tzinfo=PARIS)


def test_nothing_private_is_in_the_feed(alice, world) -> None:
    with time_machine.travel(NOW, tick=False):
        ics = feed_ics(alice)
    assert PRIVATE.encode() not in ics
    assert b"Scared" not in ics


def test_uids_are_stable_and_sequence_stays_when_nothing_changed(alice, world) -> None:
    with time_machine.travel(NOW, tick=False):
        first = {uid: int(e["SEQUENCE"]) for uid, e in vevents(feed_ics(alice)).items()}
        second = {uid: int(e["SEQUENCE"]) for uid, e in vevents(feed_ics(alice)).items()}
    assert first == second
    assert set(first.values()) == {0}


def test_a_moved_interview_keeps_its_uid_with_a_higher_sequence(alice, world) -> None:
    uid = f"interview-{world['talk'].pk}@{HOST}"
    with time_machine.travel(NOW, tick=False):
        feed_ics(alice)
        Interview.objects.filter(pk=world["talk"].pk).update(at=time(15, 0))
        event = vevents(feed_ics(alice))[uid]
        again = vevents(feed_ics(alice))[uid]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 15
    assert int(again["SEQUENCE"]) == 1  # one change, one bump


def test_a_deleted_interview_stays_as_cancelled_with_a_higher_sequence(alice, world) -> None:
    uid = f"interview-{world['talk'].pk}@{HOST}"
    with time_machine.travel(NOW, tick=False):
        feed_ics(alice)
        world["talk"].delete()
        event = vevents(feed_ics(alice))[uid]
        again = vevents(feed_ics(alice))[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 10, 30, tzinfo=PARIS)
    assert (str(again["STATUS"]), int(again["SEQUENCE"])) == ("CANCELLED", 1)


def test_a_deleted_opportunity_cancels_its_interviews_and_a_closed_ask_its_dates(
    alice, world
) -> None:
    with time_machine.travel(NOW, tick=False):
        feed_ics(alice)
        opportunity_delete(opportunity=world["opp"])
        ask_close(ask=world["ask"])
        events = {e.uid.split("@")[0]: e for e in calendar_events(alice)}
    assert events[f"interview-{world['talk'].pk}"].status == "CANCELLED"
    assert events[f"needed-by-{world['ask'].pk}"].status == "CANCELLED"
    assert events[f"offer-{world['offered'].pk}"].status == "CONFIRMED"  # the chat still stands


def test_a_cancelled_event_drops_out_long_after_its_date(alice, world) -> None:
    with time_machine.travel(NOW, tick=False):
        feed_ics(alice)
        world["talk"].delete()
        feed_ics(alice)
    with time_machine.travel(NOW + timedelta(days=200), tick=False):
        uids = {e.uid for e in calendar_events(alice)}
    assert f"interview-{world['talk'].pk}@{HOST}" not in uids
    assert EmittedEvent.objects.filter(owner=alice, cancelled=True).exists()


def test_an_offer_it_cannot_read_is_left_out(alice) -> None:
    with time_machine.travel(NOW, tick=False):
        bob = person(alice, "Bob Lindqvist", "bob@example.org")
        ask = sent_ask(alice, [bob])
        recipient = offer(ask.recipients.get(), "sometime next week, I'll text you")
        uids = {e.uid for e in calendar_events(alice)}
    assert f"offer-{recipient.pk}@{HOST}" not in uids


def test_the_feed_costs_the_same_queries_however_many_events(alice) -> None:
    def count() -> int:
        feed_ics(alice)  # the first fetch writes the ledger; a steady fetch reads only
        with CaptureQueriesContext(connection) as queries:
            feed_ics(alice)
        return len(queries)

    def grow(n: int) -> None:
        for i in range(n):
            opp = opportunity(alice, company=f"Company {i}")
            interview(opp, date(2026, 12, 1) + timedelta(days=i % 20), time(9 + i % 8))
            p = person(alice, f"Helper {i}", f"h{i}@example.org")
            ask = sent_ask(alice, [p], needed_by=date(2026, 12, 20))
            offer(ask.recipients.get(), "tomorrow at 10")

    with time_machine.travel(NOW, tick=False):
        grow(2)
        few = count()
        grow(10)
        many = count()
    assert few == many
    assert len(calendar_events(alice)) > 24


def test_another_seekers_feed_has_none_of_alices_events(alice, charlie, world) -> None:
    with time_machine.travel(NOW, tick=False):
        assert calendar_events(charlie) == []
        assert vevents(feed_ics(charlie)) == {}


def test_one_event_downloads_as_its_own_calendar(alice, world) -> None:
    with time_machine.travel(NOW, tick=False):
        event = next(e for e in calendar_events(alice) if e.kind == "interview")
        cal = parse(event_ics(alice, event))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [event.uid]
