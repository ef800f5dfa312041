"""For the dev outbox: what the worker adds to an email as it sends it (the envelope sender and
the loop-defence headers), so the page shows the email as it really leaves."""

from django import template

from helpwanted.mail.actions import LOOP_HEADERS, envelope_sender
from helpwanted.mail.models import OutboxMessage

register = template.Library()


@register.simple_tag
def added_when_sent(message: OutboxMessage) -> list[tuple[str, str]]:
    """[(name, value)]: the envelope sender, then each loop header the row doesn't set itself."""
    present = {name.lower() for name in (message.headers or {})}
    sender = envelope_sender(message)
    added = [("Envelope sender (Return-Path)", f"<{sender}>")]
    added += [(k, v) for k, v in LOOP_HEADERS.items() if k.lower() not in present]
    return added
