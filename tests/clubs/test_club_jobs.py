"""Club tick jobs: the day-before reminder, offers batched, and one weekly club email at most."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from helpwanted.circle.actions import circle_add, member_consent
from helpwanted.clubs import jobs
from helpwanted.clubs.models import Membership
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.models import Search, Update
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.tick import run_tick
from helpwanted.network.actions import person_create
from tests.clubs.club_fixtures import (
    MONDAY,
    TUESDAY_MEETING,
    make_club,
    meeting_at,
    member,
    offer_on,
    request_in,
    user,
)
from tests.concurrency import twice

pytestmark = pytest.mark.django_db


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def eve(db):
    return user("eve@example.org", "Eve Okafor")


@pytest.fixture
def club(dana, alice, charlie, eve):
    return make_club(dana, alice, charlie, eve)


def club_mail(**filters):
    return list(OutboxMessage.objects.filter(kind__startswith="club-", **filters).order_by("id"))


def tick() -> dict[str, int]:
    results = run_tick()
    assert -1 not in results.values(), results  # no job failed
    return results


# --- The day-before reminder ----------------------------------------------------------------


def test_each_member_is_reminded_the_day_before_once_and_never_twice(club, alice):
    meeting = meeting_at(club, TUESDAY_MEETING)
    with at(TUESDAY_MEETING - dt.timedelta(hours=25)):
        assert jobs.meeting_reminders_send() == 0  # not the day before yet
    with at(TUESDAY_MEETING - dt.timedelta(hours=23)):
        assert jobs.meeting_reminders_send() == 3
        assert jobs.meeting_reminders_send() == 0  # a second tick sends nothing
    with at(TUESDAY_MEETING - dt.timedelta(hours=3)):
        assert jobs.meeting_reminders_send() == 0  # nor does a later one
    reminders = club_mail(kind="club-reminder")
    assert sorted(m.to_email for m in reminders) == [
        "alice@example.org",
        "charlie@example.org",
        "eve@example.org",
    ]
    mine = next(m for m in reminders if m.to_email == "alice@example.org")
    assert mine.key == f"club-reminder:{meeting.pk}:{member(club, alice).pk}"
    assert mine.subject == "Tuesday Job Club meets tomorrow"
    # In alice's own timezone (Paris is an hour ahead of UTC in March).
    assert "Tuesday 3 March at 11:00, Central Library, room 2" in mine.body_text


def test_no_reminder_for_a_cancelled_meeting(club):
    meeting = meeting_at(club, TUESDAY_MEETING)
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    with at(TUESDAY_MEETING - dt.timedelta(hours=20)):
        assert jobs.meeting_reminders_send() == 0


# --- Offers on your request -----------------------------------------------------------------


def test_two_offers_in_one_window_make_one_email_and_a_later_one_waits(club, alice, charlie, eve):
    gus = user("gus@example.org", "Gus Lee")
    Membership.objects.create(club=club, user=gus)
    request = request_in(meeting_at(club, TUESDAY_MEETING), member(club, alice), "An intro at Acme")
    with at(MONDAY):
        offer_on(request, member(club, charlie), note="I know their design lead")
        offer_on(request, member(club, eve))
    with at(MONDAY + dt.timedelta(minutes=1)):
        assert jobs.offers_notify() == 1
        (email,) = club_mail(kind="club-offers")
        assert email.to_email == "alice@example.org"
        assert email.subject == "2 offers of help in Tuesday Job Club"
        assert "Charlie Reyes" in email.body_text and "Eve Okafor" in email.body_text
        assert "I know their design lead" in email.body_text
        offer_on(request, member(club, gus))
        assert jobs.offers_notify() == 0  # this window's email is written: it waits
    with at(MONDAY + dt.timedelta(minutes=16)):
        assert jobs.offers_notify() == 1
        assert jobs.offers_notify() == 0
    later = club_mail(kind="club-offers")[1]
    assert "Gus Lee offered to help" in later.subject
    assert "Charlie" not in later.body_text  # each offer is told once
    assert not request.offers.filter(notified_at__isnull=True).exists()


# --- Restraint: club emails off, and leaving -------------------------------------------------


def test_club_emails_off_means_no_club_email_at_all(club, alice, charlie):
    mine = member(club, alice)
    mine.club_emails = False
    mine.save(update_fields=["club_emails"])
    mine.buddy = member(club, charlie)
    mine.save(update_fields=["buddy"])
    Membership.objects.filter(pk=mine.buddy.pk).update(
        last_active_at=MONDAY - dt.timedelta(days=20)
    )
    meeting = meeting_at(club, TUESDAY_MEETING)
    request = request_in(meeting, mine, "A CV review")
    with at(MONDAY + dt.timedelta(hours=1)):  # the day before the meeting; weekly emails due
        offer_on(request, member(club, charlie))
        tick()
    with at(MONDAY + dt.timedelta(days=7)):
        tick()
    assert club_mail(to_email="alice@example.org") == []
    assert club_mail(to_email="charlie@example.org")  # the others still get theirs


def test_a_member_who_left_gets_nothing(club, alice, charlie):
    mine = member(club, alice)
    mine.buddy = member(club, charlie)
    mine.left_at = MONDAY - dt.timedelta(days=1)
    mine.save(update_fields=["buddy", "left_at"])
    Membership.objects.filter(pk=mine.buddy.pk).update(
        last_active_at=MONDAY - dt.timedelta(days=20)
    )
    request = request_in(meeting_at(club, TUESDAY_MEETING), mine, "A CV review")
    with at(MONDAY + dt.timedelta(hours=1)):
        offer_on(request, member(club, charlie))
        tick()
    with at(MONDAY - dt.timedelta(hours=2) + dt.timedelta(days=7)):
        tick()
    assert club_mail(to_email="alice@example.org") == []
    assert club_mail(to_email="charlie@example.org")


# --- One weekly email at most ----------------------------------------------------------------


def weekly_emails_to(address: str) -> list[OutboxMessage]:
    kinds = ["club-weekly", "digest", "checkin-reminder"]
    return list(OutboxMessage.objects.filter(to_email=address, kind__in=kinds).order_by("id"))


def test_a_member_with_no_other_weekly_email_gets_one_club_email_a_week(club, charlie):
    meeting_at(club, TUESDAY_MEETING)
    meeting_at(club, TUESDAY_MEETING + dt.timedelta(weeks=1))
    nine = MONDAY - dt.timedelta(hours=1)  # charlie's Monday 09:00 (UTC)
    with at(nine - dt.timedelta(minutes=1)):
        tick()
        assert weekly_emails_to("charlie@example.org") == []
    for moment in (nine, nine + dt.timedelta(minutes=1), nine + dt.timedelta(hours=5)):
        with at(moment):
            tick()
    (weekly,) = weekly_emails_to("charlie@example.org")
    assert weekly.kind == "club-weekly" and weekly.key == f"club-weekly:{charlie.pk}:2026-W10"
    assert weekly.subject == "Your week in Tuesday Job Club"
    assert "Next meeting: Tuesday 3 March at 10:00, Central Library, room 2" in weekly.body_text
    assert (
        weekly.headers["List-Unsubscribe"]
        == f"<{jobs.emails.unsubscribe_url(member(club, charlie))}>"
    )
    with at(nine + dt.timedelta(weeks=1)):
        tick()
    assert [m.key for m in weekly_emails_to("charlie@example.org")] == [
        f"club-weekly:{charlie.pk}:2026-W10",
        f"club-weekly:{charlie.pk}:2026-W11",
    ]


def test_a_member_who_gets_the_digest_finds_the_club_inside_it_and_no_second_email(
    club, alice, charlie
):
    """charlie helps alice (he is in her circle), so his weekly email is the helpers' digest."""
    meeting_at(club, TUESDAY_MEETING)
    person = person_create(
        owner=alice, fields={"name": "Charlie Reyes", "emails": ["charlie@example.org"]}
    )
    member_consent(member=circle_add(person=person, audience="supporters"), via="invite")
    digest_slot = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # Monday 08:00 in Paris
    with at(digest_slot - dt.timedelta(days=1)):
        Update.objects.create(
            owner=alice, text="A second interview", kind="progress", audience="supporters"
        )
    for moment in (
        digest_slot,
        digest_slot + dt.timedelta(hours=2),
        digest_slot + dt.timedelta(hours=20),
    ):
        with at(moment):
            tick()
    (weekly,) = weekly_emails_to("charlie@example.org")
    assert weekly.kind == "digest"
    assert "A second interview" in weekly.body_text
    assert (
        "Your week in the club" in weekly.body_text and "Your week in the club" in weekly.body_html
    )
    assert "Next meeting: Tuesday 3 March at 10:00" in weekly.body_text
    assert club_mail(kind="club-weekly") != []  # the others, with no digest, got theirs
    assert not club_mail(kind="club-weekly", to_email="charlie@example.org")


