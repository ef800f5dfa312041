"""Calendar feed and work-search record figures for `make bench`, one `name: value` a line.

Over the large account bench/__main__.py seeds (30,000 people, 3,000 asks, 400 opportunities):
one dated interview per opportunity, a readable offered time on each offered recipient, and a
needed-by date on each open ask. Then, through the same test client as the other pages:

- calendar_feed_ms: the median server time of the secret feed URL once its ledger is written
  (a steady fetch, as a subscribed calendar makes every hour), beside bare_view_ms;
- calendar_feed_first_ms: the first fetch, which writes what it emitted for every event;
- calendar_feed_events and calendar_feed_queries; calendar_feed_queries_more is the count after
  200 more interviews, which is the same: the feed costs a fixed number of queries;
- work_search_page_ms and work_search_page_queries: the record for the last year, and
  work_search_csv_ms for its CSV.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import time as clock
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from helpwanted.accounts.models import User


def _seed(owner: User, count: int, offset: int = 0) -> None:
    from django.utils import timezone

    from helpwanted.journey.models import Interview, Opportunity

    today = timezone.localdate()
    opportunities = list(Opportunity.objects.filter(owner=owner).order_by("id"))
    Interview.objects.bulk_create(
        Interview(
            opportunity=opportunities[(offset + i) % len(opportunities)],
            on=today + timedelta(days=(offset + i) % 120 - 60),
            at=clock(9 + i % 8, 30) if i % 3 else None,
        )
        for i in range(count)
    )


def _answers(owner: User) -> None:
    from django.utils import timezone

    from helpwanted.asks.models import Ask, Recipient

    Recipient.objects.filter(ask__owner=owner, status=Recipient.Status.OFFERED).update(
        offer_when="Thursday 4pm"
    )
    Ask.objects.filter(owner=owner, closed_at__isnull=True).update(
        needed_by=timezone.localdate() + timedelta(days=10)
    )


def _timed(client: Client, url: str, rounds: int = 10) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def bench_calendar(owner: User, client: Client) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from helpwanted.elsewhere.calendar import calendar_events
    from helpwanted.elsewhere.feeds import derive_token, feed_rotate

    _seed(owner, 400)
    _answers(owner)
    url = f"/cal/{derive_token(feed_rotate(user=owner).nonce)}.ics"
    subscriber = Client()  # a calendar app: no cookie, the URL is the key
    started = time.perf_counter()
    assert subscriber.get(url).status_code == 200
    first_ms = (time.perf_counter() - started) * 1000
    feed_ms = _timed(subscriber, url)
    with CaptureQueriesContext(connection) as queries:
        subscriber.get(url)
    events = len(calendar_events(owner))
    print(f"calendar_feed_ms: {feed_ms:.1f}")
    print(f"calendar_feed_first_ms: {first_ms:.1f}")
    print(f"calendar_feed_events: {events}")
    print(f"calendar_feed_queries: {len(queries)}")
    _seed(owner, 200, offset=400)
    subscriber.get(url)  # writes the new events' ledger rows
    with CaptureQueriesContext(connection) as more:
        subscriber.get(url)
    print(f"calendar_feed_queries_more: {len(more)}")

    today = timezone.localdate()
    query = f"start={(today - timedelta(days=365)).isoformat()}&end={today.isoformat()}"
    print(f"work_search_page_ms: {_timed(client, f'/work-search/?{query}'):.1f}")
    with CaptureQueriesContext(connection) as page:
        client.get(f"/work-search/?{query}")
    print(f"work_search_page_queries: {len(page)}")
    print(f"work_search_csv_ms: {_timed(client, f'/work-search/record.csv?{query}'):.1f}")
    sys.stdout.flush()
