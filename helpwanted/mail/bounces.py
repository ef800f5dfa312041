"""Bounces: a signed VERP return path on every email, and what a bounce does when it comes back.

Every outgoing email's envelope sender is `<BOUNCE_LOCAL>+<outbox id>-<signature>@<REPLY_DOMAIN>`
(`verp_address`). A mail server that can't deliver it sends the delivery status notification
there; the inbound paths (SMTP listener, pipe command, provider webhook) hand it to
`bounce_process`, which reads it (helpwanted/mail/dsn.py) and records it:

- always on the outbox row (bounced_at, bounce_status, bounce_detail);
- for a permanent failure (5.x.x but 5.4.4) also on the seeker's person with that address
  (Person.bounced_email and friends): from then on `Person.can_email` is False, so nothing is
  emailed to it until the seeker edits the address, and the seeker is told.

The signature is an HMAC of the outbox id under SECRET_KEY (salted for this use): nobody can
make an address that points a bounce at someone else's email, so a forged or tampered address
is ignored rather than believed. See docs/security.md, "Bounces".
"""

import importlib
import logging
import re
from email.message import Message
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from helpwanted.mail import dsn
from helpwanted.mail.dsn import IGNORED, PERMANENT, TEMPORARY
from helpwanted.mail.models import OutboxMessage

log = logging.getLogger("helpwanted.mail")

_SALT = "helpwanted.mail.bounces.verp"
_SIG_HEX = 20  # 80 bits of HMAC-SHA256, in lower-case hex: mail servers may fold case
_MAX_ID = 10**18


def _domain() -> str:
    """REPLY_DOMAIN, else the domain of the From address (a domain that surely exists)."""
    domain = str(getattr(settings, "REPLY_DOMAIN", "") or "").strip()
    if not domain:
        domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2]
    return domain.lower() or "localhost"


def _local() -> str:
    return str(getattr(settings, "BOUNCE_LOCAL", "") or "bounce").strip().lower()


def _signature(outbox_id: int, secret: str | bytes | None = None) -> str:
    mac = salted_hmac(_SALT, str(outbox_id), secret=secret, algorithm="sha256")
    return mac.hexdigest()[:_SIG_HEX]


def verp_address(outbox_id: int) -> str:
    """The envelope sender for outbox row `outbox_id`: bounces for it come back here."""
    return f"{_local()}+{int(outbox_id)}-{_signature(outbox_id)}@{_domain()}"


def verp_outbox_id(rcpt: str) -> int | None:
    """The outbox id a bounce address names, or None if it isn't one of ours, validly signed
    (by SECRET_KEY or one of SECRET_KEY_FALLBACKS)."""
    address = parseaddr(str(rcpt or ""))[1].strip().lower()
    local, at, _ = address.rpartition("@")
    if not at or len(local) > 64:
        return None
    match = re.fullmatch(
        re.escape(_local()) + r"\+(\d{1,18})-([0-9a-f]{" + f"{_SIG_HEX}" + "})", local
    )
    if not match:
        return None
    outbox_id, signature = int(match.group(1)), match.group(2)
    if not 0 < outbox_id < _MAX_ID:
        return None
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if constant_time_compare(signature, _signature(outbox_id, secret)):
            return outbox_id
    return None


# A row already holding a permanent bounce: nothing later replaces it.
_PERMANENT_RECORDED = Q(bounce_status__startswith="5.") & ~Q(bounce_status="5.4.4")


def _record(outbox_id: int, bounce: dsn.Bounce) -> str:
    """Write one bounce for one outbox row; returns its outcome.

    Conditional writes, so the same bounce twice (two deliveries of one DSN, two servers at
    once) records once: a temporary failure is written only on a row with no bounce yet, a
    permanent one on a row with no permanent bounce yet. Only the request whose UPDATE won goes
    on to mark the person; on PostgreSQL the loser's UPDATE waits for the winner's row lock,
    re-reads the row and matches nothing.
    """
    outcome = bounce.outcome
    if outcome == IGNORED:
        return IGNORED
    now = timezone.now()
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(pk=outbox_id)
        rows = (
            rows.exclude(_PERMANENT_RECORDED)
            if outcome == PERMANENT
            else rows.filter(bounced_at=None)
        )
        won = rows.update(
            bounced_at=now, bounce_status=bounce.status[:12], bounce_detail=bounce.detail[:500]
        )
        if won and outcome == PERMANENT:
            _mark_people(outbox_id, bounce, now)
    if won:
        log.info("email %s bounced: %s (%s)", outbox_id, bounce.status, outcome)
    return outcome


