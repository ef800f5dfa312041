"""Replies by email: an ask's reply is recorded once, with its quote gone, and suggested."""

import re

import pytest

from helpwanted.asks.models import Recipient, RecipientEvent
from helpwanted.mail.inbound.process import inbound_process
from helpwanted.mail.models import InboundMessage, OutboxMessage, ReplyKey
from helpwanted.mail.replykeys import hash_key, key_from_rcpt
from tests.mail.conftest import reply_from

pytestmark = pytest.mark.django_db


def test_the_ask_email_carries_a_reply_address_with_a_160_bit_key_stored_only_hashed(asked):
    local, _, domain = asked.reply_to.partition("@")
    assert re.fullmatch(r"reply\+[a-z2-7]{32}", local)
    assert len(local) <= 64
    key = key_from_rcpt(asked.reply_to)
    assert key is not None
    stored = ReplyKey.objects.get()
    assert stored.key_hash == hash_key(key) and key not in stored.key_hash
    assert stored.recipient_id == asked.recipient.pk and stored.kind == "ask"
    assert "## Reply above this line ##" in asked.email.body_text
    assert "Reply above this line" in asked.email.body_html


def test_a_reply_is_recorded_on_the_recipient_with_the_quote_gone_and_an_answer_suggested(asked):
    outcome = inbound_process(
        reply_from(asked, "Happy to! Thursday 4pm works."), asked.reply_to, "bob@example.org"
    )
    assert outcome == "suggested"
    message = InboundMessage.objects.get()
    assert message.text == "Happy to! Thursday 4pm works."
    assert message.suggested_answer == "yes"
    assert message.status == "suggested"
    recipient = Recipient.objects.get(pk=asked.recipient.pk)
    assert recipient.answer_message == "Happy to! Thursday 4pm works."
    assert recipient.status == "sent"  # never silently applied: the seeker confirms it
    assert recipient.answered_at is not None and recipient.answer_notified_at is None
    assert RecipientEvent.objects.filter(recipient=recipient, note="replied by email").count() == 1


def test_the_same_message_delivered_twice_is_recorded_once(asked):
    raw = reply_from(asked, "Happy to! Thursday 4pm works.")
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "suggested"
    assert inbound_process(raw, asked.reply_to, "bob@example.org") == "duplicate"
    assert InboundMessage.objects.count() == 1
    assert RecipientEvent.objects.filter(note="replied by email").count() == 1


def test_the_seeker_hears_in_the_usual_batched_email(asked):
    from helpwanted.asks.actions import answers_notify

    inbound_process(reply_from(asked, "Sure, happy to."), asked.reply_to, "bob@example.org")
    assert answers_notify() == 1
    email = OutboxMessage.objects.get(kind="answers")
    assert "Bob Lindqvist: replied by email" in email.body_text
    assert "Sure, happy to." in email.body_text


def test_an_unknown_key_is_refused(asked):
    rcpt = "reply+" + "a" * 32 + "@" + asked.reply_to.rpartition("@")[2]
    assert inbound_process(reply_from(asked, "Hi"), rcpt, "bob@example.org") == "unknown"
    assert inbound_process(reply_from(asked, "Hi"), "someone@else.example", "") == "unknown"
    assert not InboundMessage.objects.exists()


def test_a_switched_off_link_kills_its_reply_key_and_undo_brings_it_back(asked):
    from helpwanted.circle.actions import grant_revoke, grant_revoke_undo

    member = asked.bob.member
    grant_revoke(member=member)
    assert inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org") == (
        "unknown"
    )
    grant_revoke_undo(member=member)
    assert inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org") == (
        "suggested"
    )


def test_an_expired_link_expires_its_reply_key(asked):
    import time_machine
    from django.conf import settings
    from django.utils import timezone

    later = timezone.now() + timezone.timedelta(days=settings.HELPER_LINK_DAYS + 1)
    with time_machine.travel(later):
        outcome = inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org")
    assert outcome == "unknown"


def test_no_email_carries_a_reply_address_once_the_link_is_off(alice, bob):
    from helpwanted.asks.actions import ask_create, ask_send, recipient_add
    from helpwanted.circle.actions import grant_revoke

    grant_revoke(member=bob.member)
    ask = ask_create(owner=alice, fields={"kind": "advice", "request": "A chat about design?"})
    recipient_add(ask=ask, person=bob.person)
    ask_send(ask=ask)
    email = OutboxMessage.objects.get(kind="ask")
    assert "Reply-To" not in email.headers
    assert "Reply above this line" not in email.body_text
    assert not ReplyKey.objects.exists()


def test_the_tick_forgets_dropped_mail_after_a_week_and_raw_copies_after_180_days(asked):
    import time_machine
    from django.utils import timezone

    from helpwanted.mail.inbound.process import inbound_prune

    inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org")
    auto = b"Auto-Submitted: auto-replied\r\n" + reply_from(asked, "Away")
    inbound_process(auto, asked.reply_to, "bob@example.org")
    assert inbound_prune() == 0
    with time_machine.travel(timezone.now() + timezone.timedelta(days=8)):
        assert inbound_prune() == 1
    assert InboundMessage.objects.get().raw != ""
    with time_machine.travel(timezone.now() + timezone.timedelta(days=181)):
        assert inbound_prune() == 1
    kept = InboundMessage.objects.get()
    assert kept.raw == "" and kept.text == "Yes!"


def test_the_digest_carries_no_reply_key_and_says_where_replies_go(alice, bob):
    from helpwanted.circle.actions import member_consent
    from helpwanted.journey.digest import digests_enqueue
    from tests.journey.test_digest import MONDAY_8_PARIS, at, post

    member_consent(member=bob.member, via="invite")
    with at(MONDAY_8_PARIS):
        post(alice, "Second interview at Acme on Thursday")
        assert digests_enqueue() == 1
    digest = OutboxMessage.objects.get(kind="digest")
    assert "Reply-To" not in digest.headers
    assert "reply to the individual emails, or use the buttons" in digest.body_text
    assert "reply to the individual emails, or use the buttons" in digest.body_html
    assert "Reply above this line" not in digest.body_text
    assert not ReplyKey.objects.exists()
