import asyncio
import email.policy
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpwanted.mail import actions
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


# --- Batched claims and the fast SMTP serialiser --------------------------------------------


def test_a_batch_reserves_many_rows_but_only_the_one_in_flight_is_sending(settings, monkeypatch):
    for i in range(5):
        enqueue(key=f"k{i}", to=f"p{i}@example.org")
    seen: list[int] = []
    real_send = actions._send

    def watching(message, connection):
        seen.append(OutboxMessage.objects.filter(status="sending").count())
        # The rest of the batch is reserved: still queued, but not due for anyone else.
        assert OutboxMessage.objects.filter(actions._due(timezone.now())).count() == 0
        return real_send(message, connection)

    monkeypatch.setattr(actions, "_send", watching)
    assert outbox_deliver(worker_id="w") == 5
    assert seen == [1, 1, 1, 1, 1]
    assert set(OutboxMessage.objects.values_list("status", "attempts", "claimed_by")) == {
        ("sent", 1, "w")
    }


def test_rows_left_over_past_the_limit_are_handed_back_at_once():
    for i in range(5):
        enqueue(key=f"k{i}", to=f"p{i}@example.org")
    assert outbox_deliver(worker_id="w", limit=2) == 2
    # Not left waiting for the lease: another worker can take them straight away.
    assert outbox_deliver(worker_id="other") == 3
    assert len(mail.outbox) == 5


def test_a_row_whose_reservation_was_taken_over_is_not_sent_by_the_first_worker(settings):
    enqueue(key="a", to="a@example.org")
    enqueue(key="b", to="b@example.org")
    token, batch = actions._reserve("slow")
    assert [m.to_email for m in batch] == ["a@example.org", "b@example.org"]
    # The slow worker's reservation runs out and another worker takes the rows over.
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        assert outbox_deliver(worker_id="fast") == 2
    assert not actions._start(batch[0], "slow", token)
    assert len(mail.outbox) == 2


def test_a_dead_workers_reserved_rows_come_back_after_the_lease(settings):
    enqueue(key="a", to="a@example.org")
    actions._reserve("dead-worker")
    assert outbox_deliver(worker_id="w") == 0
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        assert outbox_deliver(worker_id="w") == 1
    assert OutboxMessage.objects.get().attempts == 1  # reserving is not an attempt


def test_one_smtp_session_carries_the_whole_batch_and_each_row_is_marked_as_it_goes():
    n = actions.BATCH + 5  # more than one batch
    for i in range(n):
        enqueue(key=f"k{i}", to=f"p{i}@example.org")
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        with CaptureQueriesContext(connection) as queries:
            assert outbox_deliver(limit=n + 1) == n
    assert len(smtp.inbox.messages) == n
    assert len({m["Message-ID"] for m in smtp.inbox.messages}) == n
    # Two batches of (due ids, reserve, read the bodies), a last look that finds nothing, and
    # per email one claim and one mark: nothing refetched.
    assert len(queries) == 3 * 2 + 1 + n * 2
    assert all("body_html" not in q["sql"] for q in queries if q["sql"].startswith("UPDATE"))


def normalised(data: bytes) -> bytes:
    data = re.sub(rb"=+\d{19}==", b"BOUNDARY", data)
    return re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: X", data)


LONG_LINE = "A rather long line, to be folded by quoted-printable: " + "word " * 20


