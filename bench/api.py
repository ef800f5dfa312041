"""API figures for `make bench`, one `name: value` a line.

- api_people_page_ms: the median server time of one page (limit=100) of /api/v1/people for the
  30,000-person account, walked from the first page to the last with a read-only token, beside
  api_bare_view_ms, the bare Django view timed through the same client in the same run;
- api_people_pages: the pages walked (every person once: checked);
- api_people_page_queries: queries for every page after the first (the first also notes the
  token's last use); api_people_page_queries_spread is max minus min over those pages: 0 when
  the cost per page is constant however far into the list.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from helpwanted.accounts.models import User

LIMIT = 100


def bench_api(owner: User, client: Client) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from helpwanted.api.tokens import token_create
    from helpwanted.network.models import Person

    settings.API_RATE_LIMIT = 10**9  # a benchmark, not a script to slow down
    _token, secret = token_create(owner=owner, name="bench")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    bare = []
    for _ in range(20):
        started = time.perf_counter()
        client.get("/bench/bare/")
        bare.append(time.perf_counter() - started)

    times: list[float] = []
    queries: list[int] = []
    seen: list[int] = []
    cursor = ""
    started_walk = time.perf_counter()
    while True:
        url = f"/api/v1/people?limit={LIMIT}" + (f"&cursor={cursor}" if cursor else "")
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = api.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:200]
        queries.append(len(captured))
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"] or ""
        if not cursor:
            break
    walk = time.perf_counter() - started_walk
    expected = Person.objects.filter(owner=owner, archived_at__isnull=True).count()
    assert len(seen) == len(set(seen)) == expected, (len(seen), expected)
    later = queries[1:] or queries
    print(f"api_people_rows: {len(seen)}")
    print(f"api_people_pages: {len(times)}")
    print(f"api_people_page_ms: {statistics.median(times) * 1000:.1f}")
    print(f"api_bare_view_ms: {statistics.median(bare) * 1000:.1f}")
    print(f"api_people_walk_s: {walk:.2f}")
    print(f"api_people_page_queries: {max(later)}")
    print(f"api_people_page_queries_spread: {max(later) - min(later)}")
    sys.stdout.flush()


def main() -> None:
    """`python -m bench.api`: the same figures alone, on a temporary SQLite file."""
    import tempfile
    from pathlib import Path

    from bench.__main__ import connections_csv, install_bench_urls, setup_django

    setup_django(Path(tempfile.mkdtemp(prefix="helpwanted-bench-api-")))
    from django.test import Client

    from helpwanted.accounts.models import User
    from helpwanted.network.imports import import_file

    owner = User.objects.create_user(email="bench-api@example.org", password=None)
    import_file(owner=owner, data=connections_csv(), filename="Connections.csv")
    install_bench_urls()
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    bench_api(owner, client)


if __name__ == "__main__":
    main()
