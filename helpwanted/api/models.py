import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

# Every token starts with this, so a leaked one is easy to recognise (secret scanners, logs).
TOKEN_PREFIX = "hw_pat_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PersonalAccessToken(models.Model):
    """A seeker's token for the REST API. Only the SHA-256 of the secret is stored.

    The secret is shown once, when it is made; after that only its name, its last four
    characters and when it was last used are ever shown.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    last_four = models.CharField(max_length=4)
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} (…{self.last_four})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired and self.owner.is_active

    @property
    def scope_label(self) -> str:
        return "Read and write" if self.can_write else "Read only"
