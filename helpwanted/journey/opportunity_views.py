"""Opportunities: the board, the list, one opportunity's page, and the forms that change them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.accounts.models import User
from helpwanted.elsewhere.savejob import prefill, saved_already
from helpwanted.journey import opportunities as ops
from helpwanted.journey.models import Opportunity, OpportunitySource, Stage
from helpwanted.journey.opportunities import get_opportunity_for_seeker
from helpwanted.lib.ids import parse_id
from helpwanted.lib.undo import offer_undo
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.models import Person
from helpwanted.network.selectors import people_at_company

ROWS_PER_PAGE = 50
ALREADY_SAVED = (
    "You already saved this job. Open it from the note above, or tick “Save it again anyway”."
)
STAGE_LABELS = dict(Stage.choices)


class OpportunityForm(forms.Form):
    company = forms.CharField(
        label="Company",
        max_length=200,
        error_messages={"required": "Enter the company's name."},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    role = forms.CharField(
        label="Role",
        max_length=200,
        error_messages={"required": "Enter the role, for example “Product designer”."},
    )
    link = forms.URLField(
        label="Link to the job (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the full web address of the job, like https://example.com/jobs/123."
        },
    )
    source = forms.ChoiceField(
        label="Where did it come from?",
        choices=OpportunitySource.choices,
        initial=OpportunitySource.OWN_SEARCH,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where it came from."},
    )
    referred_by_name = forms.CharField(
        label="Who referred you? (optional)",
        max_length=200,
        required=False,
        help_text="Start typing their name as it is in your people.",
    )
    stage = forms.ChoiceField(
        label="Where are you with it?",
        choices=Stage.choices,
        initial=Stage.IDEA,
        error_messages={"required": "Choose where you are with it."},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only you see these.",
    )

    def __init__(
        self, *args: Any, owner: User, referrer: Person | None = None, creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.referrer_choices: list[Person] = [referrer] if referrer else []
        self.picked_id: int | None = referrer.pk if referrer else None
        if not creating:
            del self.fields["stage"]  # stages move through the board, with their history

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["referred_by"] = None
        name = " ".join((data.get("referred_by_name") or "").split())
        if not name:
            return data
        person = self._picked(name) or self._named(name)
        if person is None:
            return data
        self.referrer_choices, self.picked_id = [person], person.pk
        if data.get("source") and data["source"] != OpportunitySource.REFERRAL:
            self.add_error(
                "source",
                f"You named {person.name} as who referred you. Choose “A person's referral”, "
                "or clear their name.",
            )
        data["referred_by"] = person
        return data

    def _picked(self, name: str) -> Person | None:
        """The person chosen from the suggestions, if it's still the name in the box."""
        picked = parse_id(self.data.get("referred_by"))
        if picked is None:
            return None
        person = Person.objects.filter(owner=self.owner, pk=picked).first()
        if person and name.casefold() in person.name.casefold():
            return person
        return None

    def _named(self, name: str) -> Person | None:
        """The one person called `name`; otherwise an error that says what to do next."""
        exact = ops.people_named(self.owner, name)
        if len(exact) == 1:
            return exact[0]
        if exact:
            self.referrer_choices = exact
            message = f"You know more than one person called {name}. Pick the one you mean."
        else:
            self.referrer_choices = ops.find_people(self.owner, name)
            message = (
                f"Nobody in your people is called exactly “{name}”. Pick one of these, "
                "or check the spelling."
                if self.referrer_choices
                else f"Nobody in your people is called “{name}”. Check the spelling, or add "
                "them to your people first. Everything else you typed is kept."
            )
        self.add_error("referred_by_name", message)
        return None

    def opportunity_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ops.EDITABLE_FIELDS}


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(max_length=500, required=False)


