import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from helpwanted.network.models import Person


class Audience(models.TextChoices):
    INNER = "inner", "Inner circle"
    SUPPORTERS = "supporters", "Supporters"
    NETWORK = "network", "Network"


AUDIENCE_HELP = {
    Audience.INNER: "Sees your feelings and check-ins when you share them, plus everything below.",
    Audience.SUPPORTERS: "Sees your progress updates and your open asks.",
    Audience.NETWORK: "Sees only the asks you send them personally.",
}


# The same rules, told to the helper rather than the seeker.
AUDIENCE_HELP_FOR_HELPER = {
    Audience.INNER: "You'll see how they're really doing when they choose to share it, as well "
    "as their progress and the asks they send you.",
    Audience.SUPPORTERS: "You'll see their progress updates and the asks they send you.",
    Audience.NETWORK: "You'll see the asks they send you personally.",
}


class Consent(models.TextChoices):
    INVITE = "invite", "Accepted your invitation"
    KEEP_ME_POSTED = "keep_me_posted", "Asked to be kept posted"


class NewsTiming(models.TextChoices):
    RIGHT_AWAY = "right_away", "Right away"
    WEEKLY = "weekly", "In the weekly summary"


class CircleMember(models.Model):
    """A person the seeker has put in their circle, with what they may see.

    Being a member is not consent: someone only asked gets a row (their personal link needs one)
    but no digest and no news. Those go only to members with `consented_at` set, recorded when
    they accept an invitation or tick "Keep me posted" on an answer.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle"
    )
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="membership")
    audience = models.CharField(max_length=12, choices=Audience, default=Audience.SUPPORTERS)
    invited_at = models.DateTimeField(null=True, blank=True)
    # The helper's own choices, made on their page.
    digest_enabled = models.BooleanField(default=True)
    digest_paused_until = models.DateField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # One-click unsubscribe: no more email to this helper from this seeker, of any kind.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Consent to hear about the search (digest, news). None: only asked, so no digest.
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_via = models.CharField(max_length=16, choices=Consent, blank=True)
    # Rejections and hard news: right away or in the weekly summary. Blank: the audience's default.
    news_timing = models.CharField(max_length=12, choices=NewsTiming, blank=True)
    # The seeker switched this member's link off: no email carries a link until a new invite.
    links_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name"]
        indexes = [models.Index(fields=["owner", "audience"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_audience_display()})"

    @property
    def has_left(self) -> bool:
        return self.left_at is not None

    @property
    def has_consented(self) -> bool:
        return self.consented_at is not None

    @property
    def news_choice(self) -> str:
        """Their choice, or the default: the inner circle hears hard news right away."""
        if self.news_timing:
            return self.news_timing
        return NewsTiming.RIGHT_AWAY if self.audience == Audience.INNER else NewsTiming.WEEKLY

    @property
    def digest_paused(self) -> bool:
        return self.digest_paused_until is not None and (
            self.digest_paused_until > timezone.localdate()
        )

    @property
    def news_right_away(self) -> bool:
        return self.news_choice == NewsTiming.RIGHT_AWAY

    def get_news_choice_display(self) -> str:
        return NewsTiming(self.news_choice).label


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class HelperGrant(models.Model):
    """A personal helper link. Only the SHA-256 of its token is stored.

    A member has at most one live grant (not revoked, with a nonce), reused by every email: its
    token is derived from the nonce with a key made from SECRET_KEY (circle.actions.derive_token),
    so it can be written into the next email without ever being stored. Grants from before this
    (blank nonce) keep working until they expire, but are never put in an email again.
    """

    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="grants")
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(revoked_at__isnull=True) & ~models.Q(nonce=""),
                name="one_live_grant_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"Link for {self.member.person}"

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.HELPER_LINK_DAYS)

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.member.left_at is None
        )
