"""Whom to ask: a ranked list of the seeker's people for one kind of ask, with reasons."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpwanted.asks.models import Kind
from helpwanted.nudges.selectors import suggestions_for_kind


@login_required
@require_GET
def whom_to_ask(request: HttpRequest) -> HttpResponse:
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
