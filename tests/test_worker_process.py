"""The real `helpwanted worker` process, killed mid-delivery and restarted."""

import signal

import pytest

from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.models import OutboxMessage
from tests import processes
from tests.smtp import SMTPServer


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
        processes.kill_worker_mid_delivery(smtp)
        orphan = OutboxMessage.objects.get(status="sending")
        restarted = processes.start_smtp_worker(smtp.port, pause=0)
        try:
            processes.wait_for(lambda: OutboxMessage.objects.filter(status="sent").count() == 6)
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(15) == 0
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(ids) == 6 and len(set(ids)) == 6
    orphan.refresh_from_db()
    assert orphan.status == "sent" and orphan.attempts == 2
