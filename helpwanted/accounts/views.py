from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from helpwanted.accounts.actions import user_signup
from helpwanted.accounts.forms import (
    OutboxPasswordResetForm,
    ProfileForm,
    SignupForm,
)
from helpwanted.accounts.http import AuthedRequest
from helpwanted.accounts.throttle import reset_wait, signup_wait
from helpwanted.lib.ratelimit import wait_words


def _throttled(request: HttpRequest, template: str, form: object, wait: int) -> HttpResponse:
    """The same page, calm, with when to try again (HTTP 429 and Retry-After)."""
    context = {"form": form, "throttled": wait_words(wait)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None, initial={"email": request.session.get("signup_email")})
    if request.method == "POST" and (wait := signup_wait(request)):
        kept = {key: request.POST.get(key, "") for key in ("display_name", "email", "timezone")}
        return _throttled(request, "accounts/signup.html", SignupForm(initial=kept), wait)
    if request.method == "POST" and form.is_valid():
        try:
            fields = dict(form.cleaned_data)
            purpose = fields.pop("purpose", "seek")
            user = user_signup(**fields)
        except IntegrityError:  # the same address signed up a moment ago
            form.add_error("email", SignupForm.TAKEN)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome. You're not doing this alone any more.")
            # Back to where they were going (a club invitation), or to start their club.
            if next_url := _safe_next(request):
                return redirect(next_url)
            return redirect("clubs:new" if purpose == "club" else "home")
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/signup.html", context)


def _safe_next(request: HttpRequest) -> str:
    """The `next` this site may send someone to after signing up, or ""."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if ok else ""


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address has an account; limited per address and IP."""
    form = OutboxPasswordResetForm(request.POST or None)
    if request.method == "POST" and (wait := reset_wait(request)):
        kept = OutboxPasswordResetForm(initial={"email": request.POST.get("email", "")})
        return _throttled(request, "accounts/password_reset.html", kept, wait)
    if request.method == "POST" and form.is_valid():
        form.save(request=request)
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved. Dates now show in your timezone.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
