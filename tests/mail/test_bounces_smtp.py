"""Every email leaves with the loop-defence headers and the signed VERP envelope sender, seen
from the receiving side of a real SMTP conversation (tests/smtp.py), and the address a bounce
would come back to leads to the right row."""

import pytest
from django.test import override_settings

from helpwanted.mail.actions import outbox_deliver, outbox_enqueue
from helpwanted.mail.bounces import bounce_process, verp_address, verp_outbox_id
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person
from tests.mail.test_bounces import JORDAN, asked, bounce_message, jordan
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db


def reset(key: str, to: str, **extra) -> OutboxMessage:
    return outbox_enqueue(
        key=key,
        template="password-reset",
        to_email=to,
        context={
            "user": type("U", (), {"first_name": "Bob", "email": to})(),
            "protocol": "http",
            "domain": "127.0.0.1:8000",
            "uid": "MQ",
            "token": "abc-123",
        },
        **extra,
    )


def deliver_over_smtp() -> SMTPServer:
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        outbox_deliver()
    return smtp


def test_every_email_carries_the_loop_headers_and_a_verp_envelope_sender(alice, settings):
    settings.REPLY_DOMAIN = "reply.helpwanted.example"
    person = jordan(alice)
    from helpwanted.asks.actions import ask_create, ask_send

    ask = ask_create(
        owner=alice, fields={"kind": "advice", "request": "Coffee on Thursday?"}, people=[person]
    )
    ask_send(ask=ask)
    reset("reset:1", "bob@example.org", unsubscribe_url="http://127.0.0.1:8000/u/x/")
    plain = reset("reset:2", "erin@example.org")
    # Unusual enough for Django's own serialiser (no HTML part): the same rules apply there.
    OutboxMessage.objects.filter(pk=plain.pk).update(body_html="")
    rows = {row.to_email: row for row in OutboxMessage.objects.all()}
    assert len(rows) == 3

    smtp = deliver_over_smtp()

    assert len(smtp.inbox.envelopes) == 3
    for (mail_from, (rcpt,)), message in zip(
        smtp.inbox.envelopes, smtp.inbox.messages, strict=True
    ):
        row = rows[rcpt]
        assert mail_from == verp_address(row.pk)
        assert mail_from.endswith("@reply.helpwanted.example")
        assert verp_outbox_id(mail_from) == row.pk
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["X-Auto-Response-Suppress"] == "All"
        assert message.get_all("Auto-Submitted") == ["auto-generated"]  # once, not twice


def test_an_auto_reply_goes_with_an_empty_envelope_sender_and_keeps_its_own_header(alice):
    row = reset("notice:1", "someone@example.org")
    OutboxMessage.objects.filter(pk=row.pk).update(
        headers={**row.headers, "Auto-Submitted": "auto-replied"}
    )
    smtp = deliver_over_smtp()
    ((mail_from, _),) = smtp.inbox.envelopes
    assert mail_from == "<>"  # MAIL FROM:<>: nothing answers it, not even a bounce
    assert smtp.inbox.messages[0].get_all("Auto-Submitted") == ["auto-replied"]
    assert smtp.inbox.messages[0]["X-Auto-Response-Suppress"] == "All"


def test_a_bounce_sent_back_to_the_envelope_sender_marks_the_address(alice):
    person = jordan(alice)
    OutboxMessage.objects.all().delete()
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        recipient, row = asked(alice, person)
    ((mail_from, rcpt),) = smtp.inbox.envelopes
    assert rcpt == [JORDAN]
    # The receiving server said no; its DSN goes to the envelope sender it was given.
    assert bounce_process(bounce_message("gmail-5.1.1.eml", mail_from), mail_from) == "permanent"
    assert Person.objects.get(pk=person.pk).email_bouncing
    assert OutboxMessage.objects.get(pk=row.pk).bounce_status == "5.1.1"


def test_a_bounce_through_the_inbound_paths_one_function_marks_the_address(alice):
    from helpwanted.mail.inbound.process import inbound_process

    person = jordan(alice)
    _, row = asked(alice, person)
    rcpt = verp_address(row.pk)
    raw = bytes(bounce_message("postfix-5.1.1.eml", rcpt))
    assert inbound_process(raw, rcpt, "") == "permanent"
    assert Person.objects.get(pk=person.pk).email_bouncing
    tampered = rcpt.replace(f"+{row.pk}-", f"+{row.pk + 1}-")
    assert inbound_process(raw, tampered, "") == "ignored"
