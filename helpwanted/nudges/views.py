"""Whom to ask: a ranked list of the seeker's people for one kind of ask, with reasons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks.models import Kind
from helpwanted.nudges import rules, steps
from helpwanted.nudges.selectors import suggestions_for_kind


@login_required
@require_GET
def whom_to_ask(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = Kind.JOB_LEAD
    context = {
        "kinds": Kind.choices,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "suggestions": suggestions_for_kind(request.user, kind=kind),
    }
    return render(request, "nudges/whom.html", context)


@login_required
@require_POST
def step_snooze(request: AuthedRequest) -> HttpResponse:
    """ "Not now" on a next step: hide it for a while. Keys are per owner, so nobody can
    snooze someone else's step."""
    key = request.POST.get("key", "")
    if not rules.valid_key(key):
        return HttpResponseBadRequest("Unknown step.")
    days = rules.snooze_days(key)
    steps.step_snooze(owner=request.user, key=key, days=days)
    what = "suggestion" if key == rules.EARLY_ASK_KEY else "step"
    messages.success(request, f"Done. That {what} will stay away for {days} days.")
    return redirect("home")
