"""Digest figures for `make bench`, one `name: value` a line.

- digest_build_s: seconds for `digests_enqueue()` to read, render and queue the weekly digests of
  10,000 helpers (200 seekers with 60 helpers each; 2,000 helpers are in two circles, so they get
  one email with two sections). Target: at most 60 s.
- digest_send_ratio: the delivery rate of `outbox_deliver()` (claim, send, mark sent) for
  DELIVER of those digests to a local aiosmtpd sink, over the rate of a raw smtplib loop sending
  the same messages, already serialised, on one connection to the same sink, in the same run.
  Target: at least 0.5.

`bench_digest()` expects Django to be set up on a scratch database (bench/__main__.py does it);
`python -m bench.digest` runs it alone on a temporary SQLite file.
"""

from __future__ import annotations

import email.policy
import smtplib
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

SEEKERS = 200
PER_SEEKER = 60
SHARED = 2000  # helpers in two circles
DELIVER = 500
ROUNDS = 3


def seed(now: datetime) -> int:
    """Seekers, circles, updates and asks; returns how many distinct helper emails there are."""
    from helpwanted.accounts.models import User
    from helpwanted.asks.models import Ask, Recipient
    from helpwanted.circle.models import CircleMember
    from helpwanted.journey.models import Update
    from helpwanted.network.models import Person

    seekers = User.objects.bulk_create(
        User(
            email=f"digest-seeker{s}@example.org",
            password="!",  # noqa: S106  unusable password, never a login
            display_name=f"Seeker {s} Example",
            timezone="UTC",
        )
        for s in range(SEEKERS)
    )
    seekers = list(User.objects.filter(email__startswith="digest-seeker").order_by("id"))
    distinct = SEEKERS * PER_SEEKER - SHARED
    people = []
    for s, seeker in enumerate(seekers):
        for j in range(PER_SEEKER):
            n = s * PER_SEEKER + j
            # The last SHARED slots reuse earlier helpers' addresses: they help two seekers.
            email = f"helper{n if n < distinct else n - distinct}@example.com"
            people.append(
                Person(
                    owner=seeker,
                    name=f"Helper {n}",
                    emails=[email],
                    email_key=email,
                    name_key=f"helper {n}",
                    relationship="friend",
                )
            )
    Person.objects.bulk_create(people, batch_size=1000)
    people = list(Person.objects.filter(owner__in=seekers).order_by("id"))
    audiences = ["inner", "supporters", "supporters", "network"]
    CircleMember.objects.bulk_create(
        (
            # Every one said yes to hearing from the seeker: digests need consent.
            CircleMember(owner_id=p.owner_id, person=p, audience=audiences[i % 4], consented_at=now)
            for i, p in enumerate(people)
        ),
        batch_size=1000,
    )
    kinds = [("progress", "supporters"), ("win", "everyone"), ("feelings", "inner")]
    Update.objects.bulk_create(
        Update(
            owner=seeker,
            kind=kinds[k % 3][0],
            audience=kinds[k % 3][1],
            text=f"Week news {k}: applied to two roles, and a good chat with a recruiter.",
            created_at=now - timedelta(days=1 + k),
        )
        for seeker in seekers
        for k in range(4)
    )
    asks = Ask.objects.bulk_create(
        Ask(owner=seeker, kind="introduction", request=f"An intro at Globex? ({k})", sent_at=now)
        for seeker in seekers
        for k in range(5)
    )
    by_owner: dict[int, list[Person]] = {}
    for p in people:
        by_owner.setdefault(p.owner_id, []).append(p)
    Recipient.objects.bulk_create(
        (
            Recipient(ask=ask, person=by_owner[ask.owner_id][k], status="sent", sent_at=now)
            for ask in asks
            for k in range(3)
        ),
        batch_size=1000,
    )
    return distinct


def raw_send_seconds(port: int, messages: list[tuple[str, list[str], bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        for from_addr, to_addrs, data in messages:
            smtp.sendmail(from_addr, to_addrs, data)
    return time.perf_counter() - started


def serialised(rows: list[Any]) -> list[tuple[str, list[str], bytes]]:
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    out = []
    for row in rows:
        message = EmailMultiAlternatives(
            subject=row.subject,
            body=row.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.to_email],
            headers=row.headers,
        )
        message.attach_alternative(row.body_html, "text/html")
        data = message.message(policy=email.policy.SMTP).as_bytes()
        out.append(("hello@helpwanted.localhost", [row.to_email], data))
    return out


def bench_digest() -> None:
    from django.test import override_settings
    from django.utils import timezone

    from helpwanted.journey.digest import digests_enqueue
    from helpwanted.mail.actions import outbox_deliver
    from helpwanted.mail.models import OutboxMessage
    from tests.smtp import SMTPServer

    now = timezone.now()
    monday_8 = (now - timedelta(days=now.weekday())).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    helpers = seed(monday_8)
    started = time.perf_counter()
    queued = digests_enqueue(now=monday_8)
    build = time.perf_counter() - started
    # The bench's own account may add a helper or two of its own.
    assert queued >= helpers, (queued, helpers)
    print(f"digest_helpers: {queued}")
    print(f"digest_build_s: {build:.2f}")
    sys.stdout.flush()

    # Delivery: the same DELIVER digests, through outbox_deliver and through raw smtplib.
    digests = OutboxMessage.objects.filter(kind="digest")
    ids = list(digests.order_by("id").values_list("id", flat=True)[:DELIVER])
    digests.exclude(pk__in=ids).update(status=OutboxMessage.Status.SENT)
    rows = list(OutboxMessage.objects.filter(pk__in=ids))
    messages = serialised(rows)
    ratios, raws, delivers = [], [], []
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        raw_send_seconds(smtp.port, messages[:20])  # warm up the sink
        for _ in range(ROUNDS):
            OutboxMessage.objects.filter(pk__in=ids).update(
                status=OutboxMessage.Status.QUEUED, attempts=0, next_attempt_at=now, sent_at=None
            )
            raws.append(raw_send_seconds(smtp.port, messages))
            started = time.perf_counter()
            sent = outbox_deliver(worker_id="bench", limit=DELIVER)
            delivers.append(time.perf_counter() - started)
            assert sent == DELIVER, sent
            ratios.append(raws[-1] / delivers[-1])
    print(f"digest_send_raw_per_s: {DELIVER / statistics.median(raws):.0f}")
    print(f"digest_send_per_s: {DELIVER / statistics.median(delivers):.0f}")
    print(f"digest_send_ratio: {statistics.median(ratios):.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    from bench.__main__ import setup_django

    setup_django(Path(tempfile.mkdtemp(prefix="helpwanted-bench-digest-")))
    bench_digest()
