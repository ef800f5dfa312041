"""Small builders shared by the circle tests: an ask sent to a person, a link read from an email."""

import re

from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.asks.models import Recipient
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create

REQUEST = "Would you introduce me to someone on the design team at Lumen Labs?"


def person(owner, name="Priya Shah", email="priya@example.org"):
    return person_create(owner=owner, fields={"name": name, "emails": [email] if email else []})


def send_ask(owner, people, request=REQUEST) -> list[Recipient]:
    ask = ask_create(
        owner=owner, fields={"kind": "introduction", "request": request, "why": "I'm applying."}
    )
    for p in people:
        recipient_add(ask=ask, person=p)
    return ask_send(ask=ask)


def links(message: OutboxMessage) -> list[str]:
    """Every helper-link path in an email's text, in order (host stripped)."""
    return re.findall(r"https?://[^/\s]+(/h/[\w-]+/\S*)", message.body_text)


def token_of(path: str) -> str:
    return re.search(r"/h/([\w-]+)/", path).group(1)
