"""The one-click "stop club emails" link in every club email (RFC 8058). Signed, one membership."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from helpwanted.clubs import emails


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token
@require_http_methods(["GET", "POST"])
def emails_off(request: HttpRequest, value: str) -> HttpResponse:
    membership = emails.membership_from_value(value)
    if membership is None:
        return render(request, "clubs/emails_off_dead.html", status=404)
    context = {"club": membership.club}
    if request.method == "POST":
        emails.club_emails_off(membership=membership)
        return render(request, "clubs/emails_off_done.html", context)
    return render(request, "clubs/emails_off.html", context)
