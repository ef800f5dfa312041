"""Writing and delivering outbox rows. See docs/architecture.md, "Email"."""

import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from helpwanted.mail.models import OutboxMessage

log = logging.getLogger("helpwanted.mail")


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML from templates/emails/<template>-{subject,body-text,body-html}.html."""
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.html", ctx).split())
    text = render_to_string(f"emails/{template}-body-text.html", ctx).strip() + "\n"
    html = render_to_string(f"emails/{template}-body-html.html", ctx)
    return subject, text, html


def outbox_enqueue(
    *,
    key: str,
    template: str,
    to_email: str,
    context: dict[str, Any],
    user: Any = None,
    unsubscribe_url: str = "",
) -> OutboxMessage:
    """Queue one email, once: a second call with the same key returns the first row."""
    subject, text, html = render_email(template, {**context, "unsubscribe_url": unsubscribe_url})
    headers = {"Message-ID": f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@helpwanted>"}
    if unsubscribe_url:
        # RFC 8058: one-click unsubscribe for everything that isn't transactional.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with transaction.atomic():
        message, _ = OutboxMessage.objects.get_or_create(
            key=key,
            defaults={
                "kind": template,
                "user": user,
                "to_email": to_email,
                "subject": subject,
                "body_text": text,
                "body_html": html,
                "headers": headers,
            },
        )
    return message


CANDIDATES = 50  # due row ids read at once; each is still claimed on its own


def _due(now: Any) -> Q:
    """Queued and due, or stuck in `sending` past its lease (its worker died)."""
    return Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, lease_until__lt=now
    )


def _claim_next(worker_id: str, pending: list[int]) -> OutboxMessage | None:
    """Claim one due row with a conditional update, so two workers never take the same row.

    Due ids are read in batches (`pending`; the read is covered by the status index, so it
    never touches the bodies); each claim re-checks that its row is still due, so a stale id
    is simply skipped. A row stuck in `sending` past its lease belonged to a worker that died:
    take it back.
    """
    for refill in (False, True):
        if refill or not pending:
            pending[:] = (
                OutboxMessage.objects.filter(_due(timezone.now()))
                .order_by("next_attempt_at", "id")
                .values_list("id", flat=True)[:CANDIDATES]
            )
        while pending:
            pk = pending.pop(0)
            now = timezone.now()
            claimed = OutboxMessage.objects.filter(_due(now), pk=pk).update(
                status=OutboxMessage.Status.SENDING,
                lease_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
                attempts=F("attempts") + 1,
                claimed_by=worker_id,
            )
            if claimed == 1:
                return OutboxMessage.objects.get(pk=pk)
    return None


def _send(message: OutboxMessage, connection: Any) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers=message.headers,
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send()


def outbox_deliver(*, worker_id: str = "inline", limit: int = 100) -> int:
    """Deliver up to `limit` due rows; returns how many were sent."""
    sent = 0
    connection = mailers.default
    pending: list[int] = []
    try:
        for _ in range(limit):
            message = _claim_next(worker_id, pending)
            if message is None:
                break
            if settings.OUTBOX_PAUSE_AFTER_CLAIM:
                time.sleep(settings.OUTBOX_PAUSE_AFTER_CLAIM)
            try:
                # Keep one connection open across the batch: a new SMTP session per message
                # (connect, EHLO, QUIT) cost several times the send itself.
                connection.open()
                _send(message, connection)
            except Exception as exc:  # the outside world failed: retry later, keep going
                failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
                OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker_id).update(
                    status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.QUEUED,
                    next_attempt_at=timezone.now() + OutboxMessage.backoff(message.attempts),
                    lease_until=None,
                    last_error=f"{type(exc).__name__}: {exc}"[:500],
                )
                log.warning("email %s attempt %s failed: %s", message.pk, message.attempts, exc)
                connection = mailers.default
                continue
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.SENT, sent_at=timezone.now(), lease_until=None
            )
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # noqa: S110  closing a dead SMTP connection is not worth a crash
            pass
    return sent


def outbox_prune(*, days: int = 180) -> int:
    """Forget delivered email after a while: it holds helpers' addresses and words."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted
