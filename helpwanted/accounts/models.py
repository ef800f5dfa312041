import unicodedata
import zoneinfo
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone

from helpwanted.network.parsing import first_name


def normalize_email(email: str) -> str:
    """One spelling per address: NFKC, trimmed, lowercased. Sign-up, log-in, reset and lockouts
    all key on this, so "Alice@Example.org" is alice@example.org everywhere."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalize_email(username or ""))

    async def aget_by_natural_key(self, username: str | None) -> "User":
        return await self.aget(email=normalize_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A seeker (and, later, a coach or a helper who chose to make an account)."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField("your name", max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def first_name(self) -> str:
        """The name to greet them by."""
        return first_name(self.display_name)

    @property
    def zoneinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")
