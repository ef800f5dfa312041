"""Who is calling: a personal access token, or the app itself reading with its session.

- `Authorization: Bearer hw_pat_…` is the way in. A read-only token may use GET and HEAD only
  (403 read_only_token otherwise).
- A logged-in session may GET, when the browser says the request came from our own pages
  (Sec-Fetch-Site same-origin or none, or no such header). It never writes: a write needs a
  token, so no API view needs a CSRF token, and a forged cross-site form gets a 401.
- Each caller is rate limited in the cache (helpwanted/lib/ratelimit.py; Redis when set).

Whoever it is, `request.user` becomes the seeker and their timezone is switched on, so the
views call the same access functions (get_person_for_seeker, …) as the pages do.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from helpwanted.accounts.models import User
from helpwanted.api.errors import ApiError, unauthenticated
from helpwanted.api.models import PersonalAccessToken
from helpwanted.api.tokens import token_find, token_touch
from helpwanted.lib import ratelimit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SAME_ORIGIN = ("same-origin", "none", "")


class Caller:
    """What request.auth holds: the seeker, and the token when one was used."""

    def __init__(self, user: User, token: PersonalAccessToken | None) -> None:
        self.user = user
        self.token = token

    @property
    def can_write(self) -> bool:
        return self.token is not None and self.token.can_write


def _limit(request: HttpRequest, key: str) -> None:
    wait = ratelimit.hit(
        "api", key, limit=settings.API_RATE_LIMIT, window=settings.API_RATE_WINDOW_SECONDS
    )
    if wait:
        raise ApiError(
            "rate_limited",
            f"Too many requests. Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )


def _as(request: HttpRequest, user: User, token: PersonalAccessToken | None) -> Caller:
    request.user = user
    timezone.activate(user.zoneinfo)
    return Caller(user, token)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, secret = header.partition(" ")
            if scheme.lower() != "bearer":
                raise unauthenticated()
            return self.authenticate(request, secret.strip())
        return self._session(request)

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = token_find(token)
        if found is None:
            raise unauthenticated()
        _limit(request, f"token:{found.pk}")
        if request.method not in SAFE_METHODS and not found.can_write:
            raise ApiError(
                "read_only_token",
                "This token can only read. Make a read-and-write token on your account page "
                "to change things.",
            )
        token_touch(found)
        return _as(request, found.owner, found)

    def _session(self, request: HttpRequest) -> Caller:
        user = getattr(request, "user", None)
        site = request.headers.get("Sec-Fetch-Site", "")
        if (
            not isinstance(user, User)
            or not user.is_active
            or request.method not in SAFE_METHODS
            or site not in SAME_ORIGIN
        ):
            raise unauthenticated()
        _limit(request, f"user:{user.pk}")
        return _as(request, user, None)
