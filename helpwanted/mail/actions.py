"""Writing and delivering outbox rows. See docs/architecture.md, "Email"."""

import binascii
import email.policy
import hashlib
import logging
import re
import secrets
import smtplib
import sys
import time
from datetime import UTC, datetime, timedelta
from email import quoprimime
from email.utils import format_datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.timezone import get_current_timezone

from helpwanted.mail.bounces import verp_address
from helpwanted.mail.models import OutboxMessage

log = logging.getLogger("helpwanted.mail")


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """A template rendered as plain text: nothing HTML-escaped ("O'Neill", never "O&#x27;Neill")."""
    return get_template(name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML from templates/emails/<template>-{subject,body-text,body-html}.html.

    The subject and the text part are plain text, so they render with autoescaping off; only
    the HTML part is escaped.
    """
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_plain(f"emails/{template}-subject.html", ctx).split())
    text = _render_plain(f"emails/{template}-body-text.html", ctx).strip() + "\n"
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
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Queue one email, once: a second call with the same key returns the first row.

    `headers` adds to the email's own (a Reply-To with a reply key, say: mail/replykeys.py).
    """
    subject, text, html = render_email(template, {**context, "unsubscribe_url": unsubscribe_url})
    headers = {
        "Message-ID": f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@helpwanted>",
        **(headers or {}),
    }
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


BATCH = 50  # due rows reserved, and their bodies read, at once


def _due(now: Any) -> Q:
    """Queued and due, or stuck in `sending` past its lease (its worker died)."""
    return Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, lease_until__lt=now
    )


def _reserve(worker_id: str, size: int = BATCH) -> tuple[Any, list[OutboxMessage]]:
    """Reserve up to `size` due rows for this worker in one conditional update; return them.

    A reserved row stays `queued`, but its `next_attempt_at` moves to the end of the lease, so
    no other worker finds it due; if this worker dies, it is due again once the lease is over.
    The lease value doubles as this reservation's token: the rows read back are exactly the
    ones this update won (a row another worker took in between is not due any more, so the
    update skips it). A row stuck in `sending` past its lease belonged to a worker that died:
    it is reserved like any other. Only the row being sent is ever `sending` (see `_start`).
    """
    now = timezone.now()
    due = list(
        OutboxMessage.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:size]
    )
    if not due:
        return None, []
    token = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    reserved = OutboxMessage.objects.filter(_due(now), pk__in=due).update(
        status=OutboxMessage.Status.QUEUED,
        next_attempt_at=token,
        lease_until=token,
        claimed_by=worker_id,
    )
    if not reserved:
        return token, []
    rows = OutboxMessage.objects.filter(
        pk__in=due,
        status=OutboxMessage.Status.QUEUED,
        claimed_by=worker_id,
        lease_until=token,
    ).only("id", "attempts", "to_email", "subject", "body_text", "body_html", "headers")
    return token, sorted(rows, key=lambda row: due.index(row.pk))


# The two status changes below run once per email, in the delivery loop. Written as plain SQL
# because building the same UPDATEs through the ORM cost about ten times executing them (1.9 ms
# against 0.2 ms per email here), which held delivery well under half the rate of a bare smtplib
# loop (`make bench`, digest_send_ratio). Same conditions, same columns, both databases.
def _outbox_sql(sql: str) -> str:
    return sql.format(table=connection.ops.quote_name(OutboxMessage._meta.db_table))


