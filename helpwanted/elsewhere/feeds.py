"""The secret calendar feed URL: make, rotate, revoke, and find the seeker from a token.

As with helper links, the token is an HMAC of a stored random nonce keyed from SECRET_KEY, and
only its SHA-256 is stored to look it up: the account page can show the URL again, and a copy of
the database alone gives nobody a working URL.
"""

from __future__ import annotations

import base64
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac

from helpwanted.accounts.models import User
from helpwanted.elsewhere.models import CalendarFeed, hash_token

log = logging.getLogger("helpwanted.security")

TOKEN_SALT = "helpwanted.elsewhere.calendar-feed"
MAX_TOKEN_LENGTH = 100  # a real token is 43 characters; anything far longer is not one


def derive_token(nonce: str) -> str:
    digest = salted_hmac(TOKEN_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def feed_url(feed: CalendarFeed) -> str:
    """The full URL to paste into a calendar app, or "" when SECRET_KEY has changed since."""
    token = derive_token(feed.nonce)
    if hash_token(token) != feed.token_hash:
        return ""
    return f"{settings.SITE_URL}{reverse('elsewhere:feed', args=[token])}"


def webcal_url(url: str) -> str:
    """The same URL for Apple Calendar and Outlook's "subscribe" handler."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


def feed_for(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(owner=user).first()


def feed_rotate(*, user: User) -> CalendarFeed:
    """A new secret URL for the seeker (their first, or in place of the old one, which stops)."""
    nonce = secrets.token_urlsafe(32)
    token_hash = hash_token(derive_token(nonce))
    with transaction.atomic():
        updated = CalendarFeed.objects.filter(owner=user).update(nonce=nonce, token_hash=token_hash)
        if not updated:
            try:
                with transaction.atomic():
                    CalendarFeed.objects.create(owner=user, nonce=nonce, token_hash=token_hash)
            except IntegrityError:  # made a moment ago by a second click: replace its token
                CalendarFeed.objects.filter(owner=user).update(nonce=nonce, token_hash=token_hash)
    log.info("calendar feed %s user=%s", "rotated" if updated else "made", user.pk)
    feed = feed_for(user)
    assert feed is not None
    return feed


def feed_revoke(*, user: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(owner=user).delete()
    if deleted:
        log.info("calendar feed revoked user=%s", user.pk)
    return bool(deleted)


def user_for_token(token: str) -> User | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    feed = (
        CalendarFeed.objects.select_related("owner")
        .filter(token_hash=hash_token(token), owner__is_active=True)
        .first()
    )
    return feed.owner if feed else None
