from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control


class TimezoneMiddleware:
    """Show every date in the signed-in seeker's own timezone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zoneinfo)
        else:
            timezone.deactivate()
        return self.get_response(request)


# Pages reached through a secret link: the helper's pages, unsubscribe and pause links, password
# reset. They are private even when nobody is logged in.
PRIVATE_PREFIXES = (
    "/h/",
    "/helper/",
    "/u/",
    "/account/reset/",
    "/account/goodbye/",
    "/journey/digest/",
    "/journey/checkins/reminder/off/",
)


def is_private(request: HttpRequest) -> bool:
    from helpwanted.circle.access import HELPER_SESSION_KEY

    if request.path.startswith(PRIVATE_PREFIXES):
        return True
    session = getattr(request, "session", None)
    if session is not None and session.get(HELPER_SESSION_KEY):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateCacheMiddleware:
    """`Cache-Control: no-store, private` on every page that holds a person's search, feelings or
    helpers: a shared computer's browser cache, or a proxy, keeps none of it. Public pages (the
    landing page, log in, sign up, static files) keep their normal caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request):
            patch_cache_control(response, no_store=True, private=True)
        return response
