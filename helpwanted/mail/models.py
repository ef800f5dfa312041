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
