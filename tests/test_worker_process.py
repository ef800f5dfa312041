"""The real `helpwanted worker` process, killed mid-delivery and restarted."""

import signal
import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.models import OutboxMessage
from tests import processes
from tests.smtp import SMTPServer


def start_worker(smtp_port: int, pause: float) -> subprocess.Popen:
    return processes.start_worker(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        HELPWANTED_OUTBOX_PAUSE=str(pause),
        HELPWANTED_OUTBOX_LEASE_SECONDS="2",
    )


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the worker")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice():
    for i in range(6):
        outbox_enqueue(
            key=f"reset:{i}",
            template="password-reset",
            to_email=f"p{i}@example.org",
            context={"user": None, "protocol": "http", "domain": "x", "uid": "MQ", "token": "t"},
        )
    with SMTPServer() as smtp:
        worker = start_worker(smtp.port, pause=1.0)
        try:
            # Kill it while it holds a row it claimed moments ago and has not sent yet: with a
            # 2 s lease and a 1 s pause, more than 1.5 s of lease left means ~0.5 s to spare.
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
        orphan = OutboxMessage.objects.get(status="sending")
        restarted = start_worker(smtp.port, pause=0)
        try:
            wait_for(lambda: OutboxMessage.objects.filter(status="sent").count() == 6)
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(15) == 0
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(ids) == 6 and len(set(ids)) == 6
    orphan.refresh_from_db()
    assert orphan.status == "sent" and orphan.attempts == 2