def _next_step(opportunity: Opportunity) -> HttpResponse | None:
    """A rejection is offered for sharing with the inner circle; an acceptance is "I got the job"."""
    if opportunity.stage == Stage.REJECTED:
        update_url = reverse("journey:update_new")
        return redirect(f"{update_url}?kind=rejection&opportunity={opportunity.pk}")
    if opportunity.stage == Stage.ACCEPTED:
        return redirect("journey:landed", opportunity.pk)
    return None


def _back(request: HttpRequest, default: str) -> str:
    """Where a move came from (the board, the list or the page), if it's one of ours."""
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else default


@login_required
@require_GET
def board(request: AuthedRequest) -> HttpResponse:
    if request.GET.get("view") == "list":
        return opportunity_list(request)
    columns = ops.board_columns(request.user)
    context = {
        "active": [column for column in columns if not column.is_closed],
        "closed": [column for column in columns if column.is_closed],
        "total": sum(column.total for column in columns),
        "stages": Stage.choices,
    }
    return render(request, "journey/opportunities/board.html", context)


def _sort_headers(sort: str, stage: str) -> list[dict[str, str]]:
    headers = []
    for key, label, first in (("company", "Company", "company"), ("stage", "Stage", "stage"),
                              ("date", "Last change", "date")):  # fmt: skip
        current = sort.lstrip("-") == key
        following = ("-" + key if not sort.startswith("-") else key) if current else first
        aria = "none"
        if current:  # "date" is newest first; the others read top to bottom
            descending = sort.startswith("-") != (key == "date")
            aria = "descending" if descending else "ascending"
        query = urlencode({"sort": following, **({"stage": stage} if stage else {})})
        headers.append({"key": key, "label": label, "href": f"?{query}", "aria": aria})
    return headers


