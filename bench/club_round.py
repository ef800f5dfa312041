"""Job-club round figures for `make bench`, one `name: value` a line.

A full club (12 members, a year of weekly rounds, 50 offers a round, leads, goals and notes):
- round_page_ms, meeting_page_ms: the median server time of the round page and the meeting page
  for a member, beside club_bare_view_ms (a bare Django view, timed in the same loop), each with
  its query count (constant however full the club: tests/clubs/test_club_queries.py).

`bench_club_round()` expects Django set up with the bench URLs installed (bench/__main__.py).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta

MEMBERS = 12
WEEKS = 52
OFFERS = 50
REQUESTS = 20


def seed() -> tuple[int, int, int]:
    """The club; returns (club id, current meeting id, a member's user id)."""
    from helpwanted.accounts.models import User
    from helpwanted.clubs import leads, rounds
    from helpwanted.clubs.actions import club_create
    from helpwanted.clubs.models import (
        ClubRequest,
        FacilitatorNote,
        Goal,
        Meeting,
        Membership,
        Offer,
        Round,
    )

    facilitator = User.objects.create_user(email="bench-facilitator@example.org", password=None)
    club = club_create(facilitator=facilitator, fields={"name": "Bench Job Club"})
    users = [
        User.objects.create_user(
            email=f"bench-member{i}@example.org", password=None, display_name=f"Member {i}"
        )
        for i in range(MEMBERS)
    ]
    members = Membership.objects.bulk_create(Membership(club=club, user=u) for u in users)
    current = rounds.round_current(club)
    assert current is not None
    start = current.meeting.starts_at
    past = Meeting.objects.bulk_create(
        Meeting(
            club=club,
            starts_at=start - timedelta(weeks=w),
            ends_at=start - timedelta(weeks=w) + timedelta(minutes=90),
        )
        for w in range(1, WEEKS + 1)
    )
    for round_ in [current, *Round.objects.bulk_create(Round(meeting=m) for m in past)]:
        made = ClubRequest.objects.bulk_create(
            ClubRequest(round=round_, membership=m, text="Could you review my CV by Friday?")
            for m in members
        )
        offers = [
            Offer(request=r, membership=m, kind=Offer.Kind.REVIEW, note="Happy to")
            for r in made
            for m in members
            if m.pk != r.membership_id
        ][:OFFERS]
        Offer.objects.bulk_create(offers)
        Goal.objects.bulk_create(
            Goal(membership=m, meeting=round_.meeting, text="Two applications") for m in members
        )
        FacilitatorNote.objects.create(meeting=round_.meeting, author=facilitator, text="Notes")
    for offer in Offer.objects.filter(request__round=current).order_by("id")[:3]:
        rounds.offer_accept(offer=offer)
    for m in members:
        leads.lead_post(giver=m, fields={"company": "Acme", "role": "Designer"})
    return club.pk, current.meeting_id, users[0].pk


def bench_club_round() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from helpwanted.accounts.models import User

    club_id, meeting_id, user_id = seed()
    client = Client()
    client.force_login(
        User.objects.get(pk=user_id), backend="django.contrib.auth.backends.ModelBackend"
    )
    urls = {
        "club_bare_view": "/bench/bare/",
        "round_page": f"/clubs/{club_id}/round/",
        "meeting_page": f"/clubs/meetings/{meeting_id}/",
    }
    times: dict[str, list[float]] = {name: [] for name in urls}
    for url in urls.values():  # warm up templates, caches and the round's first opening
        client.get(url)
    for _ in range(REQUESTS):  # interleaved, so a busy moment slows every page alike
        for name, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            times[name].append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
    for name in urls:
        print(f"{name}_ms: {statistics.median(times[name]) * 1000:.1f}")
    for name in ("round_page", "meeting_page"):
        with CaptureQueriesContext(connection) as queries:
            client.get(urls[name])
        print(f"{name}_queries: {len(queries)}")
    sys.stdout.flush()
