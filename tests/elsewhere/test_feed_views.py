"""The secret feed URL on the account page, the feed itself, dates and "Add to calendar"."""

from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from helpwanted.elsewhere.feeds import derive_token, feed_for
from helpwanted.elsewhere.models import CalendarFeed, hash_token
from helpwanted.journey.models import Interview
from tests.concurrency import at_once
from tests.elsewhere.world import interview, offer, opportunity, person, sent_ask

pytestmark = pytest.mark.django_db

MANAGE = reverse("elsewhere:feed_manage")
PROFILE = reverse("accounts:profile")


def feed_path(user) -> str:
    feed = feed_for(user)
    assert feed is not None
    return reverse("elsewhere:feed", args=[derive_token(feed.nonce)])


def test_the_account_page_makes_a_feed_url_that_serves_the_calendar(alice, alice_client) -> None:
    assert "Make my calendar address" in alice_client.get(PROFILE).content.decode()
    response = alice_client.post(MANAGE, {"action": "rotate"})
    assert response.status_code == 302
    path = feed_path(alice)
    page = alice_client.get(PROFILE).content.decode()
    assert path in page and "webcal://" in page
    served = alice_client.__class__().get(path)  # a calendar app: no cookie at all
    assert served.status_code == 200
    assert served["Content-Type"] == "text/calendar; charset=utf-8"
    assert served["Referrer-Policy"] == "no-referrer"
    assert "no-store" in served["Cache-Control"]
    assert icalendar.Calendar.from_ical(served.content)["X-WR-CALNAME"]


