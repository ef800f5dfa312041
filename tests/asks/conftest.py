import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create


@pytest.fixture
def priya(alice):
    return person_create(
        owner=alice,
        fields={"name": "Priya Shah", "emails": ["priya@example.org"], "company": "Lumen Labs"},
    )


@pytest.fixture
def ask(alice):
    return ask_create(
        owner=alice,
        fields={
            "kind": "introduction",
            "request": "Would you introduce me to someone on the design team at Lumen Labs?",
            "why": "I'm applying for their Senior Product Designer role.",
            "needed_by": timezone.localdate() + timedelta(days=10),
        },
    )


@pytest.fixture
def sent_ask(ask, bob, priya):
    """alice's ask, sent to bob (her helper) and priya (not in her circle yet)."""
    recipient_add(ask=ask, person=bob.person)
    recipient_add(ask=ask, person=priya)
    ask_send(ask=ask)
    return ask


def link_in(message: OutboxMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/h/[\w-]+/\?r=\d+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def helper_client_for(message: OutboxMessage) -> Client:
    client = Client()
    response = client.post(link_in(message))
    assert response.status_code == 303
    return client