_START_SQL = _outbox_sql(
    "UPDATE {table} SET status = %s, lease_until = %s, attempts = attempts + 1"
    " WHERE id = %s AND status = %s AND claimed_by = %s AND lease_until = %s"
)
_SENT_SQL = _outbox_sql(
    "UPDATE {table} SET status = %s, sent_at = %s, lease_until = NULL, smtp_queue_id = %s"
    " WHERE id = %s"
)


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _start(message: OutboxMessage, worker_id: str, token: datetime) -> bool:
    """Turn one reserved row into `sending` with a fresh lease; False if the reservation is lost.

    The reservation may have run out (a very slow batch) and another worker may hold the row
    now: the update is conditional on our token, so at most one of us sends it.
    """
    lease = timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            _START_SQL,
            [
                OutboxMessage.Status.SENDING.value,
                _when(lease),
                message.pk,
                OutboxMessage.Status.QUEUED.value,
                worker_id,
                _when(token),
            ],
        )
        started = cursor.rowcount
    message.attempts += 1
    return started == 1


def _mark_sent(pk: int, queue_id: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _SENT_SQL, [OutboxMessage.Status.SENT.value, _when(timezone.now()), queue_id, pk]
        )


def _release(worker_id: str, token: Any, rows: list[OutboxMessage]) -> None:
    """Hand back reserved rows this call did not get to, so they need not wait for the lease."""
    if rows:
        OutboxMessage.objects.filter(
            pk__in=[row.pk for row in rows],
            status=OutboxMessage.Status.QUEUED,
            claimed_by=worker_id,
            lease_until=token,
        ).update(next_attempt_at=timezone.now(), lease_until=None)


# Every email helpwanted sends is automatic: say so (RFC 3834), so that auto-responders and
# Exchange's out-of-office stay quiet instead of answering, and loops never start. A row that
# sets its own value (an auto-reply says "auto-replied") keeps it.
LOOP_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def _headers(message: OutboxMessage) -> dict[str, Any]:
    headers = dict(message.headers or {})
    present = {name.lower() for name in headers}
    headers.update({k: v for k, v in LOOP_HEADERS.items() if k.lower() not in present})
    return headers


def envelope_sender(message: OutboxMessage) -> str:
    """The SMTP envelope sender (Return-Path): the signed VERP address, so a bounce names this
    row (helpwanted/mail/bounces.py). An auto-reply goes with the empty one, so nothing answers
    it (RFC 3834, 3.3)."""
    headers = {name.lower(): value for name, value in (message.headers or {}).items()}
    if str(headers.get("auto-submitted", "")).lower().startswith("auto-replied"):
        return ""
    return verp_address(message.pk)


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers=_headers(message),
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


# --- Serialising for SMTP -------------------------------------------------------------------
#
# Django's EmailMessage.message() builds a full email.message.EmailMessage, whose headers are
# parsed into typed objects and folded again by the generator: for our digests that cost twice
# the SMTP exchange itself. `_mime_bytes` writes the very same bytes directly for the common
# case (a text and an HTML part, plain ASCII addresses, no header that needs folding or
# encoding); anything else goes through Django as before. tests/test_outbox.py checks that both
# give identical bytes but for the Date and the random MIME boundary.

_SMTP = email.policy.SMTP
_MAX_LINE: int = _SMTP.max_line_length or 78  # the SMTP policy sets 78; None means unlimited
_SIMPLE_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                             r"@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")  # fmt: skip
_SIMPLE_VALUE = re.compile(r"[!-~]+( [!-~]+)*")  # printable ASCII, single spaces, no edges
_OWN_HEADERS = {
    "from", "to", "cc", "bcc", "reply-to", "date", "subject",
    "mime-version", "content-type", "content-transfer-encoding",
}  # fmt: skip


def _header(name: str, value: str) -> str:
    """One header as the email package would fold it under the SMTP policy."""
    if len(name) + 2 + len(value) <= _MAX_LINE and _SIMPLE_VALUE.fullmatch(value):
        return f"{name}: {value}\r\n"
    # Anything else (non-ASCII, long, odd spacing, line breaks): let the email package do it,
    # exactly as Message.__setitem__ and the generator would (and fail the same way).
    return _SMTP.fold(name, _SMTP.header_store_parse(name, value)[1])