@login_required
@require_GET
def opportunity_list(request: AuthedRequest) -> HttpResponse:
    sort = request.GET.get("sort", "date")
    sort = sort if sort in ops.SORTS else "date"
    stage = request.GET.get("stage", "")
    stage = stage if stage in ops.STAGE_ORDER else ""
    rows = ops.opportunity_rows(request.user, sort=sort, stage=stage)
    context = {
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
        "query_string": urlencode({"sort": sort, **({"stage": stage} if stage else {})}),
        "headers": _sort_headers(sort, stage),
        "sort": sort,
        "stage": stage,
        "stage_label": STAGE_LABELS.get(stage, ""),
        "stages": Stage.choices,
    }
    return render(request, "journey/opportunities/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_new(request: AuthedRequest) -> HttpResponse:
    # ?url=&title=&text= come from the bookmarklet or a share (elsewhere.savejob).
    filled = prefill(request.user, request.GET)
    form = OpportunityForm(
        request.POST or None, owner=request.user, creating=True, initial=filled.initial
    )
    if request.method == "POST" and form.is_valid():
        filled.duplicate = saved_already(request.user, form.cleaned_data["link"])
        if filled.duplicate is None or request.POST.get("save_again"):
            opportunity = ops.opportunity_create(
                owner=request.user,
                fields=form.opportunity_fields(),
                stage=form.cleaned_data["stage"],
            )
            messages.success(request, f"Added {opportunity}.")
            return _next_step(opportunity) or redirect("journey:opportunity", opportunity.pk)
        form.add_error("link", ALREADY_SAVED)
    context = {"form": form, "filled": filled}
    return render(request, "journey/opportunities/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    initial = {name: getattr(opportunity, name) for name in ops.EDITABLE_FIELDS}
    initial["referred_by_name"] = opportunity.referred_by.name if opportunity.referred_by else ""
    form = OpportunityForm(
        request.POST or None,
        owner=request.user,
        referrer=opportunity.referred_by,
        creating=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        ops.opportunity_update(opportunity=opportunity, fields=form.opportunity_fields())
        messages.success(request, "Saved your changes.")
        return redirect("journey:opportunity", opportunity.pk)
    context = {"form": form, "opportunity": opportunity}
    return render(request, "journey/opportunities/form.html", context)


@login_required
@require_GET
def opportunity_detail(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    helpers = ops.opportunity_helpers(opportunity)
    query = request.GET.get("q", "")
    found = ops.find_people(request.user, query, exclude=[person.pk for person in helpers])
    context: dict[str, Any] = {"opportunity": opportunity, "query": query, "found": found}
    if request.htmx and request.GET.get("partial") == "search":
        return render(request, "journey/opportunities/detail.html#helper-search", context)
    known = people_at_company(request.user, opportunity.company, limit=10)
    context |= {
        "helpers": helpers,
        "history": ops.opportunity_history(opportunity),
        "known": known,
        "referral_url": ops.referral_ask_url(opportunity, known),
        "stages": Stage.choices,
    }
    return render(request, "journey/opportunities/detail.html", context)


@login_required
@require_POST
def opportunity_move(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    back = _back(request, reverse("journey:opportunity", args=[opportunity.pk]))
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the stages to move it to.")
        return redirect(back)
    stage = form.cleaned_data["stage"]
    change = ops.opportunity_move(
        opportunity=opportunity, stage=stage, note=form.cleaned_data["note"]
    )
    label = STAGE_LABELS[stage].lower()
    if change is None:
        messages.info(request, f"{opportunity} is already at {label}. Nothing changed.")
        return redirect(back)
    messages.success(request, f"Moved {opportunity} to {label}.")
    return _next_step(opportunity) or redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_delete(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    if request.method == "POST":
        ops.opportunity_delete(opportunity=opportunity)
        undo = reverse("journey:opportunity_restore", args=[opportunity.pk])
        offer_undo(request, f"Deleted {opportunity}.", undo)
        return redirect("journey:opportunities")
    return render(request, "journey/opportunities/delete.html", {"opportunity": opportunity})


@login_required
@require_POST
def opportunity_restore(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    """Undo a delete: the opportunity comes back as it was."""
    opportunity = get_opportunity_for_seeker(request, opportunity_id, deleted=True)
    ops.opportunity_restore(opportunity=opportunity)
    messages.success(request, f"{opportunity} is back, with its history.")
    return redirect("journey:opportunity", opportunity.pk)


@login_required
@require_GET
def people_search(request: AuthedRequest) -> HttpResponse:
    """Suggestions for "Who referred you?" as the seeker types (htmx swaps them into the form)."""
    query = request.GET.get("referred_by_name", "")
    context = {"choices": ops.find_people(request.user, query), "picked_id": None, "query": query}
    return render(request, "journey/opportunities/form.html#referrer-choices", context)


@login_required
@require_POST
def helper_add(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    person_id = parse_id(request.POST.get("person"))
    if person_id is not None:
        person = get_person_for_seeker(request, person_id)
        ops.opportunity_helper_add(opportunity=opportunity, person=person)
        messages.success(request, f"Noted that {person.name} helped. Remember to thank them.")
    return redirect(reverse("journey:opportunity", args=[opportunity.pk]) + "#helpers")


@login_required
@require_POST
def helper_remove(request: AuthedRequest, opportunity_id: int, person_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    person = get_person_for_seeker(request, person_id)
    ops.opportunity_helper_remove(opportunity=opportunity, person=person)
    undo = reverse("journey:opportunity_helper_restore", args=[opportunity.pk, person.pk])
    offer_undo(request, f"Took {person.name} off the people who helped.", undo)
    return redirect(reverse("journey:opportunity", args=[opportunity.pk]) + "#helpers")


@login_required
@require_POST
def helper_restore(request: AuthedRequest, opportunity_id: int, person_id: int) -> HttpResponse:
    """Undo taking someone off the people who helped."""
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    person = get_person_for_seeker(request, person_id)
    ops.opportunity_helper_add(opportunity=opportunity, person=person)
    messages.success(request, f"{person.name} is back among the people who helped.")
    return redirect(reverse("journey:opportunity", args=[opportunity.pk]) + "#helpers")
