"""Targets: the companies a seeker would like to work at, and "who do I know there?"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpwanted.accounts.http import AuthedRequest
from helpwanted.network.access import get_target_for_seeker
from helpwanted.network.selectors import people_at_company, target_summaries
from helpwanted.network.targets import target_add, target_remove
from helpwanted.nudges.selectors import suggestions_for_target

PEOPLE_PER_PAGE = 50


class TargetForm(forms.Form):
    company = forms.CharField(
        label="Company",
        max_length=200,
        error_messages={"required": "Enter the company's name."},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    why = forms.CharField(
        label="Why this company? (optional)",
        max_length=300,
        required=False,
        help_text="A line for yourself. It helps when you ask someone for an introduction.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: AuthedRequest) -> HttpResponse:
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = target_add(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added {target.company}. Here's who you know there.")
            return redirect("network:target", target.id)
    context = {"form": form, "summaries": target_summaries(request.user)}
    return render(request, "network/targets/list.html", context)


@login_required
@require_GET
def target(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = get_target_for_seeker(request, target_id)
    people = people_at_company(request.user, target.company)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "target": target,
        "page": page,
        "people_count": len(people),
        # Whom to ask (nudges): the people to ask here, ranked for a referral, with reasons.
        "suggestions": suggestions_for_target(target, owner=request.user) if people else None,
    }
    return render(request, "network/targets/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: AuthedRequest, target_id: int) -> HttpResponse:
    target = get_target_for_seeker(request, target_id)
    if request.method == "POST":
        target_remove(target=target)
        messages.success(request, f"Removed {target.company} from your targets.")
        return redirect("network:targets")
    return render(request, "network/targets/confirm_delete.html", {"target": target})
