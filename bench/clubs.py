"""Job-club page figures for `make bench`, one `name: value` a line.

For a full club (12 members, a year of weekly rounds, 50 offers a round: bench/club_round.py's
club, made here if that bench hasn't run), the median server time of:
- club_page_ms: the club's page, for a member;
- facilitator_page_ms: the facilitator's view (reach out, members, outcomes);
beside clubs_bare_view_ms, a bare Django view timed in the same interleaved loop, each page with
its query count (constant however full the club: tests/clubs/test_club_queries.py and
tests/clubs/test_facilitator.py).

`bench_clubs()` expects Django set up with the bench URLs installed (bench/__main__.py).
"""

from __future__ import annotations

import statistics
import sys
import time

REQUESTS = 20


def bench_clubs() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import club_round
    from helpwanted.clubs.models import Club

    club = Club.objects.filter(name="Bench Job Club").first()
    if club is None:
        club_round.seed()
        club = Club.objects.get(name="Bench Job Club")
    member = club.memberships.filter(left_at__isnull=True).select_related("user").first()
    assert member is not None
    clients = {}
    for role, user in (("member", member.user), ("facilitator", club.facilitator)):
        clients[role] = Client()
        clients[role].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    pages = {
        "clubs_bare_view": ("member", "/bench/bare/"),
        "club_page": ("member", f"/clubs/{club.pk}/"),
        "facilitator_page": ("facilitator", f"/clubs/{club.pk}/facilitate/"),
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    for role, url in pages.values():  # warm up templates and caches
        clients[role].get(url)
    for _ in range(REQUESTS):  # interleaved, so a busy moment slows every page alike
        for name, (role, url) in pages.items():
            started = time.perf_counter()
            response = clients[role].get(url)
            times[name].append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
    for name in pages:
        print(f"{name}_ms: {statistics.median(times[name]) * 1000:.1f}")
    for name in ("club_page", "facilitator_page"):
        role, url = pages[name]
        with CaptureQueriesContext(connection) as queries:
            clients[role].get(url)
        print(f"{name}_queries: {len(queries)}")
    sys.stdout.flush()
