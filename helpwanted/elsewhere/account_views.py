"""Delete my account: re-enter the password, then everything goes, then a goodbye."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpwanted.accounts.http import AuthedRequest
from helpwanted.elsewhere.actions import user_delete
from helpwanted.elsewhere.forms import DeleteAccountForm

GOODBYE_SESSION_KEY = "helpwanted:goodbye"


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthedRequest) -> HttpResponse:
    """Re-enter the password, then everything the seeker owns goes, at once."""
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        request.session[GOODBYE_SESSION_KEY] = True
        return redirect("elsewhere:goodbye")
    return render(request, "elsewhere/delete.html", {"form": form})


@require_GET
def goodbye(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated or not request.session.pop(GOODBYE_SESSION_KEY, False):
        return redirect("landing")
    return render(request, "elsewhere/goodbye.html")
