"""Start real `helpwanted worker` processes against the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(**env_overrides: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "helpwanted.settings",
        **env_overrides,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "helpwanted", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def start_smtp_worker(smtp_port: int, pause: float) -> subprocess.Popen:
    """A worker delivering to our SMTP sink, holding each claimed row `pause` s before sending."""
    return start_worker(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        HELPWANTED_OUTBOX_PAUSE=str(pause),
        HELPWANTED_OUTBOX_LEASE_SECONDS="2",
    )


def wait_for(condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the worker")


def kill_worker_mid_delivery(smtp) -> None:  # type: ignore[no-untyped-def]
    """Start a worker and SIGKILL it while it holds a row it claimed and has not sent yet.

    With a 2 s lease and a 1 s pause, more than 1.5 s of lease left means ~0.5 s to spare.
    """
    from datetime import timedelta

    from django.utils import timezone

    from helpwanted.mail.models import OutboxMessage

    worker = start_smtp_worker(smtp.port, pause=1.0)
    try:
        wait_for(
            lambda: (
                len(smtp.inbox.messages) >= 2
                and OutboxMessage.objects.filter(
                    status="sending", lease_until__gt=timezone.now() + timedelta(seconds=1.5)
                ).exists()
            )
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
