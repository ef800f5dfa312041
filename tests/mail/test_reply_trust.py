"""Trust rules and loop defences for replies by email (docs/security.md)."""

import pytest
from django.test import override_settings

from helpwanted.asks.models import Recipient
from helpwanted.mail.inbound.compose import reply_bytes
from helpwanted.mail.inbound.process import inbound_process
from helpwanted.mail.models import InboundMessage, OutboxMessage
from tests.mail.conftest import reply_from

pytestmark = pytest.mark.django_db


def _with_headers(raw: bytes, **headers: str) -> bytes:
    lines = "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in headers.items())
    return lines.encode() + raw


def test_a_spoofed_from_is_held_for_the_seeker_not_recorded(asked):
    raw = reply_from(asked, "Yes, happy to!", from_address="mallory@evil.example")
    assert inbound_process(raw, asked.reply_to, "mallory@evil.example") == "held"
    held = InboundMessage.objects.get()
    assert held.status == "held" and held.text == "Yes, happy to!"
    recipient = Recipient.objects.get(pk=asked.recipient.pk)
    assert recipient.answer_message == "" and recipient.answered_at is None


def test_a_known_from_with_a_stranger_envelope_sender_is_held(asked):
    raw = reply_from(asked, "Yes, happy to!")
    assert inbound_process(raw, asked.reply_to, "mallory@evil.example") == "held"


def test_dmarc_fail_from_the_receiving_server_is_held(asked):
    raw = _with_headers(
        reply_from(asked, "Yes, happy to!"),
        Authentication_Results="mx.helpwanted.example; spf=fail; dmarc=fail (p=reject) header.from=example.org",
    )
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "held"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"X_Autoreply": "yes"},
        {"List_Id": "<jobs.lists.example>"},
    ],
)
def test_automatic_mail_is_dropped_with_no_notice(asked, headers):
    raw = _with_headers(reply_from(asked, "I am away until Monday."), **headers)
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "dropped"
    assert InboundMessage.objects.get().status == "dropped"
    assert not OutboxMessage.objects.filter(kind="reply-notice").exists()
    assert Recipient.objects.get(pk=asked.recipient.pk).answered_at is None


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Could you help?",
        "Automatic reply: Could you help?",
        "Abwesenheitsnotiz: Could you help?",
        "Respuesta automática: Could you help?",
        "Réponse automatique : Could you help?",
        "AW: Automatische Antwort: Could you help?",
    ],
)
def test_an_out_of_office_reply_is_dropped_with_no_notice(asked, subject):
    raw = reply_bytes(
        text="I'm out of the office until 4 January with limited access to email.",
        from_address="bob@example.org",
        reply_to=asked.reply_to,
        subject=subject,
        original_text=asked.email.body_text,
    )
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "dropped"
    assert not OutboxMessage.objects.filter(kind="reply-notice").exists()


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.org", "no-reply@example.org"])
def test_a_mailer_daemon_or_no_reply_sender_is_dropped_with_no_notice(asked, sender):
    raw = reply_from(asked, "Delivery has failed.", from_address=sender)
    assert inbound_process(raw, asked.reply_to, "") == "dropped"
    assert not OutboxMessage.objects.filter(kind="reply-notice").exists()


def test_a_reply_to_a_finished_ask_gets_one_notice_per_key_with_an_empty_envelope(asked):
    from helpwanted.asks.actions import ask_close
    from helpwanted.mail.actions import envelope_sender

    ask_close(ask=asked.ask)
    first = reply_from(asked, "Yes, happy to!")
    second = reply_from(asked, "Did you get my reply?")
    assert inbound_process(first, asked.reply_to, "bob@example.org") == "dropped"
    assert inbound_process(second, asked.reply_to, "bob@example.org") == "dropped"
    notices = OutboxMessage.objects.filter(kind="reply-notice")
    assert notices.count() == 1
    notice = notices.get()
    assert notice.to_email == "bob@example.org"
    assert notice.headers["Auto-Submitted"] == "auto-replied"
    assert envelope_sender(notice) == ""
    assert "the ask is finished" in notice.body_text


def test_an_empty_reply_gets_the_notice_and_records_nothing(asked):
    raw = reply_from(asked, "   ")
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "dropped"
    assert Recipient.objects.get(pk=asked.recipient.pk).answered_at is None
    assert OutboxMessage.objects.filter(kind="reply-notice").count() == 1


@override_settings(INBOUND_LIMIT_PER_KEY=2)
def test_replies_past_the_limit_per_key_are_not_recorded(asked):
    outcomes = [
        inbound_process(reply_from(asked, f"Yes! ({n})"), asked.reply_to, "bob@example.org")
        for n in range(3)
    ]
    assert outcomes == ["suggested", "suggested", "dropped"]
    assert InboundMessage.objects.count() == 2


@override_settings(INBOUND_LIMIT_PER_SENDER=1)
def test_replies_past_the_limit_per_sending_address_are_not_recorded(asked):
    assert inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org") == (
        "suggested"
    )
    assert inbound_process(reply_from(asked, "Yes!!"), asked.reply_to, "bob@example.org") == (
        "dropped"
    )


@override_settings(INBOUND_MAX_BYTES=2000)
def test_a_message_over_the_size_cap_is_refused(asked):
    raw = reply_from(asked, "Yes! " * 1000)
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "too_big"
    assert not InboundMessage.objects.exists()


def test_an_attachment_is_not_stored_and_the_seeker_is_told(asked, alice_client):
    from email import message_from_bytes, policy

    message = message_from_bytes(reply_from(asked, "Here's my CV, yes!"), policy=policy.SMTP)
    message.add_attachment(
        b"%PDF-1.4 secret", maintype="application", subtype="pdf", filename="cv.pdf"
    )
    assert inbound_process(message.as_bytes(), asked.reply_to, "bob@example.org") == "suggested"
    stored = InboundMessage.objects.get()
    assert stored.attachment_dropped and "secret" not in stored.text
    page = alice_client.get(f"/asks/{asked.ask.pk}/").content.decode()
    assert "They attached something, which we don't keep" in page


def test_html_in_a_reply_is_never_rendered_as_html(asked, alice_client):
    raw = reply_from(asked, "<script>alert(1)</script> <b>Yes</b>")
    inbound_process(raw, asked.reply_to, "bob@example.org")
    page = alice_client.get(f"/asks/{asked.ask.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "<b>Yes</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    reply = InboundMessage.objects.get()
    full = alice_client.get(f"/replies/{reply.pk}/").content.decode()
    assert "<script>alert(1)" not in full and "&lt;b&gt;Yes&lt;/b&gt;" in full
