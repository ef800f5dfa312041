"""Fixed-window rate limits in Django's cache (Redis when REDIS_URL is set, so every app server
counts together).

`hit("reset:email", address, limit=3, window=3600)` counts one attempt and answers how many
seconds to wait (0: go ahead). The count is atomic: `cache.add` creates the window's counter once
and `cache.incr` bumps it, so two requests at once never both see the same count. Keys are
hashed, so no email address or IP is stored in the cache in the clear.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache


def _key(scope: str, value: str, window: int, start: int) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{start}:{digest}"


def hit(scope: str, value: str, *, limit: int, window: int, now: float | None = None) -> int:
    """Count one attempt; return 0 when it is allowed, else the seconds until the next window."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = _key(scope, value, window, start)
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr: this is the first attempt
        cache.add(key, 1, timeout=window + 60)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil(start + window - now))


def wait_words(seconds: int) -> str:
    """ "about 25 minutes", "about a minute": a calm, rounded-up wait."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes == 1:
        return "about a minute"
    if minutes < 60:
        return f"about {minutes} minutes"
    hours = math.ceil(minutes / 60)
    return "about an hour" if hours == 1 else f"about {hours} hours"
