from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """One outgoing email, written in the same transaction as the action that caused it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The seeker this email was sent for or to, if any.",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the SMTP server called the message when it accepted it ("250 Ok: queued as 4B3F2C"),
    # to find it in the server's logs. Blank when its reply named none, or nothing went by SMTP.
    smtp_queue_id = models.CharField(max_length=100, blank=True)
    # A delivery status notification that came back for this message (VERP return path): when,
    # its RFC 3464 status ("5.1.1"), and the server's words, capped.
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_status = models.CharField(max_length=12, blank=True)
    bounce_detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email}"

    @staticmethod
    def backoff(attempts: int) -> timedelta:
        """30 s, 1 min, 2 min … capped at 1 hour between tries."""
        return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


class ReplyKey(models.Model):
    """The key in one email's Reply-To address (`reply+<key>@…`): only its SHA-256 is stored.

    It answers for one thing a helper was sent (an ask to them, an update, a thank-you) and
    lives exactly as long as the helper link it came with: it dies when that grant expires or is
    revoked (the seeker switched the link off, or a new invitation replaced it), and comes back
    if the seeker undoes a switch-off. See mail/replykeys.py and docs/security.md.
    """

    class Kind(models.TextChoices):
        ASK = "ask", "An ask"
        UPDATE = "update", "An update"
        THANKS = "thanks", "A thank-you"

    key_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind)
    grant = models.ForeignKey(
        "circle.HelperGrant", on_delete=models.CASCADE, related_name="reply_keys"
    )
    member = models.ForeignKey(
        "circle.CircleMember", on_delete=models.CASCADE, related_name="reply_keys"
    )
    recipient = models.ForeignKey(
        "asks.Recipient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    update = models.ForeignKey(
        "journey.Update", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thank_you = models.ForeignKey(
        "journey.ThankYou", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The one "we couldn't use your reply" notice this key may ever cause.
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reply key for {self.get_kind_display()} ({self.member_id})"

    @property
    def is_live(self) -> bool:
        grant, member = self.grant, self.member
        return (
            grant.revoked_at is None
            and grant.expires_at > timezone.now()
            and member.left_at is None
            and member.links_off_at is None
        )


class InboundMessage(models.Model):
    """One email that came in to a reply address, recorded once per Message-ID.

    Nothing here is ever rendered as HTML: `text` is plain text (HTML-only mail is converted
    first), and the capped `raw` copy is shown inside <pre> for the seeker to read in full.
    """

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded"  # became an answer, a reply or a note
        SUGGESTED = "suggested", "Waiting for the seeker to confirm the answer"
        CONFIRMED = "confirmed", "Answer confirmed by the seeker"
        HELD = "held", "Held for the seeker to approve"
        DISCARDED = "discarded", "Discarded by the seeker"
        DROPPED = "dropped", "Dropped (automatic or unusable)"

    class Answer(models.TextChoices):
        YES = "yes", "Yes, I can"
        SUGGEST = "suggest", "Can't, but suggested someone"
        NOT_NOW = "not_now", "Not right now"
        NO = "no", "Said no, kindly"

    RAW_CAP = 64 * 1024

    message_id = models.CharField(max_length=255, unique=True)
    reply_key = models.ForeignKey(
        ReplyKey, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    # Denormalised from the key, so the ask page and person page read it in one query.
    recipient = models.ForeignKey(
        "asks.Recipient",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="email_replies",
    )
    person = models.ForeignKey(
        "network.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="email_replies",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    rcpt = models.CharField(max_length=320)
    mail_from = models.CharField(max_length=320, blank=True)
    from_header = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    raw = models.TextField(blank=True)
    raw_truncated = models.BooleanField(default=False)
    attachment_dropped = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status)
    reason = models.CharField(max_length=200, blank=True)
    suggested_answer = models.CharField(max_length=8, choices=Answer, blank=True)
    # The journey Reply an update's reply became, if any.
    update_reply = models.ForeignKey(
        "journey.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.message_id}"