def _mark_people(outbox_id: int, bounce: dsn.Bounce, now: Any) -> int:
    """Mark the address as bouncing on the seeker's people who have it as their first address,
    and call off anything still queued to it for that seeker. Returns how many people."""
    from helpwanted.circle.models import CircleMember
    from helpwanted.network.models import Person

    message = OutboxMessage.objects.only("user_id", "to_email").get(pk=outbox_id)
    address = message.to_email.strip().lower()[:254]
    people = Person.objects.filter(email_key=address)
    if message.user_id is not None:
        people = people.filter(owner_id=message.user_id)
    else:
        # A digest covering several seekers: the seekers whose consenting helper this is.
        people = people.filter(
            pk__in=CircleMember.objects.filter(consented_at__isnull=False).values("person_id")
        )
    marked = people.exclude(bounced_email=address).update(
        bounced_email=address,
        bounced_at=now,
        bounce_status=bounce.status[:12],
        bounce_detail=bounce.detail[:300],
    )
    same_seeker = Q(user__isnull=True) if message.user_id is None else Q(user_id=message.user_id)
    OutboxMessage.objects.filter(
        same_seeker,
        to_email__iexact=address,
        status=OutboxMessage.Status.QUEUED,
    ).update(
        status=OutboxMessage.Status.FAILED,
        lease_until=None,
        last_error="Not sent: an earlier email to this address bounced.",
    )
    return marked


def bounce_process(message: Message, rcpt: str) -> str:
    """Read a bounce that came to the VERP address `rcpt`, and record it.

    Returns "permanent" (the address is now marked as bouncing), "temporary" (recorded on the
    outbox row, nothing else), or "ignored" (not one of our addresses, tampered, for an email we
    no longer hold, or nothing a bounce would say). Never raises on a malformed message.
    """
    outbox_id = verp_outbox_id(rcpt)
    if outbox_id is None:
        return IGNORED
    sent_to = OutboxMessage.objects.filter(pk=outbox_id).values_list("to_email", flat=True).first()
    if sent_to is None:
        return IGNORED  # pruned, or its seeker deleted their account
    try:
        bounce = dsn.parse_bounce(message, sent_to)
    except Exception:  # a malformed message is not a bounce we can read
        log.warning("unreadable bounce for email %s", outbox_id, exc_info=True)
        return IGNORED
    if bounce is None:
        return IGNORED
    return _record(outbox_id, bounce)


# --- Provider webhooks (django-anymail) -------------------------------------------------------


def _outbox_for_event(event: Any) -> int | None:
    """The outbox row a provider's bounce event is about: an `outbox_id` in its metadata (for
    a sender that sets one), else the latest email we sent to that recipient (providers name
    the address, not our row)."""
    metadata = getattr(event, "metadata", None) or {}
    raw = str(metadata.get("outbox_id", "")) if isinstance(metadata, dict) else ""
    if raw.isdigit() and OutboxMessage.objects.filter(pk=int(raw)).exists():
        return int(raw)
    recipient = str(getattr(event, "recipient", "") or "").strip()
    if not recipient:
        return None
    return (
        OutboxMessage.objects.filter(to_email__iexact=recipient, sent_at__isnull=False)
        .order_by("-sent_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def bounce_from_provider(event: Any) -> str:
    """Record a provider's "bounced" or "rejected" event (an AnymailTrackingEvent) like a DSN."""
    if getattr(event, "event_type", "") not in ("bounced", "rejected"):
        return IGNORED
    outbox_id = _outbox_for_event(event)
    if outbox_id is None:
        return IGNORED
    words = " ".join(
        str(getattr(event, name, "") or "") for name in ("mta_response", "description")
    ).strip()
    # A provider's "bounced" is a hard bounce unless its words say otherwise (soft ones are
    # "deferred"); "rejected" means the provider itself refused to send to the address.
    status = dsn.parse_status_text(words) or "5.0.0"
    detail = " ".join(words.split())[:500] or f"The mail provider reported it {event.event_type}."
    return _record(outbox_id, dsn.Bounce(status=status, detail=detail))


def on_tracking(sender: Any, event: Any, esp_name: str = "", **kwargs: Any) -> None:
    """anymail.signals.tracking receiver. It only ever fires when a provider's tracking webhook
    is routed and configured (ANYMAIL settings): otherwise it is never called."""
    try:
        bounce_from_provider(event)
    except Exception:  # a provider's odd event must not fail its webhook (it would retry forever)
        log.warning("could not record a bounce event from %s", esp_name, exc_info=True)


def connect_provider_webhooks() -> None:
    try:
        tracking = importlib.import_module("anymail.signals").tracking
    except ImportError:  # anymail is a dependency, but bounces by DSN need none of it
        return
    tracking.connect(on_tracking, dispatch_uid="helpwanted.mail.bounces.on_tracking")


__all__ = [
    "IGNORED",
    "PERMANENT",
    "TEMPORARY",
    "bounce_from_provider",
    "bounce_process",
    "verp_address",
    "verp_outbox_id",
]
