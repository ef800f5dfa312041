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


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_server_accepted_an_email_sends_only_that_one_again():
    """The documented window (docs/architecture.md, "Email"): the server has the message, the
    worker dies before its "sent" UPDATE. That one email goes again, with the same Message-ID,
    so mail clients drop the copy; every other email goes exactly once."""
    for i in range(4):
        outbox_enqueue(
            key=f"reset:{i}",
            template="password-reset",
            to_email=f"p{i}@example.org",
            context={"user": None, "protocol": "http", "domain": "x", "uid": "MQ", "token": "t"},
        )
    with SMTPServer() as smtp:
        smtp.inbox.hold_at = 2  # store the second message, then hold back the 250 reply
        worker = processes.start_smtp_worker(smtp.port, pause=0)
        try:
            assert smtp.inbox.holding.wait(30)
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
            smtp.inbox.release.set()  # the server answers 250 to nobody
        first = OutboxMessage.objects.get(to_email=smtp.inbox.envelopes[0][1][0])
        assert (first.status, first.smtp_queue_id) == ("sent", smtp.inbox.queue_ids[0])
        in_flight = OutboxMessage.objects.get(status="sending")
        assert in_flight.to_email == smtp.inbox.envelopes[1][1][0]
        restarted = processes.start_smtp_worker(smtp.port, pause=0)
        try:
            processes.wait_for(lambda: OutboxMessage.objects.filter(status="sent").count() == 4)
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(15) == 0
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(ids) == 5 and len(set(ids)) == 4
    assert [i for i in set(ids) if ids.count(i) == 2] == [in_flight.headers["Message-ID"]]
    in_flight.refresh_from_db()
    again = len(ids) - 1 - ids[::-1].index(in_flight.headers["Message-ID"])
    assert (in_flight.status, in_flight.attempts) == ("sent", 2)
    assert in_flight.smtp_queue_id == smtp.inbox.queue_ids[again]