def test_a_member_with_the_checkin_reminder_finds_the_club_inside_it(club, charlie):
    meeting_at(club, TUESDAY_MEETING)
    Search.objects.create(owner=charlie, reminder_enabled=True, reminder_weekday=0, reminder_hour=9)
    nine = MONDAY - dt.timedelta(hours=1)
    for moment in (nine, nine + dt.timedelta(hours=1)):
        with at(moment):
            tick()
    (weekly,) = weekly_emails_to("charlie@example.org")
    assert weekly.kind == "checkin-reminder"
    assert "And your week in the club:" in weekly.body_text
    assert "Tuesday Job Club" in weekly.body_html


def test_a_member_who_already_checked_in_gets_the_club_email_instead(club, charlie):
    meeting_at(club, TUESDAY_MEETING)
    Search.objects.create(owner=charlie, reminder_enabled=True, reminder_weekday=0, reminder_hour=9)
    nine = MONDAY - dt.timedelta(hours=1)
    with at(nine - dt.timedelta(hours=1)):
        checkin_save(owner=charlie, day=timezone.localdate(), hope=4, energy=4, confidence=4)
    for moment in (nine, nine + dt.timedelta(hours=1)):
        with at(moment):
            tick()
    (weekly,) = weekly_emails_to("charlie@example.org")
    assert weekly.kind == "club-weekly"


