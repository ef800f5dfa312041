"""Pages around the API: the token page on the account, the API's index, reference and 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.errors import error_body
from helpwanted.api.forms import TokenForm
from helpwanted.api.models import PersonalAccessToken
from helpwanted.api.reference import reference
from helpwanted.api.tokens import get_token_for_seeker, token_create
from helpwanted.api.tokens import token_revoke as revoke


def _page(request: AuthedRequest, form: TokenForm, **extra: object) -> HttpResponse:
    tokens = PersonalAccessToken.objects.filter(owner=request.user, revoked_at__isnull=True)
    context = {
        "form": form,
        "tokens": tokens,
        "docs_url": request.build_absolute_uri(reverse("api:docs")),
        "api_url": request.build_absolute_uri(reverse("api:v1:api-root")),
        **extra,
    }
    # The secret is in this page's body, never its URL, so the site's same-origin referrer
    # policy is enough (no-referrer here would make the browser send "Origin: null" on the
    # page's own forms, which CSRF protection rightly refuses).
    return render(request, "api/tokens.html", context, status=201 if "secret" in extra else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: AuthedRequest) -> HttpResponse:
    """List, and make, personal access tokens. A new token's secret is shown on this response
    only: it is never stored, never put in a session or a redirect."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_in = form.expires_in()
        token, secret = token_create(
            owner=request.user,
            name=form.cleaned_data["name"],
            can_write=form.cleaned_data["access"] == "write",
            expires_at=timezone.now() + expires_in if expires_in else None,
        )
        return _page(request, TokenForm(), secret=secret, new_token=token)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = get_token_for_seeker(request, token_id)
    if revoke(token=token):
        messages.success(request, f"“{token.name}” is revoked. Anything using it stops at once.")
    return redirect("api:tokens")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/api/v1/: where to start, as JSON."""
    return JsonResponse(
        {
            "name": "helpwanted API",
            "version": "1",
            "docs": request.build_absolute_uri(reverse("api:docs")),
            "openapi": request.build_absolute_uri(reverse("api:v1:openapi-json")),
        }
    )


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """The API reference, rendered here from the OpenAPI document: no script, no CDN."""
    return render(request, "api/docs.html", {"ref": reference()})


@csrf_exempt  # a JSON 404 for any method; it reads and writes nothing, so no CSRF to check
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return JsonResponse(
        error_body("not_found", "There's nothing at this address in the API. See /api/v1/docs."),
        status=404,
    )
