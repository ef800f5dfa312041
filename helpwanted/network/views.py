from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.circle.forms import CircleAddForm
from helpwanted.lib.undo import offer_undo
from helpwanted.network import actions
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.brainstorm import BY_SLUG, PROMPTS, next_prompt
from helpwanted.network.duplicates import same_name_people
from helpwanted.network.forms import SORTS, BrainstormForm, PeopleFilterForm, PersonForm
from helpwanted.network.models import Person
from helpwanted.network.selectors import targets_for_person

PAGE_SIZE = 50


def _filtered_people(request: AuthedRequest, form: PeopleFilterForm) -> QuerySet[Person]:
    people = Person.objects.filter(owner=request.user).select_related("membership")
    data = form.cleaned_data if form.is_valid() else {}
    people = people.filter(archived_at__isnull=not data.get("archived"))
    if q := data.get("q", "").strip():
        people = people.filter(
            Q(name__icontains=q)
            | Q(company__icontains=q)
            | Q(position__icontains=q)
            | Q(tags__name=q.lower())
        ).distinct()
    if data.get("relationship"):
        people = people.filter(relationship=data["relationship"])
    if tag := data.get("tag", "").strip().lower():
        people = people.filter(tags__name=tag)
    if data.get("source"):
        # Sources is a short JSON list; a text match is portable across SQLite and PostgreSQL.
        people = people.filter(sources__icontains=f'"{data["source"]}"')
    if data.get("circle") == "in":
        people = people.filter(membership__isnull=False, membership__left_at__isnull=True)
    elif data.get("circle") == "out":
        people = people.filter(Q(membership__isnull=True) | Q(membership__left_at__isnull=False))
    return people.order_by(*SORTS.get(data.get("sort") or "name", SORTS["name"])[1])


@login_required
def people_list(request: AuthedRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET)
    page = Paginator(_filtered_people(request, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "total_people": Person.objects.filter(owner=request.user).count(),
    }
    template = "network/people_list.html#results" if request.htmx else "network/people_list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = actions.person_create(
            owner=request.user, fields=_person_fields(form), tags=form.cleaned_data["tags_text"]
        )
        messages.success(request, f"{person.name} is in your people now.")
        return redirect("network:person", person.pk)
    return render(request, "network/person_form.html", {"form": form})


def _person_fields(form: PersonForm) -> dict:
    fields = {name: form.cleaned_data[name] for name in PersonForm.Meta.fields}
    fields["emails"] = form.cleaned_data["emails_text"]
    fields["phones"] = form.cleaned_data["phones_text"]
    return fields


@login_required
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_seeker(request, person_id)
    membership = getattr(person, "membership", None)
    context = {
        "person": person,
        "membership": membership,
        "circle_form": CircleAddForm(instance=membership),
        "targets": targets_for_person(person),
        "suggested_by": person.suggested_by,
        "same_name": same_name_people(person),
    }
    return render(request, "network/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_seeker(request, person_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changed = set(form.changed_data)
        fields = {
            k: v for k, v in _person_fields(form).items() if k in changed or f"{k}_text" in changed
        }
        tags = form.cleaned_data["tags_text"] if "tags_text" in changed else None
        actions.person_update(person=person, fields=fields, tags=tags)
        messages.success(request, "Saved. Future imports won't overwrite what you changed.")
        return redirect("network:person", person.pk)
    return render(request, "network/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_archive(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_seeker(request, person_id)
    actions.person_archive(person=person)
    offer_undo(
        request, f"{person.name} is archived.", reverse("network:person_restore", args=[person.pk])
    )
    return redirect("network:people")


@login_required
@require_POST
def person_restore(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_seeker(request, person_id)
    actions.person_restore(person=person)
    messages.success(request, f"{person.name} is back in your people.")
    return redirect("network:person", person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_seeker(request, person_id)
    if request.method == "POST":
        actions.person_delete(person=person)
        messages.success(request, f"{person.name} is deleted.")
        return redirect("network:people")
    return render(request, "network/person_delete.html", {"person": person})


@login_required
@require_http_methods(["GET", "POST"])
def brainstorm(request: AuthedRequest) -> HttpResponse:
    prompt = BY_SLUG.get(request.GET.get("prompt", ""), PROMPTS[0])
    form = BrainstormForm(request.POST or None, default_relationship=prompt.relationship)
    if request.method == "POST" and form.is_valid():
        added = actions.people_brainstorm(
            owner=request.user, people=form.people(), prompt=prompt.title
        )
        if added:
            names = ", ".join(p.name for p in added)
            messages.success(request, f"Added {names}. Who else comes to mind?")
        following = next_prompt(prompt.slug) if request.POST.get("next") else prompt
        if following is None:
            return redirect("network:people")
        return redirect(f"{reverse('network:brainstorm')}?prompt={following.slug}")
    context = {
        "form": form,
        "prompt": prompt,
        "prompts": PROMPTS,
        "next_prompt": next_prompt(prompt.slug),
    }
    return render(request, "network/brainstorm.html", context)
