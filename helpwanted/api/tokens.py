"""Personal access tokens: make, find, touch and revoke. The one access check for a token.

A token is `hw_pat_` and 43 characters of `secrets.token_urlsafe(32)` (256 random bits). Only
its SHA-256 is stored, so the database never holds a usable secret; a lookup by hash is a
unique-index hit, and comparing hashes leaks nothing useful about the secret through timing.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from helpwanted.accounts.http import AuthedRequest
from helpwanted.accounts.models import User
from helpwanted.api.models import TOKEN_PREFIX, PersonalAccessToken, hash_token

__all__ = [
    "TOUCH_EVERY",
    "get_token_for_seeker",
    "token_create",
    "token_find",
    "token_revoke",
    "token_touch",
]

# last_used_at moves at most this often: a busy script costs one write a minute, not one a request.
TOUCH_EVERY = timedelta(minutes=1)
NAME_MAX = 80


def get_token_for_seeker(request: AuthedRequest, token_id: int) -> PersonalAccessToken:
    return get_object_or_404(PersonalAccessToken, pk=token_id, owner=request.user)


def token_create(
    *, owner: User, name: str, can_write: bool = False, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """A new token and its secret. The secret is returned once and never stored."""
    name = " ".join(name.split())[:NAME_MAX]
    if not name:
        raise ValueError("A token needs a name, so you know later what uses it.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = PersonalAccessToken.objects.create(
            owner=owner,
            name=name,
            token_hash=hash_token(secret),
            last_four=secret[-4:],
            can_write=can_write,
            expires_at=expires_at,
        )
    return token, secret


def token_find(secret: str) -> PersonalAccessToken | None:
    """The live token with this secret, with its owner; None for unknown, revoked or expired."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        PersonalAccessToken.objects.select_related("owner")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is None or not token.is_usable:
        return None
    return token


def token_touch(token: PersonalAccessToken, *, now: datetime | None = None) -> bool:
    """Note that the token was used. Writes only when last_used_at is a minute old or more.

    The write is conditional (`UPDATE … WHERE last_used_at < now - 1 min`), so two app servers
    using one token at the same moment write it once, and neither reads then writes.
    """
    now = now or timezone.now()
    stale = now - TOUCH_EVERY
    if token.last_used_at is not None and token.last_used_at > stale:
        return False  # recent enough: no query at all
    updated = (
        PersonalAccessToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale))
        .update(last_used_at=now)
    )
    token.last_used_at = now
    return bool(updated)


def token_revoke(*, token: PersonalAccessToken) -> bool:
    """Switch a token off for good; it stops working on the next request. False if it already was."""
    now = timezone.now()
    with transaction.atomic():
        revoked = PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
    if revoked:
        token.revoked_at = now
    return bool(revoked)