def _text_part(text: str) -> tuple[str, bytes]:
    """Content-Transfer-Encoding and body, as email.contentmanager.set_text_content picks them."""
    lines = text.encode("utf-8").splitlines()
    maxlen = _MAX_LINE
    body = b"\n".join(lines) + b"\n"
    if max((len(line) for line in lines), default=0) <= maxlen:
        return ("7bit" if body.isascii() else "8bit"), b"\r\n".join(lines) + b"\r\n"
    sniff = b"\r\n".join(lines[:10]) + b"\r\n"
    sniff_qp = quoprimime.body_encode(sniff.decode("latin-1"), maxlen)
    if len(sniff_qp) > len(binascii.b2a_base64(sniff)):
        raise _Unusual  # base64 is rare for our email: leave it to the email package
    encoded = (
        sniff_qp if len(lines) <= 10 else quoprimime.body_encode(body.decode("latin-1"), maxlen)
    )
    return "quoted-printable", encoded.replace("\n", "\r\n").encode("ascii")


class _Unusual(Exception):
    """This message needs the email package's general path."""


def _mime_bytes(message: OutboxMessage, from_header: str) -> bytes:
    headers = _headers(message)
    if (
        not message.body_text
        or not message.body_html
        or not _SIMPLE_ADDRESS.fullmatch(message.to_email)
        or "message-id" not in {name.lower() for name in headers}
        or any(name.lower() in _OWN_HEADERS for name in headers)
        or any(not isinstance(value, str) for value in headers.values())
        or "\r" in message.body_text
        or "\r" in message.body_html
    ):
        raise _Unusual
    text_cte, text = _text_part(message.body_text)
    html_cte, html = _text_part(message.body_html)
    while True:
        boundary = "=" * 15 + f"{secrets.randbelow(sys.maxsize):019d}" + "=="
        if f"--{boundary}".encode() not in text + html:
            break
    tz = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
    head = "".join(
        [
            "MIME-Version: 1.0\r\n",
            f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n',
            _header("Subject", str(message.subject)),
            from_header,
            _header("To", message.to_email),
            _header("Date", format_datetime(datetime.now(tz))),
            *(_header(name, value) for name, value in headers.items()),
            f"\r\n--{boundary}\r\n",
            'Content-Type: text/plain; charset="utf-8"\r\n',
            f"Content-Transfer-Encoding: {text_cte}\r\n\r\n",
        ]
    ).encode("ascii")
    middle = (
        f"\r\n--{boundary}\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {html_cte}\r\nMIME-Version: 1.0\r\n\r\n"
    ).encode("ascii")
    return b"".join([head, text, middle, html, f"\r\n--{boundary}--\r\n".encode("ascii")])


class _SMTPSender:
    """Sends over the default mailer's own SMTP connection, kept open for the whole batch."""

    def __init__(self, backend: SMTPBackend) -> None:
        self.backend = backend
        from_email = str(settings.DEFAULT_FROM_EMAIL)
        self.from_header = _header("From", from_email) if from_email.isascii() else None

    def send(self, message: OutboxMessage) -> str:
        """Send one message; returns the server's queue id for it, or "" if its reply had none."""
        try:
            if self.from_header is None:
                raise _Unusual
            data = _mime_bytes(message, self.from_header)
        except _Unusual:
            data = _email(message).message(policy=_SMTP).as_bytes()
        recipient = message.to_email
        if not _SIMPLE_ADDRESS.fullmatch(recipient):  # a plain addr-spec needs no preparing
            recipient = self.backend.prep_address(recipient)
        self.backend.open()
        connection = self.backend.connection
        assert connection is not None  # open() connects, or raises
        return _queue_id(_sendmail(connection, envelope_sender(message), recipient, data))


