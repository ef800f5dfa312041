"""Seeding and checking the database of a drill (Django is set up by harness.Stack.setup)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

PASSWORD = "load-test-password-2026"  # noqa: S105  a scratch database on loopback


def seed_seekers(count: int, people_each: int, circle_each: int, now: datetime) -> list[dict]:
    """`count` seekers, each with `people_each` people (emails) and `circle_each` consenting
    members of their circle. Returns their logins and person ids for the load test users."""
    from helpwanted.accounts.models import User
    from helpwanted.circle.models import CircleMember
    from helpwanted.network.models import Person
    from helpwanted.network.parsing import normalise_email, normalise_name

    hashed = User(email="x@example.org")
    hashed.set_password(PASSWORD)
    User.objects.bulk_create(
        User(
            email=f"seeker{s}@load.example",
            password=hashed.password,
            display_name=f"Seeker{s} Example",
            timezone="UTC",
        )
        for s in range(count)
    )
    seekers = list(User.objects.filter(email__endswith="@load.example").order_by("id"))
    people = []
    for s, seeker in enumerate(seekers):
        for j in range(people_each):
            name, email = f"Friend{j} Of{s}", f"friend{j}.of{s}@helper.example"
            people.append(
                Person(
                    owner=seeker,
                    name=name,
                    emails=[email],
                    email_key=normalise_email(email),
                    name_key=normalise_name(name),
                    relationship="friend",
                )
            )
    Person.objects.bulk_create(people, batch_size=1000)
    accounts = []
    for seeker in seekers:
        ids = list(Person.objects.filter(owner=seeker).order_by("id").values_list("id", flat=True))
        CircleMember.objects.bulk_create(
            CircleMember(owner=seeker, person_id=pk, audience="supporters", consented_at=now)
            for pk in ids[:circle_each]
        )
        accounts.append({"email": seeker.email, "password": PASSWORD, "people": ids})
    return accounts


def sink_counts(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        if line.strip():
            counts[json.loads(line)["message_id"]] += 1
    return counts


def outbox_open() -> int:
    from helpwanted.mail.models import OutboxMessage

    return OutboxMessage.objects.filter(status__in=["queued", "sending"]).count()


def check_outbox(sink_log: Path, allowed_duplicates: int = 0) -> tuple[dict[str, int], list[str]]:
    """Every outbox row delivered once to the sink (by Message-ID), none stuck or lost."""
    from helpwanted.mail.models import OutboxMessage

    received = sink_counts(sink_log)
    rows = list(OutboxMessage.objects.values_list("status", "headers"))
    status = Counter(s for s, _ in rows)
    ids = [h.get("Message-ID", "") for _, h in rows]
    delivered = [received.get(mid, 0) for mid in ids]
    counts = {
        "outbox rows": len(rows),
        "sent": status["sent"],
        "queued (not delivered)": status["queued"],
        "failed": status["failed"],
        "stuck in sending": status["sending"],
        "messages at the sink": sum(received.values()),
        "lost (sent, never arrived)": sum(
            1 for (s, _), n in zip(rows, delivered, strict=True) if s == "sent" and n == 0
        ),
        "duplicated": sum(n - 1 for n in delivered if n > 1),
        "unknown at the sink": len(set(received) - set(ids)),
    }
    problems = []
    for name in (
        "queued (not delivered)",
        "failed",
        "stuck in sending",
        "lost (sent, never arrived)",
        "unknown at the sink",
    ):
        if counts[name]:
            problems.append(f"{counts[name]} {name}")
    if counts["duplicated"] > allowed_duplicates:
        problems.append(
            f"{counts['duplicated']} duplicated (at most {allowed_duplicates} in flight allowed)"
        )
    return counts, problems


def check_sends(send_log: Path) -> tuple[dict[str, int], list[str]]:
    """Every send that returned a redirect (and said so) exists with its recipients and email."""
    from helpwanted.asks.models import Ask, Recipient
    from helpwanted.mail.models import OutboxMessage

    sends = [json.loads(line) for line in send_log.read_text().splitlines() if line.strip()]
    ok = [s for s in sends if s["ok"]]
    missing = 0
    for send in ok:
        ask = Ask.objects.filter(pk=send["ask"]).first()
        if ask is None or ask.sent_at is None:
            missing += 1
            continue
        recipients = {r.person_id: r for r in Recipient.objects.filter(ask=ask)}
        for pk in send["to"]:
            recipient = recipients.get(pk)
            if recipient is None or recipient.status == "draft":
                missing += 1
            elif not OutboxMessage.objects.filter(key=f"ask:{recipient.pk}:sent").exists():
                missing += 1
    # A send refused with a message (say, someone already has two open asks) sends nothing.
    refused = [s["ask"] for s in sends if not s["ok"]]
    half_sent = Ask.objects.filter(pk__in=refused, sent_at__isnull=False).count()
    half_sent += OutboxMessage.objects.filter(
        key__in=[
            f"ask:{pk}:sent"
            for pk in Recipient.objects.filter(ask__in=refused).values_list("pk", flat=True)
        ]
    ).count()
    counts = {"sends answered with a redirect": len(sends), "sends that went out": len(ok)}
    counts["sent asks or recipients missing"] = missing
    counts["refused sends that sent something"] = half_sent
    problems = [f"{missing} sent asks or recipients missing"] if missing else []
    return counts, problems + ([f"{half_sent} refused sends sent something"] if half_sent else [])