@pytest.mark.parametrize(
    ("subject", "text", "html"),
    [
        ("Hi", "short\nline.\n", "<p>hello</p>\n"),
        ("Zoë and Björn — news", "Zoë\nok\n", "<p>Zoë</p>\n"),
        ("x " * 50, (LONG_LINE + "\n") * 12, "<p>" + LONG_LINE + "é</p>\n\t\n"),
        ("Odd  spacing ", ".dot\nFrom here\na=b \n" + LONG_LINE + "\n", "<p>x</p>"),
        ("Base64", ("Ünïcödé " * 20 + "\n") * 3, "<p>" + "é" * 200 + "</p>\n"),  # general path
    ],
)
def test_the_fast_serialiser_writes_the_same_bytes_as_django(subject, text, html):
    unsubscribe = "<http://127.0.0.1:8000/journey/digest/u/eyJoIjoxLCJhIjoidSJ9:1xWwGU:bmc6/>"
    for to in ["a@example.org", "first.last+tag@sub.example.org"]:
        for headers in [
            {"Message-ID": "<abc@helpwanted>"},
            {
                "Message-ID": "<abc@helpwanted>",
                "List-Unsubscribe": unsubscribe,
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        ]:
            row = OutboxMessage(
                to_email=to, subject=subject, body_text=text, body_html=html, headers=headers
            )
            django_bytes = actions._email(row).message(policy=email.policy.SMTP).as_bytes()
            from_header = actions._header("From", django_settings.DEFAULT_FROM_EMAIL)
            try:
                ours = actions._mime_bytes(row, from_header)
            except actions._Unusual:
                assert subject == "Base64"
                continue
            assert normalised(ours) == normalised(django_bytes)


def test_unusual_messages_still_go_through_django_over_smtp():
    row = enqueue(key="a", to="a@example.org")
    OutboxMessage.objects.filter(pk=row.pk).update(
        body_html="", headers={"Message-ID": "<x@helpwanted>", "Reply-To": "r@example.org"}
    )
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 1
    received = smtp.inbox.messages[0]
    assert received["Reply-To"] == "r@example.org"
    assert received.get_content_type() == "text/plain"


# --- At-least-once, narrowed: the row is marked sent with the server's queue id --------------


def test_it_records_the_queue_id_the_smtp_server_gave_each_email():
    enqueue(key="a", to="bob@example.org")
    enqueue(key="b", to="erin@example.org")
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 2
    accepted = {
        rcpt[0]: qid
        for (_, rcpt), qid in zip(smtp.inbox.envelopes, smtp.inbox.queue_ids, strict=True)
    }
    stored = dict(OutboxMessage.objects.values_list("to_email", "smtp_queue_id"))
    assert stored == accepted
    assert all(len(qid) == 10 for qid in stored.values())


def sent_queue_ids_seen_from_another_connection() -> list[str]:
    try:
        return list(
            OutboxMessage.objects.filter(status="sent")
            .order_by("to_email")
            .values_list("smtp_queue_id", flat=True)
        )
    finally:
        connection.close()  # this thread's own connection


@pytest.mark.django_db(transaction=True)
def test_each_email_is_marked_sent_before_the_next_one_goes_out():
    for i in range(3):
        enqueue(key=f"k{i}", to=f"p{i}@example.org")
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        seen: list[list[str]] = []
        real_handle = smtp.inbox.handle_DATA

        async def handle(server, session, envelope):
            # What the database says as each message arrives: every earlier one is sent.
            seen.append(await asyncio.to_thread(sent_queue_ids_seen_from_another_connection))
            return await real_handle(server, session, envelope)

        smtp.inbox.handle_DATA = handle
        assert outbox_deliver() == 3
    ids = smtp.inbox.queue_ids
    assert seen == [[], ids[:1], ids[:2]]


@pytest.mark.parametrize(
    ("reply", "queue_id"),
    [
        (b"2.0.0 Ok: queued as 4B3F2C", "4B3F2C"),
        (b"OK id=1rAbCd-000123-Xy", "1rAbCd-000123-Xy"),
        (b"2.0.0 Ok: queued as 4B3F2C\n(more text)", "4B3F2C"),
        (b"OK", ""),
        (b"2.0.0 Message accepted for delivery", ""),
    ],
)
def test_it_reads_the_queue_id_out_of_the_servers_reply(reply, queue_id):
    assert actions._queue_id(reply) == queue_id


def test_a_refused_recipient_is_retried_later_and_the_session_goes_on():
    enqueue(key="a", to="nobody@example.org")
    enqueue(key="b", to="bob@example.org")
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):

        async def handle_rcpt(server, session, envelope, address, options):
            if address.startswith("nobody@"):
                return "550 5.1.1 No such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        smtp.inbox.handle_RCPT = handle_rcpt
        assert outbox_deliver() == 1
    refused = OutboxMessage.objects.get(key="a")
    assert (refused.status, refused.smtp_queue_id) == ("queued", "")
    assert "SMTPRecipientsRefused" in refused.last_error and "No such user" in refused.last_error
    accepted = OutboxMessage.objects.get(key="b")
    assert (accepted.status, accepted.smtp_queue_id) == ("sent", smtp.inbox.queue_ids[0])


def test_the_dev_outbox_shows_the_smtp_queue_id(client, settings):
    settings.DEBUG = True
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(status="sent", smtp_queue_id="4B3F2C")
    response = client.get(f"/dev/outbox/{message.pk}/")
    assert response.status_code == 200
    assert "Queue id" in response.text and "4B3F2C" in response.text
