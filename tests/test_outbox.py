import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from helpwanted.mail.actions import outbox_deliver, outbox_enqueue, outbox_prune
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.tick import run_tick
from tests.smtp import SMTPServer, free_port

pytestmark = pytest.mark.django_db


def enqueue(key="reset:1", to="bob@example.org", unsubscribe_url=""):
    return outbox_enqueue(
        key=key,
        template="password-reset",
        to_email=to,
        unsubscribe_url=unsubscribe_url,
        context={
            "user": type("U", (), {"first_name": "Bob", "email": to})(),
            "protocol": "http",
            "domain": "127.0.0.1:8000",
            "uid": "MQ",
            "token": "abc-123",
        },
    )


def test_it_queues_one_email_per_key_however_often_it_is_asked():
    first = enqueue()
    second = enqueue()
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert first.status == OutboxMessage.Status.QUEUED


def test_it_delivers_text_and_html_with_a_stable_message_id():
    message = enqueue()
    assert outbox_deliver() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["bob@example.org"]
    assert "Choose a new password" in sent.alternatives[0].content
    assert sent.extra_headers["Message-ID"] == message.headers["Message-ID"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.sent_at is not None
    assert outbox_deliver() == 0
    assert len(mail.outbox) == 1


def test_non_transactional_email_carries_one_click_unsubscribe_headers():
    enqueue(unsubscribe_url="http://127.0.0.1:8000/u/xyz/")
    outbox_deliver()
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe"] == "<http://127.0.0.1:8000/u/xyz/>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Unsubscribe" in mail.outbox[0].alternatives[0].content


def test_it_sends_through_a_real_smtp_server():
    enqueue(key="a", to="bob@example.org")
    enqueue(key="b", to="erin@example.org")
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 2
    assert sorted(rcpt[0] for _, rcpt in smtp.inbox.envelopes) == [
        "bob@example.org",
        "erin@example.org",
    ]
    received = smtp.inbox.messages[0]
    assert received.is_multipart()
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}
    assert received["Message-ID"].startswith("<")


def test_a_failed_delivery_is_retried_later_with_backoff():
    closed = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
    }
    message = enqueue()
    with override_settings(MAILERS={"default": closed}):
        assert outbox_deliver() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert "ConnectionRefused" in message.last_error
    assert outbox_deliver() == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox_deliver() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2


def test_it_gives_up_after_the_last_attempt(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    closed = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
    }
    message = enqueue()
    with override_settings(MAILERS={"default": closed}):
        outbox_deliver()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_it_reclaims_a_row_whose_worker_died_once_the_lease_expires(settings):
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_by="dead-worker",
        attempts=1,
        lease_until=timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
    )
    assert outbox_deliver() == 0  # the lease still holds
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)):
        assert outbox_deliver(worker_id="new-worker") == 1
    message.refresh_from_db()
    assert (message.status, message.claimed_by, message.attempts) == ("sent", "new-worker", 2)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_send_the_same_email_twice():
    for i in range(20):
        enqueue(key=f"k{i}", to=f"p{i}@example.org")
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def work(name: str) -> None:
        barrier.wait()
        try:
            counts.append(outbox_deliver(worker_id=name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 20
    assert len(mail.outbox) == 20
    assert len({m.to[0] for m in mail.outbox}) == 20


def test_the_tick_prunes_long_delivered_email_only():
    old = enqueue(key="old")
    enqueue(key="new")
    OutboxMessage.objects.filter(pk=old.pk).update(
        status="sent", sent_at=timezone.now() - timedelta(days=200)
    )
    assert run_tick()["outbox_prune"] == 1
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["new"]
    assert outbox_prune() == 0
