"""The facilitator's view: the "reach out" rules (pure, table tests), the page (only the
facilitator sees it, constant queries for a full club with a year of meetings), and the
outcomes CSV (numbers only)."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from html import escape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import ask_create, ask_send
from helpwanted.clubs import actions, facilitator
from helpwanted.clubs.facilitator import MemberSignals, hope_dipped, reach_out, weeks_to_land
from helpwanted.clubs.meeting import goal_add
from helpwanted.clubs.models import Goal, Meeting, Membership, SharedUpdate, WeekCheck
from helpwanted.clubs.rounds import request_post, round_current
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.updates import update_post
from helpwanted.network.actions import person_create
from tests.clubs.club_world import make_user, small_club

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
MEETINGS = [NOW - timedelta(days=2), NOW - timedelta(days=9), NOW - timedelta(days=16)]


def signals(**changes) -> MemberSignals:
    base = {
        "is_alumnus": False,
        "joined_at": NOW - timedelta(days=60),
        "shares_asks": True,
        "last_ask_at": NOW - timedelta(days=3),
        "last_activity_at": NOW - timedelta(days=1),
        "shares_checkins": False,
        "hope": (),
        "last_rejection_shared_at": None,
    }
    return MemberSignals(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"last_ask_at": NOW - timedelta(days=11)}, ["no-asks"]),
        ({"last_ask_at": NOW - timedelta(days=9)}, []),
        ({"last_ask_at": None}, ["no-asks"]),
        ({"last_ask_at": None, "shares_asks": False}, []),  # not shared: not read
        ({"last_ask_at": None, "joined_at": NOW - timedelta(days=5)}, []),  # new here
        ({"last_activity_at": NOW - timedelta(days=10)}, ["quiet"]),
        ({"last_activity_at": NOW - timedelta(days=8)}, []),  # active since the earlier one
        ({"last_activity_at": None, "joined_at": NOW - timedelta(days=5)}, []),
        (
            {"shares_checkins": True, "hope": [(date(2026, 11, 20), 4), (date(2026, 11, 28), 2)]},
            ["hope"],
        ),
        (
            {"shares_checkins": False, "hope": [(date(2026, 11, 20), 4), (date(2026, 11, 28), 2)]},
            [],
        ),
        ({"last_rejection_shared_at": NOW - timedelta(days=3)}, ["rejection"]),
        ({"last_rejection_shared_at": NOW - timedelta(days=15)}, []),
        ({"is_alumnus": True, "last_ask_at": None, "last_activity_at": None}, []),
    ],
)
def test_the_reach_out_rules(changes, expected):
    assert reach_out(signals(**changes), now=NOW, past_meetings=MEETINGS) == expected


def test_quiet_needs_two_meetings_to_have_happened():
    quiet = signals(last_activity_at=None)
    assert reach_out(quiet, now=NOW, past_meetings=MEETINGS[:1]) == []
    assert reach_out(quiet, now=NOW, past_meetings=MEETINGS[:2]) == ["quiet"]


@pytest.mark.parametrize(
    ("points", "dipped"),
    [
        ([], False),
        ([(date(2026, 11, 28), 1)], False),
        ([(date(2026, 11, 20), 4), (date(2026, 11, 28), 3)], False),
        ([(date(2026, 11, 20), 4), (date(2026, 11, 28), 2)], True),
        ([(date(2026, 11, 1), 5), (date(2026, 11, 28), 2)], False),  # outside 14 days
        ([(date(2026, 11, 28), 2), (date(2026, 11, 20), 4)], True),  # any order
    ],
)
def test_a_hope_dip(points, dipped):
    assert hope_dipped(points, date(2026, 11, 29)) is dipped


def test_weeks_to_land_is_the_median():
    start = NOW - timedelta(weeks=20)
    spans = [(start, start + timedelta(weeks=w)) for w in (4, 6, 12)]
    assert weeks_to_land(spans) == 6.0
    assert weeks_to_land([]) is None


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db
def test_the_page_lists_who_may_need_a_word_and_only_the_facilitator_sees_it(dana, alice, charlie):
    world = small_club(dana, alice, charlie)
    Membership.objects.filter(club=world.club).update(joined_at=timezone.now() - timedelta(days=30))
    # charlie asked someone two days ago; alice hasn't asked anyone.
    person = person_create(owner=charlie, fields={"name": "Ruth", "emails": ["ruth@example.org"]})
    ask = ask_create(
        owner=charlie,
        fields={"kind": "advice", "request": "A chat about UX?", "why": "Switching."},
        people=[person],
    )
    ask_send(ask=ask)
    # alice shared a rejection with the club.
    update = update_post(owner=alice, kind="rejection", text="No from Acme", audience="inner")
    SharedUpdate.objects.create(club=world.club, update=update)
    page = client_for(dana).get(reverse("clubs:facilitator", args=[world.club.pk]))
    text = page.content.decode()
    reach = text.split('id="reach-heading"')[1].split("</section>")[0]
    assert "Alice Moreau" in reach
    assert escape(facilitator.REASONS["no-asks"]) in reach
    assert escape(facilitator.REASONS["rejection"]) in reach
    assert "Charlie Reyes" not in reach
    assert "No from Acme" not in text  # the update's words stay off the page
    for member in (alice, charlie):
        url = reverse("clubs:facilitator", args=[world.club.pk])
        assert client_for(member).get(url).status_code == 404


@pytest.mark.django_db
def test_falling_check_ins_show_only_when_shared(dana, alice):
    world = small_club(dana, alice)
    today = timezone.localdate()
    checkin_save(owner=alice, day=today - timedelta(days=7), hope=5, energy=3, confidence=3)
    checkin_save(owner=alice, day=today, hope=2, energy=3, confidence=3, note="PRIVATE-NOTE")
    url = reverse("clubs:facilitator", args=[world.club.pk])
    assert escape(facilitator.REASONS["hope"]) not in client_for(dana).get(url).content.decode()
    Membership.objects.filter(pk=world.memberships[0].pk).update(share_checkins=True)
    page = client_for(dana).get(url).content.decode()
    assert escape(facilitator.REASONS["hope"]) in page
    assert "PRIVATE-NOTE" not in page


def _full_club(dana, members: int, weeks: int, prefix: str):
    """A club with `members` members, a meeting a week for `weeks` weeks, each member active."""
    users = [make_user(f"{prefix}{i}") for i in range(members)]
    world = small_club(dana, *users)
    start = timezone.now() - timedelta(weeks=weeks)
    world.club.created_at = start
    world.club.save(update_fields=["created_at"])
    actions.meetings_ensure(world.club, timezone.now(), since=start)
    meetings = list(Meeting.objects.filter(club=world.club, starts_at__lt=timezone.now()))
    Goal.objects.bulk_create(
        Goal(membership=m, meeting=meeting, text="A goal")
        for m in world.memberships
        for meeting in meetings
    )
    WeekCheck.objects.bulk_create(
        WeekCheck(membership=m, week_of=actions.week_of(meeting.starts_at.date()), text="ok")
        for m in world.memberships
        for meeting in meetings
    )
    round_ = round_current(world.club)
    for m in world.memberships:
        request_post(
            membership=m,
            round_=round_,
            fields={"kind": "advice", "text": "Help"},
            today=timezone.localdate(),
        )
        checkin_save(owner=m.user, day=timezone.localdate(), hope=3, energy=3, confidence=3)
    Membership.objects.filter(club=world.club).update(share_checkins=True)
    goal_add(membership=world.memberships[0], meeting=round_.meeting, text="Next week")
    return world


@pytest.mark.django_db
def test_the_facilitators_page_takes_the_same_queries_for_a_small_and_a_full_club(dana):
    small = _full_club(dana, members=2, weeks=3, prefix="Small")
    full = _full_club(make_user("Fay"), members=12, weeks=52, prefix="Full")
    counts = []
    for world in (small, full):
        client = client_for(world.club.facilitator)
        url = reverse("clubs:facilitator", args=[world.club.pk])
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Meeting.objects.filter(club=full.club).count() >= 52


@pytest.mark.django_db
def test_the_outcomes_csv_is_numbers_only(dana, alice, charlie):
    world = small_club(dana, alice, charlie)
    actions.membership_alumnus(membership=world.memberships[0])
    round_ = round_current(world.club)
    request_post(
        membership=world.memberships[1],
        round_=round_,
        fields={"kind": "advice", "text": "SECRET-REQUEST-TEXT"},
        today=timezone.localdate(),
    )
    response = client_for(dana).get(reverse("clubs:outcomes_csv", args=[world.club.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "value"]
    figures = dict(rows[1:])
    assert figures["Members joined"] == "2"
    assert figures["Landed a job"] == "1"
    assert figures["Requests made"] == "1"
    for _label, value in rows[1:]:
        assert value == "" or value.replace(".", "", 1).isdigit()
    text = response.content.decode()
    assert "Alice" not in text and "SECRET-REQUEST-TEXT" not in text
    assert (
        client_for(alice).get(reverse("clubs:outcomes_csv", args=[world.club.pk])).status_code
        == 404
    )
