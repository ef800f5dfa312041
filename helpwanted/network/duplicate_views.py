"""Possible duplicates: review them, merge two people into one, or say they are not the same."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.duplicates import (
    duplicate_pairs,
    merge_plan,
    pair_dismiss,
    person_merge,
)
from helpwanted.network.models import Person


def _two(request: AuthedRequest, first_id: int, second_id: int) -> tuple[Person, Person]:
    if first_id == second_id:
        raise Http404
    return get_person_for_seeker(request, first_id), get_person_for_seeker(request, second_id)


@login_required
@require_GET
def duplicates(request: AuthedRequest) -> HttpResponse:
    pairs, total = duplicate_pairs(request.user)
    return render(request, "network/duplicates.html", {"pairs": pairs, "total": total})


@login_required
@require_http_methods(["GET", "POST"])
def duplicates_merge(request: AuthedRequest, keep_id: int, drop_id: int) -> HttpResponse:
    keep, drop = _two(request, keep_id, drop_id)
    if request.method == "POST":
        kept = person_merge(keep=keep, drop=drop)
        messages.success(
            request, f"{kept.name} is one person now, with everything from both records."
        )
        return redirect("network:duplicates")
    return render(request, "network/duplicate_merge.html", {"plan": merge_plan(keep, drop)})


@login_required
@require_POST
def duplicates_not_same(request: AuthedRequest, first_id: int, second_id: int) -> HttpResponse:
    first, second = _two(request, first_id, second_id)
    pair_dismiss(first=first, second=second)
    messages.success(
        request, f"Got it: two different people called {first.name}. We won't ask again."
    )
    return redirect("network:duplicates")
