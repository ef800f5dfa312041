"""When the database (or Redis) is down: a calm 503 page instead of a traceback or the 500 page,
and one log line a minute instead of one per request.

`DatabaseOutageMiddleware` catches the outage escaping a view; `helpwanted.views.server_error`
catches it escaping a middleware (a session saved on the way out). Both answer `outage_response`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _REDIS_DOWN: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis is installed with helpwanted
    _REDIS_DOWN = ()

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, *_REDIS_DOWN)
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger("helpwanted.outage")


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


class ThrottledLog:
    """Log at most once per `every` seconds; the next line says how many were held back."""

    def __init__(
        self, log: logging.Logger, every: float = 60, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.log, self.every, self.clock = log, every, clock
        self.last: float | None = None
        self.held_back = 0
        self.lock = threading.Lock()

    def error(self, what: str, exc: BaseException) -> bool:
        """Log `what` failed with `exc`, unless a line went out within the last minute."""
        with self.lock:
            now = self.clock()
            if self.last is not None and now - self.last < self.every:
                self.held_back += 1
                return False
            held_back, self.held_back, self.last = self.held_back, 0, now
        self.log.error(
            "%s unavailable: %s: %s (%d more since the last line; next line in %d s at most)",
            what,
            type(exc).__name__,
            str(exc).strip().splitlines()[0] if str(exc).strip() else "",
            held_back,
            self.every,
        )
        return True


outage_log = ThrottledLog(logger)


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The "we'll be back shortly" page: 503 with Retry-After, rendered without the database."""
    outage_log.error("Database" if not isinstance(exc, _REDIS_DOWN) else "Redis", exc)
    page = loader.get_template("errors/503.html").render()
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx response once more per request; the throttled line above is enough.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return outage_response(request, exception)
        return None
