"""Asks and their recipients. The API writes drafts; sending stays a press of Send in the app,
where the seeker sees who gets an email and who is to be asked in person."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import transaction
from ninja import Query, Router, Schema
from ninja.responses import Status

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.errors import ApiError
from helpwanted.api.pagination import PageQuery, paginate
from helpwanted.api.routers.common import locked, responses
from helpwanted.api.schemas import (
    AskIn,
    AskOut,
    AskPage,
    AskPatch,
    RecipientIn,
    RecipientOut,
    RecipientPage,
    RecipientPatch,
)
from helpwanted.api.validation import checked, form_data, owned
from helpwanted.asks import actions
from helpwanted.asks.access import get_ask_for_seeker, get_recipient_for_seeker
from helpwanted.asks.forms import AskForm
from helpwanted.asks.models import Ask, Kind, Recipient
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.models import Person

router = Router(tags=["asks"])
ASK_FIELDS = ("kind", "request", "why", "needed_by", "target_id", "follow_up_days")


class AskFilters(Schema):
    state: Literal["draft", "open", "closed"] | None = None
    kind: Kind | None = None
    target_id: int | None = None


def ask_out(ask: Ask) -> dict[str, Any]:
    return {
        **{f: getattr(ask, f) for f in AskOut.model_fields if f != "is_draft"},
        "is_draft": ask.is_draft,
    }


def recipient_out(recipient: Recipient) -> dict[str, Any]:
    values = {f: getattr(recipient, f, None) for f in RecipientOut.model_fields}
    values["person_name"] = recipient.person.name
    values["led_to"] = recipient.led_to or None
    return values


@router.get("/asks", response=responses(s200=AskPage), url_name="asks")
def ask_list(
    request: AuthedRequest, page: PageQuery, filters: Annotated[AskFilters, Query()]
) -> dict[str, Any]:
    """Your asks, oldest first. `state`: draft (not sent), open (sent, not closed), closed."""
    asks = Ask.objects.filter(owner=request.user)
    if filters.state == "draft":
        asks = asks.filter(sent_at__isnull=True, closed_at__isnull=True)
    elif filters.state == "open":
        asks = asks.filter(sent_at__isnull=False, closed_at__isnull=True)
    elif filters.state == "closed":
        asks = asks.filter(closed_at__isnull=False)
    if filters.kind:
        asks = asks.filter(kind=filters.kind)
    if filters.target_id:
        asks = asks.filter(target_id=filters.target_id)
    items, cursor = paginate(asks, page, resource="asks")
    return {"items": [ask_out(a) for a in items], "next_cursor": cursor}


def _ask_form(request: AuthedRequest, values: dict[str, Any], ask: Ask | None = None) -> dict:
    data = form_data({("target" if k == "target_id" else k): v for k, v in values.items()})
    form = AskForm(data, instance=ask, owner=request.user)
    return checked(form, {"target": "target_id"})


@router.post("/asks", response=responses(s201=AskOut))
def ask_create(request: AuthedRequest, payload: AskIn) -> Status[dict[str, Any]]:
    """A draft ask, with the people it is for (each checked, as in the composer)."""
    values = payload.model_dump()
    person_ids = list(dict.fromkeys(values.pop("person_ids")))
    cleaned = _ask_form(request, values)
    people = list(Person.objects.filter(owner=request.user, pk__in=person_ids).order_by("name"))
    if len(people) != len(person_ids):
        raise ApiError.invalid({"person_ids": ["You can only ask people from your own list."]})
    try:
        ask = actions.ask_create(owner=request.user, fields=cleaned, people=people)
    except actions.AskError as error:
        raise ApiError.invalid({"person_ids": [str(error)]}) from None
    return Status(201, ask_out(ask))


@router.get("/asks/{int:ask_id}", response=responses(s200=AskOut), url_name="ask")
def ask_detail(request: AuthedRequest, ask_id: int) -> dict[str, Any]:
    return ask_out(get_ask_for_seeker(request, ask_id))


@router.patch("/asks/{int:ask_id}", response=responses(s200=AskOut))
def ask_update(request: AuthedRequest, ask_id: int, payload: AskPatch) -> dict[str, Any]:
    """Change what you send; the rest stays. The same rules as editing it in the app."""
    sent = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        ask = locked(get_ask_for_seeker(request, ask_id))
        current = {f: getattr(ask, f) for f in ASK_FIELDS}
        cleaned = _ask_form(request, {**current, **sent}, ask)
        actions.ask_update(ask=ask, fields=cleaned)
    return ask_out(ask)


@router.get(
    "/asks/{int:ask_id}/recipients",
    response=responses(s200=RecipientPage),
    url_name="ask_recipients",
)
def recipient_list(request: AuthedRequest, ask_id: int, page: PageQuery) -> dict[str, Any]:
    ask = get_ask_for_seeker(request, ask_id)
    rows = Recipient.objects.filter(ask=ask).select_related("person")
    items, cursor = paginate(rows, page, resource=f"recipients:{ask.pk}")
    return {"items": [recipient_out(r) for r in items], "next_cursor": cursor}


@router.post("/asks/{int:ask_id}/recipients", response=responses(s201=RecipientOut))
def recipient_create(
    request: AuthedRequest, ask_id: int, payload: RecipientIn
) -> Status[dict[str, Any]]:
    """Add one of your people to the ask, as a draft (never sent from here)."""
    with transaction.atomic():
        ask = locked(get_ask_for_seeker(request, ask_id))
        person = owned(get_person_for_seeker, request, payload.person_id, "person_id")
        try:
            recipient = actions.recipient_add(
                ask=ask, person=person, personal_line=payload.personal_line
            )
        except actions.AskError as error:
            raise ApiError.invalid({"person_id": [str(error)]}) from None
    return Status(201, recipient_out(recipient))


@router.get(
    "/recipients/{int:recipient_id}", response=responses(s200=RecipientOut), url_name="recipient"
)
def recipient_detail(request: AuthedRequest, recipient_id: int) -> dict[str, Any]:
    return recipient_out(get_recipient_for_seeker(request, recipient_id))


NOT_A_DRAFT = "This ask has already gone to them, so it stays on the record as it was sent."


@router.patch("/recipients/{int:recipient_id}", response=responses(s200=RecipientOut))
def recipient_update(
    request: AuthedRequest, recipient_id: int, payload: RecipientPatch
) -> dict[str, Any]:
    """A draft recipient's personal line, and whether you'll ask by email or in person."""
    with transaction.atomic():
        recipient = get_recipient_for_seeker(request, recipient_id)
        row = locked(recipient)
        if row.status != Recipient.Status.DRAFT:
            raise ApiError("conflict", NOT_A_DRAFT)
        line = row.personal_line if payload.personal_line is None else payload.personal_line
        try:
            actions.recipient_update(
                recipient=row, personal_line=line, channel=payload.channel or row.channel
            )
        except actions.AskError as error:
            raise ApiError.invalid({"channel": [str(error)]}) from None
    return recipient_out(row)


@router.delete("/recipients/{int:recipient_id}", response={204: None, **responses()})
def recipient_delete(request: AuthedRequest, recipient_id: int) -> Status[None]:
    """Take a draft recipient off the ask. Someone already asked stays on the record (409)."""
    recipient = get_recipient_for_seeker(request, recipient_id)
    try:
        actions.recipient_remove(recipient=recipient)
    except actions.AskError as error:
        raise ApiError("conflict", str(error)) from None
    return Status(204, None)
