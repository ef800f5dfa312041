"""One way in for every reply: `inbound_process(raw_bytes, rcpt, mail_from)`.

The SMTP listener (`helpwanted inbound_smtp`), the pipe command (`helpwanted inbound`) and a
provider's webhook (anymail) all call it. It is idempotent on Message-ID: the same message
delivered twice, even by two app servers at the same moment, is recorded once (a unique index,
and the loser of the race sees IntegrityError and answers "duplicate").
"""

import email
import email.policy
import hashlib
import logging
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpwanted.lib import ratelimit
from helpwanted.mail.inbound.parse import Read, read_message, reply_text
from helpwanted.mail.models import InboundMessage, ReplyKey
from helpwanted.mail.replykeys import is_bounce_rcpt, reply_key_lookup

log = logging.getLogger("helpwanted.mail.inbound")

Status = InboundMessage.Status


class Outcome(StrEnum):
    RECORDED = "recorded"  # became an update reply or a note on the person
    SUGGESTED = "suggested"  # an ask's reply, its answer waiting for the seeker's click
    HELD = "held"  # from an address we don't know: the seeker approves or discards it
    DROPPED = "dropped"  # automatic, empty, too many, or nothing left to answer
    DUPLICATE = "duplicate"  # this Message-ID was here already
    UNKNOWN = "unknown"  # no such reply address, or it expired or was switched off
    TOO_BIG = "too_big"


def _message_id(read: Read, raw: bytes) -> str:
    """The Message-ID, or one made from the bytes when it has none (or an absurd one)."""
    value = read.message_id.strip()
    if not value or len(value) > 250:
        value = f"<{hashlib.sha256(value.encode() or raw).hexdigest()}@inbound.helpwanted>"
    return value


def _raw_copy(raw: bytes) -> tuple[str, bool]:
    cap = InboundMessage.RAW_CAP
    text = raw[:cap].decode("utf-8", errors="replace").replace("\x00", "")
    return text, len(raw) > cap


def _trusted(key: ReplyKey, read: Read, mail_from: str) -> str:
    """ "" when the message may be recorded; else why it is held for the seeker."""
    known = {address.lower() for address in key.member.person.emails}
    if read.dmarc_failed:
        return "the receiving server says its sender could not be verified (DMARC failed)"
    if read.from_address not in known:
        return "it came from an address we don't know for them"
    envelope = mail_from.strip().strip("<>").lower()
    if envelope and envelope not in known:
        return "it came from an address we don't know for them"
    return ""


def _limited(key: ReplyKey, sender: str) -> bool:
    hour = 3600
    by_key = ratelimit.hit(
        "inbound:key", str(key.pk), limit=settings.INBOUND_LIMIT_PER_KEY, window=hour
    )
    by_sender = ratelimit.hit(
        "inbound:sender", sender or "-", limit=settings.INBOUND_LIMIT_PER_SENDER, window=hour
    )
    return bool(by_key or by_sender)


def inbound_process(raw_bytes: bytes, rcpt: str, mail_from: str = "") -> str:
    """Record one incoming message to a reply (or bounce) address. Returns an Outcome word.

    Never raises on what the message contains; database errors do propagate (the caller
    answers "try again later": exit 75, or SMTP 451).
    """
    if len(raw_bytes) > settings.INBOUND_MAX_BYTES:
        return Outcome.TOO_BIG
    if is_bounce_rcpt(rcpt):
        return _bounce(raw_bytes, rcpt)
    key = reply_key_lookup(rcpt)
    if key is None:
        return Outcome.UNKNOWN
    read = read_message(raw_bytes)
    message_id = _message_id(read, raw_bytes)
    if InboundMessage.objects.filter(message_id=message_id).exists():
        return Outcome.DUPLICATE
    row = InboundMessage(
        message_id=message_id,
        reply_key=key,
        recipient_id=key.recipient_id,
        person_id=key.member.person_id,
        owner_id=key.member.owner_id,
        rcpt=rcpt[:320],
        mail_from=mail_from[:320],
        from_header=read.from_address,
        subject=read.subject,
        attachment_dropped=read.attachment_dropped,
    )
    if read.noise:
        # Out of office, a bounce, a list: recorded (so a redelivery is a duplicate), never
        # answered, never shown.
        row.status, row.reason = Status.DROPPED, read.noise[:200]
        return _save(row, Outcome.DROPPED)
    if _limited(key, read.from_address):
        return Outcome.DROPPED  # not recorded: a redelivery later may be let through
    row.text = reply_text(read.text)
    row.raw, row.raw_truncated = _raw_copy(raw_bytes)
    held = _trusted(key, read, mail_from)
    if held:
        row.status, row.reason = Status.HELD, held
        return _save(row, Outcome.HELD)
    from helpwanted.mail.inbound.apply import apply_reply

    try:
        with transaction.atomic():
            row.status = Status.DROPPED  # apply_reply sets what it became
            row.save()
            outcome = apply_reply(row, key)
    except IntegrityError:
        return Outcome.DUPLICATE
    return outcome


def _save(row: InboundMessage, outcome: str) -> str:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return Outcome.DUPLICATE
    return outcome


def _bounce(raw_bytes: bytes, rcpt: str) -> str:
    """A delivery report to the VERP return path: the bounce module's business."""
    try:
        from helpwanted.mail import bounces  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return Outcome.UNKNOWN  # bounces are not handled in this build: an unknown address
    try:
        message = email.message_from_bytes(raw_bytes, policy=email.policy.default)
    except Exception:  # a report we can't even parse: nothing to learn from it
        return Outcome.DROPPED
    outcome: str = bounces.bounce_process(message, rcpt)  # type: ignore[arg-type,unused-ignore]
    return outcome


def decided(row: InboundMessage, status: str) -> bool:
    """Move a held or suggested message on, once: a conditional update (a double click is one)."""
    moved = InboundMessage.objects.filter(pk=row.pk, status=row.status).update(
        status=status, decided_at=timezone.now()
    )
    if moved:
        row.status = status
    return bool(moved)


def inbound_prune(*, days: int = 180) -> int:
    """A tick job: forget what replies said after a while, as the outbox forgets sent email.

    Dropped messages (auto-replies and the like) go after a week; every other row loses its raw
    copy after `days` (what it became, an answer or a reply, is on the ask or update by then).
    """
    now = timezone.now()
    gone, _ = InboundMessage.objects.filter(
        status=Status.DROPPED, received_at__lt=now - timedelta(days=7)
    ).delete()
    cleared = (
        InboundMessage.objects.filter(received_at__lt=now - timedelta(days=days))
        .exclude(raw="")
        .update(raw="", raw_truncated=False)
    )
    return gone + cleared
