"""People: the seeker's contacts. Same access check, form and actions as the people pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.pagination import PageQuery, paginate
from helpwanted.api.routers.common import locked, responses
from helpwanted.api.schemas import IsoDateTime, PeoplePage, PersonIn, PersonOut, PersonPatch
from helpwanted.api.validation import checked, form_data
from helpwanted.network import actions
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.forms import PersonForm
from helpwanted.network.models import Person, Relationship

router = Router(tags=["people"])

# The API's names for PersonForm's text fields.
FORM_NAMES = {"emails": "emails_text", "phones": "phones_text", "tags": "tags_text"}
API_NAMES = {form: api for api, form in FORM_NAMES.items()}


class PeopleFilters(Schema):
    q: Annotated[str, Field(max_length=100)] = ""
    relationship: Relationship | None = None
    tag: Annotated[str, Field(max_length=60)] = ""
    company: Annotated[str, Field(max_length=200)] = ""
    in_circle: bool | None = None
    archived: bool = False
    updated_since: IsoDateTime | None = None


# The fields read straight off the row (tags, archived and the circle are worked out).
PLAIN = tuple(
    f for f in PersonOut.model_fields if f not in ("tags", "archived", "circle_member_id")
)


def person_out(person: Person) -> dict[str, Any]:
    member = getattr(person, "membership", None)
    return {
        **{f: getattr(person, f) for f in PLAIN},
        "tags": [tag.name for tag in person.tags.all()],
        "archived": person.archived_at is not None,
        "circle_member_id": member.pk if member is not None and member.left_at is None else None,
    }


def _people(request: AuthedRequest) -> QuerySet[Person]:
    return (
        Person.objects.filter(owner=request.user)
        .select_related("membership")
        .prefetch_related("tags")
    )


@router.get("/people", response=responses(s200=PeoplePage), url_name="people")
def people_list(
    request: AuthedRequest, page: PageQuery, filters: Annotated[PeopleFilters, Query()]
) -> dict[str, Any]:
    """Your people, oldest first. Archived people only with `archived=true`."""
    people = _people(request).filter(archived_at__isnull=not filters.archived)
    if q := filters.q.strip():
        people = people.filter(
            Q(name__icontains=q)
            | Q(company__icontains=q)
            | Q(position__icontains=q)
            | Q(tags__name=q.lower())
        ).distinct()
    if filters.relationship:
        people = people.filter(relationship=filters.relationship)
    if tag := filters.tag.strip().lower():
        people = people.filter(tags__name=tag)
    if company := filters.company.strip():
        people = people.filter(company__icontains=company)
    if filters.in_circle is True:
        people = people.filter(membership__isnull=False, membership__left_at__isnull=True)
    elif filters.in_circle is False:
        people = people.filter(Q(membership__isnull=True) | Q(membership__left_at__isnull=False))
    if filters.updated_since:
        people = people.filter(updated_at__gte=filters.updated_since)
    items, cursor = paginate(people, page, resource="people")
    return {"items": [person_out(p) for p in items], "next_cursor": cursor}


def _form(values: dict[str, Any], instance: Person | None = None) -> dict[str, Any]:
    data = form_data({FORM_NAMES.get(k, k): v for k, v in values.items()})
    return checked(PersonForm(data, instance=instance), API_NAMES)


def _fields(cleaned: dict[str, Any], names: set[str]) -> dict[str, Any]:
    fields = {n: cleaned[n] for n in PersonForm.Meta.fields if n in names}
    for api_name in ("emails", "phones"):
        if api_name in names:
            fields[api_name] = cleaned[FORM_NAMES[api_name]]
    return fields


@router.post("/people", response=responses(s201=PersonOut))
def person_create(request: AuthedRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    """Add someone. Whatever you set here is yours: imports will never overwrite it."""
    values = payload.model_dump()
    cleaned = _form(values)
    person = actions.person_create(
        owner=request.user,
        fields=_fields(cleaned, set(values)),
        tags=cleaned["tags_text"],
    )
    return Status(201, person_out(_people(request).get(pk=person.pk)))


@router.get("/people/{int:person_id}", response=responses(s200=PersonOut), url_name="person")
def person_detail(request: AuthedRequest, person_id: int) -> dict[str, Any]:
    person = get_person_for_seeker(request, person_id)
    return person_out(_people(request).get(pk=person.pk))


def _current(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in PersonForm.Meta.fields}
    values.update(emails=person.emails, phones=person.phones)
    values["tags"] = [tag.name for tag in person.tags.all()]
    return values


@router.patch("/people/{int:person_id}", response=responses(s200=PersonOut))
def person_update(request: AuthedRequest, person_id: int, payload: PersonPatch) -> dict[str, Any]:
    """Change the fields you send (others stay as they are); `archived` archives or restores."""
    sent = payload.model_dump(exclude_unset=True)
    archived = sent.pop("archived", None)
    with transaction.atomic():
        person = locked(get_person_for_seeker(request, person_id))
        if sent:
            current = _current(person)
            cleaned = _form({**current, **sent}, instance=person)
            # Like the edit page: only what really changed counts as edited by hand.
            fields = _fields(cleaned, set(sent))
            fields = {k: v for k, v in fields.items() if v != current[k]}
            tags = cleaned["tags_text"] if "tags" in sent else None
            if fields or (tags is not None and tags != current["tags"]):
                actions.person_update(person=person, fields=fields, tags=tags)
        if archived is True and person.archived_at is None:
            actions.person_archive(person=person)
        elif archived is False and person.archived_at is not None:
            actions.person_restore(person=person)
    return person_out(_people(request).get(pk=person.pk))
