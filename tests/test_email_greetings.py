"""Emails greet people by their first name (or the nickname the seeker set), never in full."""

import pytest
from django.urls import reverse

from helpwanted.asks.actions import (
    answers_notify,
    ask_create,
    ask_send,
    recipient_add,
    recipient_answer,
)
from helpwanted.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_password_reset_email_greets_the_seeker_by_first_name(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    message = OutboxMessage.objects.get(kind="password-reset")
    assert message.body_text.startswith("Hi Alice,\n")
    assert "<p>Hi Alice,</p>" in message.body_html
    assert "Alice Moreau," not in message.body_text and "Hello" not in message.body_text


def test_the_answers_email_greets_the_seeker_by_first_name(alice, bob):
    ask = ask_create(owner=alice, fields={"kind": "advice", "request": "A call?"})
    recipient_add(ask=ask, person=bob.person)
    ask_send(ask=ask)
    recipient_answer(recipient=ask.recipients.get(), answer="yes")
    assert answers_notify() == 1
    message = OutboxMessage.objects.get(kind="answers")
    assert message.body_text.startswith("Hi Alice,\n")
    assert "<p>Hi Alice,</p>" in message.body_html


def test_a_title_is_not_taken_for_a_first_name(client, alice):
    alice.display_name = "Dr. Alice Moreau"
    alice.save(update_fields=["display_name"])
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert OutboxMessage.objects.get(kind="password-reset").body_text.startswith("Hi Alice,\n")
