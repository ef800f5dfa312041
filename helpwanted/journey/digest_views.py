"""Digest links from the email: one-click unsubscribe (RFC 8058) and "pause for 4 weeks".

Both are reached from signed links, so they need no account. A GET only shows a page (mail
scanners follow links); changes happen on POST.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.journey import digest


def _dead(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "journey/digest/link_dead.html", status=404))


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, value: str) -> HttpResponse:
    helper = digest.helper_from_value(value, "u")
    if helper is None:
        return _dead(request)
    if request.method == "POST":
        digest.digest_unsubscribe(helper=helper)
        return _private(render(request, "journey/digest/unsubscribed.html", {"value": value}))
    context = {"helper": helper, "pause_url": digest.pause_url(helper.pk)}
    return _private(render(request, "journey/digest/unsubscribe.html", context))


@require_POST
def digest_resubscribe(request: HttpRequest, value: str) -> HttpResponse:
    helper = digest.helper_from_value(value, "u")
    if helper is None:
        return _dead(request)
    digest.digest_resubscribe(helper=helper)
    return _private(render(request, "journey/digest/resubscribed.html"))


@require_http_methods(["GET", "POST"])
def digest_pause(request: HttpRequest, value: str) -> HttpResponse:
    helper = digest.helper_from_value(value, "p")
    if helper is None:
        return _dead(request)
    if request.method == "POST":
        until = digest.digest_pause(helper=helper)
        context = {"until": until, "value": value}
        return _private(render(request, "journey/digest/paused.html", context))
    return _private(render(request, "journey/digest/pause.html", {"helper": helper}))


@require_POST
def digest_resume(request: HttpRequest, value: str) -> HttpResponse:
    helper = digest.helper_from_value(value, "p")
    if helper is None:
        return _dead(request)
    digest.digest_resume(helper=helper)
    return _private(render(request, "journey/digest/resubscribed.html"))