def test_only_the_hash_of_the_token_is_stored(alice, alice_client) -> None:
    alice_client.post(MANAGE, {"action": "rotate"})
    token = feed_path(alice).removeprefix("/cal/").removesuffix(".ics")
    feed = CalendarFeed.objects.get(owner=alice)
    assert feed.token_hash == hash_token(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM elsewhere_calendarfeed")
        assert token not in repr(cursor.fetchall())


def test_a_new_address_stops_the_old_one(alice, alice_client, client) -> None:
    alice_client.post(MANAGE, {"action": "rotate"})
    old = feed_path(alice)
    alice_client.post(MANAGE, {"action": "rotate"})
    new = feed_path(alice)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_turning_the_feed_off_stops_it(alice, alice_client, client) -> None:
    alice_client.post(MANAGE, {"action": "rotate"})
    path = feed_path(alice)
    response = alice_client.post(MANAGE, {"action": "revoke"}, follow=True)
    assert "Your calendar feed is off" in response.content.decode()
    assert client.get(path).status_code == 404
    assert not CalendarFeed.objects.filter(owner=alice).exists()


@pytest.mark.parametrize("token", ["nope", "x" * 500, "%00", derive_token("a nonce never issued")])
def test_a_wrong_token_is_a_404(client, alice, token) -> None:
    assert client.get(f"/cal/{token}.ics").status_code == 404


def test_a_bad_action_changes_nothing(alice, alice_client) -> None:
    alice_client.post(MANAGE, {"action": "rotate"})
    before = CalendarFeed.objects.get(owner=alice).token_hash
    response = alice_client.post(MANAGE, {"action": "explode"}, follow=True)
    assert "Choose one of the buttons" in response.content.decode()
    assert CalendarFeed.objects.get(owner=alice).token_hash == before


def test_an_inactive_seekers_feed_is_a_404(alice, alice_client, client) -> None:
    alice_client.post(MANAGE, {"action": "rotate"})
    path = feed_path(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


def test_feed_manage_is_post_only_and_needs_a_login(client, alice_client) -> None:
    assert alice_client.get(MANAGE).status_code == 405
    assert client.post(MANAGE, {"action": "rotate"}).status_code == 302  # to the login page
    assert not CalendarFeed.objects.exists()


# --- dates on an opportunity -----------------------------------------------------------------


def test_adding_a_date_shows_it_with_an_add_to_calendar_download(alice, alice_client) -> None:
    opp = opportunity(alice)
    url = reverse("elsewhere:interview_add", args=[opp.pk])
    day = timezone.localdate() + timedelta(days=3)
    response = alice_client.post(
        url, {"kind": "interview", "on": day.isoformat(), "at": "10:30", "minutes": "45"}
    )
    assert response.status_code == 302
    saved = Interview.objects.get(opportunity=opp)
    assert (saved.on, saved.at, saved.minutes) == (day, time(10, 30), 45)
    page = alice_client.get(reverse("journey:opportunity", args=[opp.pk])).content.decode()
    ics_url = reverse("elsewhere:interview_ics", args=[opp.pk, saved.pk])
    assert ics_url in page
    download = alice_client.get(ics_url)
    assert download["Content-Disposition"].startswith("attachment;")
    event = icalendar.Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART").time() == time(10, 30)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "interview", "on": "", "minutes": "60"}, "Enter the date."),
        ({"kind": "interview", "on": "2026-02-30", "minutes": "60"}, "Enter a real date."),
        ({"kind": "interview", "on": "next week", "minutes": "60"}, "Enter a real date."),
        ({"kind": "interview", "on": "2099-01-01", "minutes": "60"}, "Check the year."),
        ({"kind": "interview", "on": "2026-12-01", "at": "25:99", "minutes": "60"}, "like 14:30"),
        ({"kind": "interview", "on": "2026-12-01", "minutes": "0"}, "greater than or equal to 5"),
        ({"kind": "interview", "on": "2026-12-01", "minutes": "9999"}, "less than or equal to 720"),
        ({"kind": "party", "on": "2026-12-01", "minutes": "60"}, "Select a valid choice"),
    ],
)
def test_a_bad_date_form_says_what_to_fix_and_saves_nothing(
    alice, alice_client, data, message
) -> None:
    opp = opportunity(alice)
    response = alice_client.post(reverse("elsewhere:interview_add", args=[opp.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interview.objects.exists()


def test_removing_a_date_keeps_it_in_the_feed_as_cancelled(alice, alice_client, client) -> None:
    opp = opportunity(alice)
    talk = interview(opp, timezone.localdate() + timedelta(days=2), time(9))
    alice_client.post(MANAGE, {"action": "rotate"})
    client.get(feed_path(alice))
    alice_client.post(reverse("elsewhere:interview_delete", args=[opp.pk, talk.pk]))
    assert not Interview.objects.filter(pk=talk.pk).exists()
    cal = icalendar.Calendar.from_ical(client.get(feed_path(alice)).content)
    (event,) = cal.walk("VEVENT")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)


def test_another_seeker_cannot_see_or_remove_alices_dates(alice, charlie_client) -> None:
    opp = opportunity(alice)
    talk = interview(opp, date(2026, 12, 2))
    urls = [
        reverse("elsewhere:interview_ics", args=[opp.pk, talk.pk]),
        reverse("elsewhere:interview_add", args=[opp.pk]),
    ]
    for url in urls:
        assert charlie_client.get(url).status_code == 404
    delete = reverse("elsewhere:interview_delete", args=[opp.pk, talk.pk])
    assert charlie_client.post(delete).status_code == 404
    assert Interview.objects.filter(pk=talk.pk).exists()


# --- offered times ---------------------------------------------------------------------------


def test_an_offered_time_downloads_when_it_reads_and_is_a_404_when_it_doesnt(
    alice, alice_client
) -> None:
    bob = person(alice, "Bob Lindqvist", "bob@example.org")
    priya = person(alice, "Priya Shah", "priya@example.org")
    ask = sent_ask(alice, [bob, priya])
    by_person = {r.person_id: r for r in ask.recipients.all()}
    readable = offer(by_person[bob.pk], "tomorrow at 10")
    vague = offer(by_person[priya.pk], "whenever suits")
    page = alice_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert reverse("elsewhere:offer_ics", args=[readable.pk]) in page
    assert reverse("elsewhere:offer_ics", args=[vague.pk]) not in page
    download = alice_client.get(reverse("elsewhere:offer_ics", args=[readable.pk]))
    event = icalendar.Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART").hour == 10
    assert alice_client.get(reverse("elsewhere:offer_ics", args=[vague.pk])).status_code == 404


# --- two fetches at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_fetches_at_once_bump_a_changed_event_once(alice) -> None:
    from helpwanted.elsewhere.calendar import calendar_events

    opp = opportunity(alice)
    talk = interview(opp, date(2026, 12, 2), time(9))
    calendar_events(alice)
    Interview.objects.filter(pk=talk.pk).update(at=time(11))
    first, second = at_once(lambda: calendar_events(alice), lambda: calendar_events(alice))
    sequences = {e.sequence for e in [*first, *second] if e.kind == "interview"}
    assert sequences == {1}
    (event,) = [e for e in calendar_events(alice) if e.kind == "interview"]
    assert event.sequence == 1


def test_the_feed_token_never_reaches_a_log(alice, alice_client, client, caplog) -> None:
    from helpwanted.lib.logredact import redact

    alice_client.post(MANAGE, {"action": "rotate"})
    path = feed_path(alice)
    token = path.removeprefix("/cal/").removesuffix(".ics")
    line = f'127.0.0.1 - - "GET {path} HTTP/1.1" 200 1234 "-" "Google-Calendar-Importer"'
    assert token not in redact(line)
    assert "/cal/[redacted]" in redact(line)
    with caplog.at_level("INFO"):
        alice_client.post(MANAGE, {"action": "rotate"})
        client.get(path)  # now a 404, which django.request logs
    assert token not in caplog.text
