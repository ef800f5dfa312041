"""Pages that belong to no one app: the landing page, home, health and error pages."""

import sys

from django.contrib.auth.decorators import login_required
from django.db import Error, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpwanted.accounts.http import AuthedRequest
from helpwanted.lib.outage import RETRY_AFTER_SECONDS, is_outage, outage_log, outage_response


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "landing.html")


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    from helpwanted.clubs.selectors import home_cards
    from helpwanted.journey.home import home_summary

    context = home_summary(request.user)
    context["club_cards"] = home_cards(request.user, now=timezone.now())
    return render(request, "home.html", context)


HEALTH_STATEMENT_TIMEOUT_MS = 2000


def _database_answers() -> None:
    """SELECT 1, cut short after 2 s on PostgreSQL. (SQLite answers it without a lock; a
    transaction there would take the write lock, IMMEDIATE mode.)"""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL statement_timeout = {HEALTH_STATEMENT_TIMEOUT_MS}")
        cursor.execute("SELECT 1")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 {"status": "ok"} when the database answers, else 503."""
    try:
        _database_answers()
    except Error as exc:  # OperationalError, InterfaceError and the rest
        outage_log.error("Database", exc)
        body = {"status": "unavailable", "database": type(exc).__name__}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # An API address no route matches (a line break in it, say) still gets the API's JSON shape.
    if request.path.startswith("/api/v1/"):
        from helpwanted.api.views import not_found as api_not_found

        return api_not_found(request, rest="")
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403.html", {"csrf": True}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception: an outage raised in a middleware (a
    # session saved on the way out) gets the calm 503 page too.
    exc = sys.exception()
    if is_outage(exc):
        return outage_response(request, exc)  # type: ignore[arg-type]
    # No context processors: the page must render even when the database is down.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: it calls this with those three arguments."""
    return render(request, "errors/429.html", status=429)
