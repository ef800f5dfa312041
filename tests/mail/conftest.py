"""Replies by email: alice's ask, sent by email to bob, its outbox row carrying a live reply
address; and bob's mail client replying to it."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.asks.models import Recipient
from helpwanted.mail.inbound.compose import reply_bytes
from helpwanted.mail.models import OutboxMessage


@pytest.fixture
def asked(alice, bob):
    return ask_bob(alice, bob)


def ask_bob(alice, bob):
    """alice asked bob for an introduction; the email went out with Reply-To."""
    ask = ask_create(
        owner=alice,
        fields={
            "kind": "introduction",
            "request": "Would you introduce me to someone on the design team at Lumen Labs?",
            "why": "I'm applying for their Senior Product Designer role.",
            "needed_by": timezone.localdate() + timezone.timedelta(days=10),
        },
    )
    recipient_add(ask=ask, person=bob.person)
    ask_send(ask=ask)
    recipient = Recipient.objects.get(ask=ask, person=bob.person)
    email = OutboxMessage.objects.get(key=f"ask:{recipient.pk}:sent")
    return SimpleNamespace(
        ask=ask, recipient=recipient, email=email, reply_to=email.headers["Reply-To"], bob=bob
    )


def reply_from(asked, text: str, *, from_address: str = "bob@example.org", html: bool = False):
    """bob's mail client replying to the ask email: his words on top, the email quoted below."""
    return reply_bytes(
        text=text,
        from_address=from_address,
        reply_to=asked.reply_to,
        subject=asked.email.subject,
        original_text=asked.email.body_text,
        original_message_id=asked.email.headers["Message-ID"],
        html=html,
    )
