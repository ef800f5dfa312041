"""`make loadtest`: locust against the app on loopback, then a verifier on the database.

    python -m loadtest.run [--db sqlite|postgres] [--seconds 60] [--users 20]

SQLite: one gunicorn server with two workers and one background worker. PostgreSQL (the server
in DATABASE_URL, a scratch database of our own): two gunicorn servers with two workers each, and
two background workers. Exits non-zero on any lost, duplicated or stuck email, any send that
said it went out but is missing, or any 5xx. Timings are printed, never judged.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time

from loadtest import world
from loadtest.harness import BIN, ROOT, Stack, wait_for


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("LOADTEST_SECONDS", "60"))
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", "20")))
    args = parser.parse_args()
    postgres = os.environ.get("DATABASE_URL") if args.db == "postgres" else None
    if args.db == "postgres" and not postgres:
        raise SystemExit("Set DATABASE_URL=postgres://… for the PostgreSQL run.")
    stack = Stack(f"loadtest_{args.db}", postgres)
    started = time.monotonic()
    try:
        return run(stack, args.db, args.seconds, args.users, started)
    finally:
        stack.stop_all()
        stack.cleanup()


def run(stack: Stack, db: str, seconds: int, users: int, started: float) -> int:
    stack.setup()
    from django.utils import timezone

    accounts = world.seed_seekers(40, 30, 10, timezone.now())
    (stack.dir / "accounts.json").write_text(json.dumps(accounts))
    stack.start_sink()
    servers, workers = (2, 2) if db == "postgres" else (1, 1)
    hosts = stack.start_web(servers=servers, workers=2)
    for _ in range(workers):
        stack.start_worker()
    print(f"== loadtest on {db}: {users} users for {seconds} s against {' '.join(hosts)} ==")
    env = {
        **os.environ,
        "LOADTEST_ACCOUNTS": str(stack.dir / "accounts.json"),
        "LOADTEST_HOSTS": " ".join(hosts),
        "LOADTEST_SINK_LOG": str(stack.sink_log),
        "LOADTEST_SEND_LOG": str(stack.dir / "sends.jsonl"),
        "LOADTEST_5XX_LOG": str(stack.dir / "5xx.log"),
    }
    for name in ("sends.jsonl", "5xx.log"):
        (stack.dir / name).touch()
    subprocess.run(
        [
            BIN / "locust",
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            hosts[0],
            "--csv",
            str(stack.dir / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,  # locust exits 1 on any failed request; we report them below
        stdout=subprocess.DEVNULL,
        stderr=(stack.dir / "locust.log").open("w"),
    )
    # Let the workers deliver what the last requests queued.
    wait_for(lambda: world.outbox_open() == 0, 120, "the outbox to drain")
    time.sleep(1)
    stack.stop_all()
    return report(stack, db, time.monotonic() - started)


def report(stack: Stack, db: str, elapsed: float) -> int:
    rows = list(csv.DictReader((stack.dir / "locust_stats.csv").open()))
    print(f"{'request':<16}{'count':>7}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    total = None
    for row in rows:
        line = (
            f"{row['Name']:<16}{row['Request Count']:>7}{row['Failure Count']:>6}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
        if row["Name"] == "Aggregated":
            total = row
        else:
            print(line)
    assert total is not None
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    print(
        f"all: {requests} requests, {failures} failures, {float(total['Requests/s']):.1f} req/s, "
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms"
    )
    five = [line for line in (stack.dir / "5xx.log").read_text().splitlines() if line]
    send_counts, send_problems = world.check_sends(stack.dir / "sends.jsonl")
    mail_counts, mail_problems = world.check_outbox(stack.sink_log)
    for name, value in {**send_counts, **mail_counts}.items():
        print(f"{name}: {value}")
    print(f"5xx responses: {len(five)}")
    problems = send_problems + mail_problems + ([f"{len(five)} 5xx"] if five else [])
    if failures:
        failed = (stack.dir / "locust_failures.csv").read_text()
        print(f"failed requests (not 5xx: reported, not fatal):\n{failed}")
    verdict = "FAIL: " + "; ".join(problems) if problems else "OK"
    print(
        f"loadtest {db}: {verdict} ({requests} requests, {failures} failures, "
        f"{float(total['Requests/s']):.1f} req/s, {elapsed:.0f} s in all)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