def _sendmail(connection: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> bytes:
    """smtplib's sendmail() for one recipient, returning the server's reply to DATA.

    sendmail() throws that reply away, and it is the only place the server says which queue id
    it gave the message. Same commands, same checks and same errors as sendmail().
    """
    connection.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if connection.does_esmtp and connection.has_extn("size") else []
    code, reply = connection.mail(sender, options)
    if code != 250:
        _abandon(connection, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = connection.rcpt(recipient)
    if code not in (250, 251):
        _abandon(connection, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = connection.data(data)
    if code != 250:
        _abandon(connection, code)
        raise smtplib.SMTPDataError(code, reply)
    return reply


def _abandon(connection: smtplib.SMTP, code: int) -> None:
    """What sendmail() does with a refused message: 421 closes the session, else RSET."""
    if code == 421:
        connection.close()
    else:
        try:
            connection.rset()
        except smtplib.SMTPServerDisconnected:
            pass


# "250 2.0.0 Ok: queued as 4B3F2C" (Postfix), "250 OK id=1rAbCd-000123-Xy" (Exim).
_QUEUE_ID = re.compile(rb"queued as ([\w.-]{1,100})|\bid=([\w.-]{1,100})")


def _queue_id(reply: bytes) -> str:
    """The queue id in a 250 reply to DATA, when the server names one."""
    match = _QUEUE_ID.search(reply)
    return (match.group(1) or match.group(2)).decode("ascii") if match else ""


def _send(message: OutboxMessage, connection: Any) -> str:
    """Hand one message to the mailer; returns the SMTP server's queue id, if it gave one."""
    if isinstance(connection, _SMTPSender):
        return connection.send(message)
    connection.send_messages([_email(message)])
    return ""


def outbox_deliver(*, worker_id: str = "inline", limit: int = 100) -> int:
    """Deliver up to `limit` due rows; returns how many were sent.

    Rows are reserved BATCH at a time (one update, one read of their bodies), then each one is
    marked `sending` just before it goes out and `sent` right after the server accepts it:
    delivery is at-least-once, and a crash sends at most the one email in flight twice (with the
    same Message-ID), never the rest of the batch. See docs/architecture.md, "Email".
    """
    sent = 0
    mailer = mailers.default
    connection: Any = _SMTPSender(mailer) if isinstance(mailer, SMTPBackend) else mailer
    token: Any = None
    batch: list[OutboxMessage] = []
    done = 0
    try:
        while done < limit:
            if not batch:
                token, batch = _reserve(worker_id, min(BATCH, limit - done))
                if not batch:
                    break
            message = batch.pop(0)
            done += 1
            if not _start(message, worker_id, token):
                continue
            if settings.OUTBOX_PAUSE_AFTER_CLAIM:
                time.sleep(settings.OUTBOX_PAUSE_AFTER_CLAIM)
            try:
                # One connection across the batch: a new SMTP session per message (connect,
                # EHLO, QUIT) cost several times the send itself.
                queue_id = _send(message, connection)
            except Exception as exc:  # the outside world failed: retry later, keep going
                failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
                OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker_id).update(
                    status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.QUEUED,
                    next_attempt_at=timezone.now() + OutboxMessage.backoff(message.attempts),
                    lease_until=None,
                    last_error=f"{type(exc).__name__}: {exc}"[:500],
                )
                log.warning("email %s attempt %s failed: %s", message.pk, message.attempts, exc)
                _close(mailer)  # a broken session must not fail the next message too
                continue
            # In the same breath as the server's 250 to DATA, before anything else: a crash
            # before this UPDATE commits resends this one email (same Message-ID), nothing else.
            _mark_sent(message.pk, queue_id)
            sent += 1
    finally:
        try:
            _release(worker_id, token, batch)
        finally:
            _close(mailer)
    return sent


def _close(mailer: Any) -> None:
    try:
        mailer.close()
    except Exception:  # noqa: S110  closing a dead SMTP connection is not worth a crash
        pass


def outbox_prune(*, days: int = 180) -> int:
    """Forget delivered email after a while: it holds helpers' addresses and words."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted
