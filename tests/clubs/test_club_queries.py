"""The club's pages cost a fixed number of queries, however full the club (measured at two sizes).

Full: 12 members, a year of weekly rounds with 50 offers each, leads, goals and notes.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpwanted.accounts.models import User
from helpwanted.clubs import leads, rounds
from helpwanted.clubs.actions import club_create
from helpwanted.clubs.models import (
    Club,
    ClubRequest,
    FacilitatorNote,
    Goal,
    Lead,
    LeadTaken,
    Meeting,
    Membership,
    Offer,
    Round,
)
from tests.clubs.round_world import client_for


def fill(facilitator: User, *, members: int, weeks: int, offers: int) -> Club:
    """A club of `members`, with `weeks` past weekly rounds and the current one, each with
    `offers` offers spread over its requests; two accepted (one thanked) in the current round."""
    club = club_create(facilitator=facilitator, fields={"name": f"Club of {members}"})
    people = [
        User.objects.create_user(email=f"m{i}-{club.pk}@example.org", display_name=f"Member {i}")
        for i in range(members)
    ]
    ms = Membership.objects.bulk_create(Membership(club=club, user=u) for u in people)
    current = rounds.round_current(club)
    assert current is not None
    now = current.meeting.starts_at
    past = Meeting.objects.bulk_create(
        Meeting(
            club=club,
            starts_at=now - timedelta(weeks=w),
            ends_at=now - timedelta(weeks=w) + timedelta(minutes=90),
        )
        for w in range(1, weeks + 1)
    )
    all_rounds = [current, *Round.objects.bulk_create(Round(meeting=m) for m in past)]
    for round_ in all_rounds:
        requests = ClubRequest.objects.bulk_create(
            ClubRequest(round=round_, membership=m, text=f"Request of {m.pk}", smart_score=3)
            for m in ms
        )
        made = []
        for r in requests:
            for m in ms:
                if len(made) < offers and m.pk != r.membership_id:
                    made.append(Offer(request=r, membership=m, kind="intro", note="I can"))
        Offer.objects.bulk_create(made)
        Goal.objects.bulk_create(
            Goal(membership=m, meeting=round_.meeting, text="A goal") for m in ms
        )
        FacilitatorNote.objects.create(meeting=round_.meeting, author=facilitator, text="Notes")
    mine = Offer.objects.filter(request__round=current).order_by("id")[:2]
    accepted = [rounds.offer_accept(offer=o) for o in mine]
    if accepted[0].recipient is not None:
        accepted[0].recipient.status = "thanked"
        accepted[0].recipient.save(update_fields=["status"])
    for m in ms:
        lead = leads.lead_post(giver=m, fields={"company": "Acme", "role": f"Role {m.pk}"})
        LeadTaken.objects.bulk_create(
            LeadTaken(lead=lead, membership=o) for o in ms[:3] if o.pk != m.pk
        )
    assert Lead.objects.filter(club=club).count() == members
    return club


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_club_pages_keep_a_constant_number_of_queries(dana):
    small = fill(dana, members=3, weeks=1, offers=2)
    full = fill(dana, members=12, weeks=52, offers=50)
    assert Offer.objects.filter(request__round__meeting__club=full).count() == 53 * 50
    counts = {}
    for club in (small, full):
        member = Membership.objects.filter(club=club).order_by("id").first()
        assert member is not None
        current = rounds.round_current(club)
        assert current is not None
        as_member, as_facilitator = client_for(member.user), client_for(dana)
        pages = {
            "club page": reverse("clubs:detail", args=[club.pk]),
            "round page": reverse("clubs:round", args=[club.pk]),
            "meeting page": reverse("clubs:meeting", args=[current.meeting_id]),
            "leads page": reverse("clubs:leads", args=[club.pk]),
        }
        for name, url in pages.items():
            _queries(as_member, url)  # warm: the first visit may open the round
            counts[(club.pk, name, "member")] = _queries(as_member, url)
            counts[(club.pk, name, "facilitator")] = _queries(as_facilitator, url)
    for name in ("club page", "round page", "meeting page", "leads page"):
        for role in ("member", "facilitator"):
            assert counts[(small.pk, name, role)] == counts[(full.pk, name, role)], (name, role)
    assert counts[(full.pk, "meeting page", "member")] <= 30
    assert counts[(full.pk, "round page", "member")] <= 20
