"""`make drill`: kill a worker mid-delivery of a digest batch, kill a worker mid-import, and
stop the SMTP sink for a while; then say what arrived, how often, and what is stuck (0 expected).

    python -m loadtest.drill [--db sqlite|postgres] [--size full|ci]

`full`: 2,000 digests and a 30,000-row LinkedIn import; `ci`: 300 digests and 5,000 rows.
A killed worker may have handed its email in flight to the SMTP server without marking it
sent: that one email is delivered again, with the same Message-ID (docs/architecture.md,
"Email"). So each kill allows at most one duplicate; anything more, or anything lost or
stuck, fails the drill.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections import Counter
from datetime import timedelta

from loadtest import world
from loadtest.harness import Stack, wait_for

SIZES = {"full": (2000, 30000, 20), "ci": (300, 5000, 8)}  # digests, import rows, outage s


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    args = parser.parse_args()
    postgres = os.environ.get("DATABASE_URL") if args.db == "postgres" else None
    if args.db == "postgres" and not postgres:
        raise SystemExit("Set DATABASE_URL=postgres://… for the PostgreSQL drill.")
    stack = Stack(f"drill_{args.db}", postgres)
    started = time.monotonic()
    try:
        stack.setup()
        stack.start_sink()
        digests, rows, outage = SIZES[args.size]
        problems = []
        workers = 2 if postgres else 1
        problems += digest_drill(stack, digests, workers)
        problems += import_drill(stack, rows)
        problems += outage_drill(stack, outage)
    finally:
        stack.stop_all()
        stack.cleanup()
    verdict = "FAIL: " + "; ".join(problems) if problems else "OK (0 lost, 0 stuck)"
    print(f"drill {args.db} ({args.size}): {verdict} ({time.monotonic() - started:.0f} s in all)")
    return 1 if problems else 0


def _outbox_report(stack: Stack, kills: int) -> list[str]:
    counts, problems = world.check_outbox(stack.sink_log, allowed_duplicates=kills)
    for name, value in counts.items():
        print(f"  {name}: {value}")
    copies = Counter(world.sink_counts(stack.sink_log).values())
    print("  arrived: " + ", ".join(f"{n} email(s) {k} time(s)" for k, n in sorted(copies.items())))
    return problems


def seed_digests(count: int) -> int:
    """Seekers with 50 consenting helpers each and news this week; queue Monday's digests."""
    from django.utils import timezone

    from helpwanted.accounts.models import User
    from helpwanted.journey.digest import digests_enqueue
    from helpwanted.journey.models import Update

    now = timezone.now()
    monday_8 = (now - timedelta(days=now.weekday())).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    world.seed_seekers((count + 49) // 50, 50, 50, monday_8 - timedelta(days=30))
    Update.objects.bulk_create(
        Update(
            owner=seeker,
            kind="progress",
            audience="supporters",
            text="Applied to two roles, and a good chat with a recruiter.",
            created_at=monday_8 - timedelta(days=2),
        )
        for seeker in User.objects.filter(email__endswith="@load.example")
    )
    return digests_enqueue(now=monday_8)


def digest_drill(stack: Stack, count: int, workers: int) -> list[str]:
    from helpwanted.mail.models import OutboxMessage

    queued = seed_digests(count)
    print(f"== digests: {queued} queued; killing a worker mid-delivery ==")
    # A short pause between claiming a row and sending it, so the kill lands mid-delivery.
    first = [stack.start_worker(HELPWANTED_OUTBOX_PAUSE="0.02") for _ in range(workers)]
    wait_for(
        lambda: (
            len(world.sink_counts(stack.sink_log)) >= queued // 4
            and OutboxMessage.objects.filter(status="sending", claimed_by__gt="").exists()
        ),
        300,
        "deliveries",
    )
    stack.kill(first[0])
    in_sending = OutboxMessage.objects.filter(status="sending").count()
    print(
        f"  killed a worker after {len(world.sink_counts(stack.sink_log))} deliveries "
        f"({in_sending} row(s) left in sending)"
    )
    stack.start_worker()
    wait_for(lambda: world.outbox_open() == 0, 300, "the digests to drain")
    stack.stop_workers()
    return _outbox_report(stack, kills=1)


def linkedin_csv(rows: int) -> bytes:
    out = io.StringIO()
    out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
    for n in range(rows):
        email = f"contact{n}@people.example" if n % 2 else ""
        out.write(
            f"Contact{n},Person{n},https://www.linkedin.com/in/contact-{n},{email},"
            f"Company {n % 500},Designer,12 Mar 2024\n"
        )
    return out.getvalue().encode()


def import_drill(stack: Stack, rows: int) -> list[str]:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from helpwanted.accounts.models import User
    from helpwanted.network.imports import import_job_confirm, import_job_create, import_jobs_resume
    from helpwanted.network.models import ImportJob, Person

    owner = User.objects.create_user("importer@load.example", world.PASSWORD)
    upload = SimpleUploadedFile("Connections.csv", linkedin_csv(rows), "text/csv")
    job = import_job_confirm(job=import_job_create(owner=owner, upload=upload))
    print(f"== import: {rows} LinkedIn rows in the background; killing its worker ==")
    worker = stack.start_worker()
    wait_for(
        lambda: (
            ImportJob.objects.filter(pk=job.pk, status="running", processed__gt=0).exists()
            or ImportJob.objects.filter(pk=job.pk, status="done").exists()
        ),
        300,
        "the import to start",
    )
    job.refresh_from_db()
    stack.kill(worker)
    print(f"  killed the worker at {job.processed} of {job.total} rows ({job.status})")
    # The tick takes a job back after IMPORT_STALL_MINUTES of silence: run it as if they passed.
    later = timezone.now() + timedelta(minutes=settings.IMPORT_STALL_MINUTES + 1)
    print(f"  the tick took back {import_jobs_resume(now=later)} job(s)")
    stack.start_worker()
    wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).exists(),
        600,
        "the import to finish",
    )
    stack.stop_workers()
    job.refresh_from_db()
    people = Person.objects.filter(owner=owner)
    count, distinct = people.count(), people.values("name_key").distinct().count()
    running = DBTaskResult.objects.filter(status="RUNNING").count()
    print(f"  job {job.status} after {job.stalls} stall(s): {count} people, {distinct} distinct")
    print(f"  task rows still RUNNING: {running}")
    problems = []
    if job.status != "done" or count != rows or distinct != rows:
        problems.append(f"import {job.status} with {count} people ({distinct} distinct) of {rows}")
    if running:
        problems.append(f"{running} task row(s) stuck RUNNING")
    return problems


def outage_drill(stack: Stack, seconds: int) -> list[str]:
    from helpwanted.mail.models import OutboxMessage

    print(f"== SMTP outage: the sink stops for {seconds} s while 50 emails are due ==")
    stack.stop_sink()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"drill:outage:{n}",
            kind="drill",
            to_email=f"outage{n}@helper.example",
            subject="A drill",
            body_text="Nothing to see.\n",
            headers={"Message-ID": f"<drill-outage-{n}@helpwanted>"},
        )
        for n in range(50)
    )
    stack.start_worker()
    time.sleep(seconds)
    failed = OutboxMessage.objects.filter(kind="drill").exclude(last_error="").count()
    print(f"  {failed} delivery attempt(s) failed and wait to retry; the sink comes back")
    stack.start_sink()
    wait_for(lambda: world.outbox_open() == 0, 180, "the outbox to drain after the outage")
    stack.stop_workers()
    return _outbox_report(stack, kills=1)


if __name__ == "__main__":
    sys.exit(main())
