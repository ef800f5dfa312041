"""The meeting page: week lines from what each member shares, goals, notes, and the ICS."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_answer
from helpwanted.clubs import meeting as meeting_data
from helpwanted.clubs.models import FacilitatorNote, Goal, Meeting, Membership
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.opportunities import opportunity_create, opportunity_move
from helpwanted.network.actions import person_create
from tests.clubs.round_world import RoundWorld, build, client_for


@pytest.fixture
def world(alice, charlie, dana) -> RoundWorld:
    return build(alice, charlie, dana)


def meeting_url(world: RoundWorld) -> str:
    return reverse("clubs:meeting", args=[world.round.meeting_id])


def _a_week_of(user) -> None:
    """Two asks sent and one answered, one application, one interview, a check-in with a note."""
    for name in ("Priya", "Sam"):
        person = person_create(owner=user, fields={"name": name, "emails": [f"{name}@x.org"]})
        ask = ask_create(owner=user, fields={"kind": "advice", "request": f"PRIVATE-ASK {name}"})
        recipient_add(ask=ask, person=person)
        sent = ask_send(ask=ask)
    recipient_answer(recipient=sent[0], answer="yes", message="PRIVATE-ANSWER")
    applied = opportunity_create(owner=user, fields={"company": "Acme", "role": "PRIVATE-ROLE"})
    opportunity_move(opportunity=applied, stage="applied")
    talked = opportunity_create(owner=user, fields={"company": "Lumen", "role": "Designer"})
    opportunity_move(opportunity=talked, stage="interviewing")
    checkin_save(
        owner=user, day=timezone.localdate(), hope=4, energy=2, confidence=3, note="PRIVATE-NOTE"
    )


def test_a_members_week_is_one_line_of_what_they_share_and_never_their_notes(world):
    _a_week_of(world.alice)
    page = client_for(world.erin).get(meeting_url(world)).content.decode()
    assert "2 asks sent · 1 answered · 1 application · 1 interview" in page
    assert "hope" not in page  # check-in scores are off by default
    Membership.objects.filter(user=world.alice).update(share_checkins=True, share_asks=False)
    page = client_for(world.erin).get(meeting_url(world)).content.decode()
    assert "asks sent" not in page.split("Alice")[1].split("</li>")[0]
    assert "hope 4.0, energy 2.0, confidence 3.0 of 5" in page
    for secret in ("PRIVATE-NOTE", "PRIVATE-ASK", "PRIVATE-ANSWER", "PRIVATE-ROLE", "Priya"):
        assert secret not in page


def test_a_member_who_shares_nothing_shows_nothing_shared(world):
    _a_week_of(world.alice)
    Membership.objects.filter(user=world.alice).update(
        share_asks=False, share_applications=False, share_interviews=False
    )
    line = meeting_data.meeting_page(world.round.meeting, viewer=world.erin).lines[0]
    assert (line.membership.user, line.text) == (world.alice, "Nothing shared this week.")


def test_goals_one_to_three_and_a_fourth_is_refused_kindly(world):
    client = client_for(world.alice)
    url = reverse("clubs:goal_add", args=[world.round.meeting_id])
    for text in ("Send two applications", "Ask Priya for coffee", "Update my CV"):
        assert client.post(url, {"text": text}).status_code == 302
    response = client.post(url, {"text": "A fourth goal"})
    assert response.status_code == 200
    assert "You have 3 goals for this week already" in response.content.decode()
    assert "A fourth goal" in response.content.decode()  # what was typed stays
    assert Goal.objects.count() == 3
    for data, message in (({"text": ""}, "Write your goal"), ({"text": "g" * 201}, "under 200")):
        response = client.post(url, data)
        assert message in response.content.decode()
    assert Goal.objects.count() == 3


def test_last_weeks_goals_are_checked_off_at_the_next_meeting(world):
    this = world.round.meeting
    last = Meeting.objects.create(
        club=world.club,
        starts_at=this.starts_at - timedelta(weeks=1),
        ends_at=this.ends_at - timedelta(weeks=1),
    )
    goal = Goal.objects.create(
        membership=world.m(world.alice), meeting=last, text="Two applications"
    )
    alice = client_for(world.alice)
    page = alice.get(meeting_url(world)).content.decode()
    assert "Set last time, for this week" in page and "Two applications" in page
    alice.post(reverse("clubs:goal_done", args=[goal.pk]), {"done": "1"})
    goal.refresh_from_db()
    assert goal.done_at is not None
    assert "✓ Two applications" in client_for(world.erin).get(meeting_url(world)).content.decode()
    # Only its owner checks it off.
    assert (
        client_for(world.erin).post(reverse("clubs:goal_done", args=[goal.pk])).status_code == 404
    )
    alice.post(reverse("clubs:goal_done", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.done_at is None


def test_facilitator_notes_for_the_club_or_only_for_themself(world):
    dana = client_for(world.dana)
    url = reverse("clubs:note_add", args=[world.round.meeting_id])
    dana.post(url, {"text": "Welcome back everyone", "visibility": "club"})
    dana.post(url, {"text": "SECRET-FACILITATOR-NOTE", "visibility": "private"})
    assert FacilitatorNote.objects.count() == 2
    assert "SECRET-FACILITATOR-NOTE" in dana.get(meeting_url(world)).content.decode()
    for user in (world.alice, world.gus):
        page = client_for(user).get(meeting_url(world)).content.decode()
        assert "Welcome back everyone" in page
        assert "SECRET-FACILITATOR-NOTE" not in page
    assert client_for(world.alice).post(url, {"text": "x", "visibility": "club"}).status_code == 404
    for data, message in (
        ({"text": "", "visibility": "club"}, "Write your note first"),
        ({"text": "ok", "visibility": "everyone"}, "Select a valid choice"),
    ):
        assert message in dana.post(url, data).content.decode()
    assert FacilitatorNote.objects.count() == 2


def test_the_meeting_ics_has_one_event_with_a_stable_uid(world):
    url = reverse("clubs:meeting_ics", args=[world.round.meeting_id])
    first = client_for(world.alice).get(url)
    assert first["Content-Type"].startswith("text/calendar")
    second = client_for(world.erin).get(url)
    events = [Calendar.from_ical(r.content).walk("VEVENT") for r in (first, second)]
    assert [len(e) for e in events] == [1, 1]
    meeting = world.round.meeting
    assert str(events[0][0]["UID"]) == str(events[1][0]["UID"]) == meeting.uid
    assert events[0][0].decoded("DTSTART") == meeting.starts_at
    assert str(events[0][0]["SUMMARY"]) == "Tuesday Job Club"


def test_the_club_ics_has_one_event_per_meeting_with_stable_uids(world):
    url = reverse("clubs:club_ics", args=[world.club.pk])
    meetings = list(world.club.meetings.order_by("starts_at"))
    assert len(meetings) > 5
    uids = []
    for _ in range(2):
        events = Calendar.from_ical(client_for(world.dana).get(url).content).walk("VEVENT")
        uids.append([str(e["UID"]) for e in events])
    assert uids[0] == uids[1] == [m.uid for m in meetings]
    assert len(set(uids[0])) == len(meetings)


def test_nobody_outside_the_club_reaches_the_meeting(world):
    goal = Goal.objects.create(
        membership=world.m(world.alice), meeting=world.round.meeting, text="Mine"
    )
    charlie = client_for(world.charlie)
    meeting_id = world.round.meeting_id
    for url in (
        meeting_url(world),
        reverse("clubs:meeting_ics", args=[meeting_id]),
        reverse("clubs:club_ics", args=[world.club.pk]),
    ):
        assert charlie.get(url).status_code == 404
    for url in (
        reverse("clubs:goal_add", args=[meeting_id]),
        reverse("clubs:goal_done", args=[goal.pk]),
        reverse("clubs:note_add", args=[meeting_id]),
    ):
        assert (
            charlie.post(url, {"text": "x", "visibility": "club", "done": "1"}).status_code == 404
        )
    goal.refresh_from_db()
    assert goal.done_at is None and Goal.objects.count() == 1
    assert not FacilitatorNote.objects.exists()
