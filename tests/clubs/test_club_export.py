"""The seeker's export gains "clubs": their own part of each club, nothing of anyone else's."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpwanted.clubs.exports import clubs_export
from helpwanted.clubs.models import FacilitatorNote, Goal, Lead, LeadTaken, Offer, WeekCheck
from helpwanted.elsewhere.exports import export_json
from helpwanted.journey.checkins import checkin_save
from helpwanted.network.actions import person_create
from tests.clubs.club_fixtures import (
    TUESDAY_MEETING,
    make_club,
    meeting_at,
    member,
    offer_on,
    request_in,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eve(db):
    return user("eve@example.org", "Eve Okafor")


@pytest.fixture
def club(dana, alice, charlie, eve):
    """alice asked for an intro (charlie offered, accepted; eve offered, declined), set a goal,
    gave a lead to eve (taken) and took one of charlie's. Everyone else has private markers."""
    club = make_club(dana, alice, charlie, eve)
    meeting = meeting_at(club, TUESDAY_MEETING)
    me, him, her = member(club, alice), member(club, charlie), member(club, eve)
    mine = request_in(meeting, me, "An intro to someone at Lumen Labs")
    accepted = offer_on(mine, him, note="I know their design lead")
    Offer.objects.filter(pk=accepted.pk).update(state="accepted", accepted_at=timezone.now())
    declined = offer_on(mine, her)
    Offer.objects.filter(pk=declined.pk).update(state="declined")
    theirs = request_in(meeting, him, "CHARLIE-REQUEST-MARKER a CV review")  # the club sees it
    offer_on(theirs, me, note="Happy to read it")
    offer_on(theirs, her, note="EVE-OFFER-MARKER on someone else's request")
    Goal.objects.create(membership=me, meeting=meeting, text="Send two applications")
    Goal.objects.create(membership=him, meeting=meeting, text="CHARLIE-GOAL-MARKER")
    WeekCheck.objects.create(membership=me, week_of=dt.date(2026, 3, 2), text="A good week")
    WeekCheck.objects.create(membership=him, week_of=dt.date(2026, 3, 2), text="CHARLIE-CHECK")
    given = Lead.objects.create(
        club=club, giver=me, for_member=her, company="Acme", role="Designer", note="Suits you"
    )
    LeadTaken.objects.create(lead=given, membership=her)
    taken = Lead.objects.create(club=club, giver=him, company="Lumen Labs", role="PM")
    LeadTaken.objects.create(lead=taken, membership=me)
    Lead.objects.create(club=club, giver=him, company="CHARLIE-LEAD-MARKER", role="Ops")
    FacilitatorNote.objects.create(meeting=meeting, author=dana, text="DANA-PRIVATE-MARKER")
    person_create(owner=charlie, fields={"name": "Zed", "notes": "CHARLIE-NOTES-MARKER"})
    checkin_save(
        owner=charlie,
        day=dt.date(2026, 3, 2),
        hope=2,
        energy=2,
        confidence=2,
        note="CHARLIE-CHECKIN-MARKER",
    )
    return club


def test_the_export_has_clubs_with_the_promised_keys(club, alice):
    (exported,) = export_json(alice)["clubs"]
    assert exported["name"] == "Tuesday Job Club"
    assert exported["role"] == "member"
    assert exported["joined"].startswith("2026-02-09")
    (request,) = exported["requests"]
    assert request["text"] == "An intro to someone at Lumen Labs"
    assert [(o["from"], o["state"]) for o in request["offers"]] == [
        ("Charlie Reyes", "accepted"),
        ("Eve Okafor", "declined"),
    ]
    assert [g["text"] for g in exported["goals"]] == ["Send two applications"]
    (given,) = exported["leads_given"]
    assert (given["company"], given["for"], given["taken"]) == ("Acme", "Eve Okafor", 1)
    (taken,) = exported["leads_taken"]
    assert (taken["company"], taken["from"]) == ("Lumen Labs", "Charlie Reyes")
    assert [o["note"] for o in exported["offers_made"]] == ["Happy to read it"]
    assert [c["text"] for c in exported["week_checks"]] == ["A good week"]


def test_nothing_of_other_members_private_data_is_in_it(club, alice):
    text = json.dumps(export_json(alice))
    for marker in (
        "CHARLIE-NOTES-MARKER",
        "CHARLIE-CHECKIN-MARKER",
        "CHARLIE-GOAL-MARKER",
        "CHARLIE-CHECK",
        "CHARLIE-LEAD-MARKER",
        "EVE-OFFER-MARKER",
        "DANA-PRIVATE-MARKER",
        "eve@example.org",
        "charlie@example.org",
    ):
        assert marker not in text, marker


def test_the_facilitator_exports_the_club_they_run_with_their_own_notes(club, dana):
    (run,) = clubs_export(dana)
    assert run["role"] == "facilitator"
    assert [n["text"] for n in run["notes"]] == ["DANA-PRIVATE-MARKER"]
    assert "CHARLIE" not in json.dumps(run)


def test_a_club_left_is_still_in_my_export_with_the_day_i_left(club, alice):
    me = member(club, alice)
    me.left_at = timezone.now()
    me.save(update_fields=["left_at"])
    (exported,) = clubs_export(alice)
    assert exported["left"] is not None and exported["requests"]


def test_the_export_reads_clubs_in_a_constant_number_of_queries(club, dana, alice, charlie):
    with CaptureQueriesContext(connection) as one:
        clubs_export(alice)
    other = make_club(dana, alice, charlie, name="Thursday Club")
    meeting = meeting_at(other, TUESDAY_MEETING + dt.timedelta(days=2))
    for n in range(3):
        req = request_in(
            meeting_at(other, TUESDAY_MEETING + dt.timedelta(weeks=n + 1)),
            member(other, alice),
            f"Ask {n}",
        )
        offer_on(req, member(other, charlie))
        Goal.objects.create(membership=member(other, alice), meeting=meeting, text=f"Goal {n}")
    with CaptureQueriesContext(connection) as two:
        assert len(clubs_export(alice)) == 2
    assert len(two.captured_queries) == len(one.captured_queries)


def test_someone_in_no_club_exports_an_empty_list(charlie, db):
    assert export_json(user("nia@example.org", "Nia"))["clubs"] == []