@pytest.mark.django_db(transaction=True)
def test_two_weekly_runs_at_once_send_one_club_email(dana, charlie):
    club = make_club(dana, charlie)
    meeting_at(club, TUESDAY_MEETING)
    with at(MONDAY - dt.timedelta(hours=1)):
        results = twice(jobs.club_weekly_send)
    assert sorted(results) == [0, 1]
    assert len(club_mail(kind="club-weekly")) == 1


def test_two_claims_of_one_week_only_one_wins(club, charlie):
    monday = MONDAY.date()
    assert jobs.weekly_claim(charlie.pk, monday) is True
    assert jobs.weekly_claim(charlie.pk, monday) is False
    assert jobs.weekly_claim(charlie.pk, monday + dt.timedelta(weeks=1)) is True


@pytest.mark.django_db(transaction=True)
def test_two_offer_runs_at_once_send_one_email(dana, alice, charlie):
    club = make_club(dana, alice, charlie)
    request = request_in(meeting_at(club, TUESDAY_MEETING), member(club, alice), "An intro")
    with at(MONDAY):
        offer_on(request, member(club, charlie))
        twice(jobs.offers_notify)
    assert len(club_mail(kind="club-offers")) == 1


def test_the_weekly_summary_holds_only_what_the_club_shares_with_them(club, alice, charlie, eve):
    from helpwanted.clubs.models import Goal, Lead, LeadTaken

    meeting = meeting_at(club, TUESDAY_MEETING)
    me, him, her = member(club, alice), member(club, charlie), member(club, eve)
    request_in(meeting, me, "MY-OWN-REQUEST")
    request_in(meeting, him, "Charlie would like a CV review")
    offered = request_in(meeting, her, "EVE-ALREADY-OFFERED")
    offer_on(offered, me)
    Lead.objects.create(club=club, giver=him, for_member=me, company="Acme", role="Designer")
    taken = Lead.objects.create(club=club, giver=her, for_member=me, company="TAKEN", role="PM")
    LeadTaken.objects.create(lead=taken, membership=me)
    Goal.objects.create(membership=me, meeting=meeting, text="Send two applications")
    checkin_save(owner=charlie, day=MONDAY.date(), hope=1, energy=1, confidence=1, note="SECRET")
    with at(MONDAY - dt.timedelta(hours=2)):  # 09:00 in Paris: alice's weekly moment
        assert jobs.club_weekly_send() >= 1
    (weekly,) = club_mail(kind="club-weekly", to_email="alice@example.org")
    assert "Charlie would like a CV review" in weekly.body_text
    assert "Designer at Acme" in weekly.body_text
    assert "Send two applications" in weekly.body_text
    for absent in ("MY-OWN-REQUEST", "EVE-ALREADY-OFFERED", "TAKEN", "SECRET"):
        assert absent not in weekly.body_text + weekly.body_html, absent
