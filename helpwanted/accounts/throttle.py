"""Limits on sign-up and password-reset attempts, per address and per IP (helpwanted/lib/ratelimit).

Each POST counts, valid or not, and whether or not the address has an account: the answer never
tells anyone which addresses are registered.
"""

from django.conf import settings
from django.http import HttpRequest

from helpwanted.accounts.models import normalize_email
from helpwanted.lib.clientip import request_client_ip
from helpwanted.lib.ratelimit import hit


def _wait(request: HttpRequest, scope: str, per_ip: int, per_email: int) -> int:
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    wait = hit(f"{scope}:ip", request_client_ip(request), limit=per_ip, window=window)
    if wait:
        return wait
    email = normalize_email(str(request.POST.get("email", "")))
    if not email:
        return 0
    return hit(f"{scope}:email", email, limit=per_email, window=window)


def signup_wait(request: HttpRequest) -> int:
    """Seconds to wait before this sign-up may go ahead (0: now)."""
    return _wait(request, "signup", settings.SIGNUP_LIMIT_PER_IP, settings.SIGNUP_LIMIT_PER_EMAIL)


def reset_wait(request: HttpRequest) -> int:
    """Seconds to wait before another reset email may be asked for (0: now)."""
    return _wait(request, "reset", settings.RESET_LIMIT_PER_IP, settings.RESET_LIMIT_PER_EMAIL)
