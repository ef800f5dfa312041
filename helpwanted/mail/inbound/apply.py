"""What a trusted reply becomes (called inside the transaction that saved it).

- To an ask: the helper's words go on their recipient row, "replied by email" in its history,
  and an answer suggested from plain cues for the seeker to confirm with one click. The
  recipient's `answered_at` is set, so the seeker hears in the usual batched email.
- To an update: a journey Reply on it (encouragement reaches the seeker's page and home).
- To a thank-you: a note on that person's page (read from these rows).

When there is nothing it can become (the ask is finished, the update taken down, the reply
empty), the helper gets at most one "we couldn't use your reply" notice per reply key.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpwanted.asks.models import Recipient, RecipientEvent
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.inbound.parse import suggest_answer
from helpwanted.mail.models import InboundMessage, ReplyKey

Status = InboundMessage.Status
REPLIED_BY_EMAIL = "replied by email"


def apply_reply(row: InboundMessage, key: ReplyKey) -> str:
    """Make the reply what it is for; returns the outcome word. `row` is saved already."""
    if not row.text:
        return _unusable(row, key, "the reply was empty once the quoted email was taken out")
    if key.kind == ReplyKey.Kind.ASK and key.recipient_id is not None:
        return _to_ask(row, key)
    if key.kind == ReplyKey.Kind.UPDATE and key.update_id is not None:
        return _to_update(row, key)
    _set(row, Status.RECORDED)
    return "recorded"


def _set(row: InboundMessage, status: str, **fields: object) -> None:
    row.status = status
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=["status", *fields])


# What Recipient.can_answer and the answer need: a narrow row, read once per reply.
_RECIPIENT_FIELDS = ("status", "answered_at", "person_id", "ask__closed_at")


def _to_ask(row: InboundMessage, key: ReplyKey) -> str:
    assert key.recipient_id is not None
    recipient = (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("ask")
        .only(*_RECIPIENT_FIELDS)
        .get(pk=key.recipient_id)
    )
    if not recipient.can_answer:
        return _unusable(row, key, "the ask is finished")
    now = timezone.now()
    first = recipient.answered_at is None
    Recipient.objects.filter(pk=recipient.pk).update(
        answer_message=row.text, answered_at=now, answer_notified_at=None
    )
    RecipientEvent.objects.create(
        recipient=recipient, status=recipient.status, note=REPLIED_BY_EMAIL
    )
    if first:
        from helpwanted.network.models import Person

        Person.objects.filter(pk=recipient.person_id).update(answers_count=F("answers_count") + 1)
    _set(row, Status.SUGGESTED, suggested_answer=suggest_answer(row.text))
    return "suggested"


def _to_update(row: InboundMessage, key: ReplyKey) -> str:
    from helpwanted.journey.models import Reply
    from helpwanted.journey.updates import MESSAGE_MAX, UpdateError, reply_post

    assert key.update is not None
    try:
        reply, _ = reply_post(
            update=key.update,
            member=key.member,
            kind=Reply.Kind.ENCOURAGEMENT,
            text=row.text[:MESSAGE_MAX],
        )
    except UpdateError:
        if key.update.deleted_at is not None:
            return _unusable(row, key, "the update has been taken down")
        return _unusable(row, key, "it's not an update you can reply to any more")
    _set(row, Status.RECORDED, update_reply=reply)
    return "recorded"


def _unusable(row: InboundMessage, key: ReplyKey, reason: str) -> str:
    _set(row, Status.DROPPED, reason=reason[:200])
    _notice(key, reason)
    return "dropped"


def _notice(key: ReplyKey, reason: str) -> None:
    """One "we couldn't use your reply" email per key, ever, to the helper's known address."""
    person = key.member.person
    if not person.emails or key.member.unsubscribed_at is not None:
        return
    if not ReplyKey.objects.filter(pk=key.pk, notice_sent_at__isnull=True).update(
        notice_sent_at=timezone.now()
    ):
        return
    seeker = key.member.owner
    outbox_enqueue(
        key=f"reply-notice:{key.pk}",
        template="reply-notice",
        to_email=person.emails[0],
        user=seeker,
        context={"person": person, "seeker": seeker, "reason": reason},
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )


def approve(row: InboundMessage) -> str:
    """The seeker says a held reply is really from them: it becomes what it would have."""
    key = row.reply_key
    if key is None or row.status != Status.HELD:
        return row.status
    # One transaction: the recipient row is locked while the reply is applied (PostgreSQL refuses
    # select_for_update outside one), and a failure leaves the reply held.
    with transaction.atomic():
        if not InboundMessage.objects.filter(pk=row.pk, status=Status.HELD).update(
            status=Status.DROPPED, decided_at=timezone.now()
        ):
            return "already"
        row.status = Status.DROPPED
        return apply_reply(row, key)
