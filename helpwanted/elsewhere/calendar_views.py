"""The calendar feed, its secret URL on the account page, interview dates and .ics downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.accounts.models import User
from helpwanted.asks.access import get_recipient_for_seeker
from helpwanted.elsewhere import feeds
from helpwanted.elsewhere.access import get_interview_for_seeker
from helpwanted.elsewhere.calendar import (
    CalEvent,
    _host,
    event_ics,
    feed_ics,
    interview_event,
    offer_event,
)
from helpwanted.elsewhere.forms import InterviewForm
from helpwanted.journey.models import Interview
from helpwanted.journey.opportunities import get_opportunity_for_seeker


def _ics(body: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription: the token in the path is the credential (calendar apps send no cookie)."""
    user = feeds.user_for_token(token)
    if user is None:
        raise Http404("No such calendar.")
    return _ics(feed_ics(user), "helpwanted.ics", download=False)


class FeedActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("rotate", "rotate"), ("revoke", "revoke")])


@login_required
@require_POST
def feed_manage(request: AuthedRequest) -> HttpResponse:
    """Make (or replace) the secret URL, or switch it off. Either way the old URL stops."""
    form = FeedActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the buttons under “Calendar feed”.")
    elif form.cleaned_data["action"] == "rotate":
        had = feeds.feed_for(request.user) is not None
        feeds.feed_rotate(user=request.user)
        messages.success(
            request,
            "Here is your new calendar address. The old one no longer works: paste this one "
            "into your calendar app instead."
            if had
            else "Your calendar address is ready. Paste it into your calendar app.",
        )
    else:
        revoked = feeds.feed_revoke(user=request.user)
        messages.success(
            request,
            "Your calendar feed is off. Calendars subscribed to it stop updating."
            if revoked
            else "Your calendar feed was already off.",
        )
    return redirect(f"{_profile_url()}#calendar-feed")


def _profile_url() -> str:
    from django.urls import reverse

    return reverse("accounts:profile")


def calendar_context(user: User) -> dict[str, object]:
    """What the account page's "Calendar feed" section shows."""
    feed = feeds.feed_for(user)
    url = feeds.feed_url(feed) if feed else ""
    return {"calendar_feed": feed, "calendar_url": url, "webcal_url": feeds.webcal_url(url)}


@login_required
@require_http_methods(["GET", "POST"])
def interview_add(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        interview = form.save(commit=False)
        interview.opportunity = opportunity
        interview.save()
        messages.success(request, f"Added: {interview.get_kind_display().lower()}.")
        return redirect("journey:opportunity", opportunity.pk)
    context = {"form": form, "opportunity": opportunity}
    return render(request, "elsewhere/interview_form.html", context)


@login_required
@require_POST
def interview_delete(
    request: AuthedRequest, opportunity_id: int, interview_id: int
) -> HttpResponse:
    interview = get_interview_for_seeker(request, opportunity_id, interview_id)
    label = interview.get_kind_display().lower()
    Interview.objects.filter(pk=interview.pk).delete()
    messages.success(request, f"Removed the {label}. Subscribed calendars will show it cancelled.")
    return redirect("journey:opportunity", opportunity_id)


def _download(user: User, event: CalEvent) -> HttpResponse:
    return _ics(event_ics(user, event), f"{slugify(event.summary)[:60]}.ics", download=True)


@login_required
@require_GET
def interview_ics(request: AuthedRequest, opportunity_id: int, interview_id: int) -> HttpResponse:
    interview = get_interview_for_seeker(request, opportunity_id, interview_id)
    return _download(request.user, interview_event(interview, _host(), request.user.zoneinfo))


@login_required
@require_GET
def offer_ics(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    recipient = get_recipient_for_seeker(request, recipient_id)
    event = offer_event(recipient, _host(), request.user.zoneinfo)
    if event is None:
        raise Http404("We couldn't read a date in that answer.")
    return _download(request.user, event)
