"""Replies by email on the seeker's pages, read in one query per page (never one per row)."""

from collections.abc import Iterable
from typing import Any

from django import template

from helpwanted.mail.models import InboundMessage, ReplyKey

register = template.Library()
Status = InboundMessage.Status
SHOWN = (Status.SUGGESTED, Status.CONFIRMED, Status.HELD)


@register.simple_tag
def attach_email_replies(recipients: Iterable[Any]) -> str:
    """Sets `r.replies_by_email` on each recipient of an ask page (one query for all of them)."""
    rows = list(recipients)
    by_recipient: dict[int, list[InboundMessage]] = {r.pk: [] for r in rows}
    if rows:
        for message in InboundMessage.objects.filter(
            recipient_id__in=list(by_recipient),
            status__in=SHOWN,
            reply_key__kind=ReplyKey.Kind.ASK,
        ).order_by("received_at", "id"):
            assert message.recipient_id is not None
            by_recipient[message.recipient_id].append(message)
    for r in rows:
        r.replies_by_email = by_recipient[r.pk]
    return ""


@register.simple_tag
def person_email_replies(person: Any) -> list[InboundMessage]:
    """A person's replies to thank-yous and updates, and any held for the seeker to look at."""
    return list(
        InboundMessage.objects.filter(person=person, owner_id=person.owner_id)
        .exclude(reply_key__kind=ReplyKey.Kind.ASK)
        .filter(status__in=(Status.RECORDED, Status.HELD))
        .select_related("reply_key")
        .order_by("-received_at", "-id")[:20]
    )
