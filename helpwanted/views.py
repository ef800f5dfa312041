"""Pages that belong to no one app: the landing page, home, health and error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET

from helpwanted.accounts.http import AuthedRequest


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "landing.html")


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    from helpwanted.journey.home import home_summary

    return render(request, "home.html", home_summary(request.user))


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403.html", {"csrf": True}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the page must render even when the database is down.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: it calls this with those three arguments."""
    return render(request, "errors/429.html", status=429)
