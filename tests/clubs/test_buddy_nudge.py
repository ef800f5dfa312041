"""A quiet buddy: a next step on day 10 (not day 9), and at most one gentle email a quiet spell."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from helpwanted.clubs import jobs
from helpwanted.clubs.models import Membership
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.nudges import rules
from tests.clubs.club_fixtures import make_club, member

pytestmark = pytest.mark.django_db

# charlie's last club activity: Monday 2 March 2026, 12:00 UTC (13:00 in alice's Paris).
LAST_SEEN = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def day(n: int, hour: int = 12) -> dt.datetime:
    return LAST_SEEN.replace(hour=hour) + dt.timedelta(days=n)


@pytest.fixture
def buddies(dana, alice, charlie):
    club = make_club(dana, alice, charlie)
    mine, theirs = member(club, alice), member(club, charlie)
    Membership.objects.filter(pk=mine.pk).update(buddy=theirs, last_active_at=day(9))
    Membership.objects.filter(pk=theirs.pk).update(buddy=mine, last_active_at=LAST_SEEN)
    person_create(owner=alice, fields={"name": "Nora Inner"})  # next steps need someone
    return mine, theirs


def home_step_keys(client) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [step.key for step, _url in response.context["next_steps"]]


def buddy_steps(client) -> list[str]:
    return [key for key in home_step_keys(client) if key.startswith("buddy:")]


def quiet_emails() -> list[OutboxMessage]:
    """alice's, about charlie (charlie may get one about alice too, once she's quiet)."""
    return list(OutboxMessage.objects.filter(kind="club-buddy-quiet", to_email=alice_email))


alice_email = "alice@example.org"


@pytest.mark.parametrize(
    ("days", "quiet"), [(0, False), (1, False), (9, False), (10, True), (11, True), (40, True)]
)
def test_a_buddy_is_quiet_from_the_tenth_day(days, quiet):
    today = dt.date(2026, 3, 12)
    assert rules.buddy_is_quiet(today - dt.timedelta(days=days), today) is quiet


def test_the_nudge_shows_on_day_10_and_not_on_day_9(buddies, alice_client):
    """Days are alice's own (Paris): her day 10 begins at 23:00 UTC on day 9."""
    with time_machine.travel(day(9, hour=21), tick=False):  # 22:00 in Paris, day 9
        assert buddy_steps(alice_client) == []
        assert jobs.buddy_quiet_emails_send() == 0
    with time_machine.travel(day(9, hour=23), tick=False):  # 00:00 in Paris: day 10 for alice
        (key,) = buddy_steps(alice_client)
        assert key == f"buddy:{buddies[0].pk}-20260302"
        response = alice_client.get(reverse("home"))
        assert (
            "Charlie, your buddy in Tuesday Job Club, has been quiet for a while" in response.text
        )
        assert jobs.buddy_quiet_emails_send() == 1


def test_one_gentle_email_a_quiet_spell(buddies):
    for n in (10, 11, 12, 20):
        with time_machine.travel(day(n), tick=False):
            jobs.buddy_quiet_emails_send()
    (email,) = quiet_emails()
    assert email.to_email == "alice@example.org"
    assert email.subject == "Maybe a word for Charlie?"
    assert "only email about it" in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # charlie comes back, then goes quiet again: a new spell, one more email.
    Membership.objects.filter(pk=buddies[1].pk).update(last_active_at=day(21))
    for n in (25, 31, 32):
        with time_machine.travel(day(n), tick=False):
            jobs.buddy_quiet_emails_send()
    assert len(quiet_emails()) == 2


def test_a_buddy_who_is_active_again_takes_the_nudge_away(buddies, alice_client):
    with time_machine.travel(day(12), tick=False):
        assert buddy_steps(alice_client) != []
        Membership.objects.filter(pk=buddies[1].pk).update(last_active_at=day(12))
        assert buddy_steps(alice_client) == []


def test_a_buddy_who_left_is_no_nudge(buddies, alice_client):
    Membership.objects.filter(pk=buddies[1].pk).update(left_at=day(1))
    with time_machine.travel(day(12), tick=False):
        assert buddy_steps(alice_client) == []
        assert jobs.buddy_quiet_emails_send() == 0


def test_club_emails_off_keeps_the_nudge_but_sends_no_email(buddies, alice_client):
    Membership.objects.filter(pk=buddies[0].pk).update(club_emails=False)
    with time_machine.travel(day(12), tick=False):
        assert buddy_steps(alice_client) != []
        assert jobs.buddy_quiet_emails_send() == 0
