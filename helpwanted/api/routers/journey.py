"""Opportunities and their stages, updates to the circle, and check-ins."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.errors import ApiError
from helpwanted.api.pagination import PageQuery, paginate
from helpwanted.api.routers.common import locked, responses
from helpwanted.api.schemas import (
    CheckInIn,
    CheckInOut,
    CheckInPage,
    IsoDate,
    IsoDateTime,
    OpportunityIn,
    OpportunityOut,
    OpportunityPage,
    OpportunityPatch,
    StageChangeOut,
    StageChangePage,
    StageMoveIn,
    UpdateIn,
    UpdateOut,
    UpdatePage,
)
from helpwanted.api.validation import checked, form_data, owned
from helpwanted.journey import checkins
from helpwanted.journey import opportunities as ops
from helpwanted.journey.checkin_views import CheckInForm
from helpwanted.journey.models import (
    CheckIn,
    Opportunity,
    Reply,
    Stage,
    StageChange,
    Update,
    UpdateKind,
)
from helpwanted.journey.opportunity_views import MoveForm, OpportunityForm
from helpwanted.journey.update_views import UpdateForm
from helpwanted.journey.updates import UpdateError, get_update_for_seeker, update_post
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.models import Person

router = Router()


# --- opportunities -------------------------------------------------------------------------


class OpportunityFilters(Schema):
    stage: Stage | None = None
    company: Annotated[str, Field(max_length=200)] = ""


def opportunity_out(opportunity: Opportunity) -> dict[str, Any]:
    values = {f: getattr(opportunity, f) for f in OpportunityOut.model_fields if f != "helper_ids"}
    values["helper_ids"] = sorted(person.pk for person in opportunity.helpers.all())
    return values


def _opportunities(request: AuthedRequest) -> Any:
    return Opportunity.objects.filter(owner=request.user).prefetch_related(
        Prefetch("helpers", queryset=Person.objects.only("id"))
    )


@router.get(
    "/opportunities",
    response=responses(s200=OpportunityPage),
    url_name="opportunities",
    tags=["opportunities"],
)
def opportunity_list(
    request: AuthedRequest, page: PageQuery, filters: Annotated[OpportunityFilters, Query()]
) -> dict[str, Any]:
    rows = _opportunities(request)
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if company := filters.company.strip():
        rows = rows.filter(company__icontains=company)
    items, cursor = paginate(rows, page, resource="opportunities")
    return {"items": [opportunity_out(o) for o in items], "next_cursor": cursor}


def _opportunity_form(
    request: AuthedRequest, values: dict[str, Any], *, creating: bool
) -> OpportunityForm:
    """OpportunityForm, with the referrer named by id (checked with the people access function)."""
    values = dict(values)
    referrer_id = values.pop("referred_by_id", None)
    referrer = (
        owned(get_person_for_seeker, request, referrer_id, "referred_by_id")
        if referrer_id
        else None
    )
    data = form_data(values)
    if referrer is not None:
        data.update(referred_by=str(referrer.pk), referred_by_name=referrer.name)
    form = OpportunityForm(data, owner=request.user, referrer=referrer, creating=creating)
    checked(form, {"referred_by_name": "referred_by_id"})
    return form


@router.post("/opportunities", response=responses(s201=OpportunityOut), tags=["opportunities"])
def opportunity_create(request: AuthedRequest, payload: OpportunityIn) -> Status[dict[str, Any]]:
    form = _opportunity_form(request, payload.model_dump(), creating=True)
    opportunity = ops.opportunity_create(
        owner=request.user, fields=form.opportunity_fields(), stage=form.cleaned_data["stage"]
    )
    return Status(201, opportunity_out(_opportunities(request).get(pk=opportunity.pk)))


@router.get(
    "/opportunities/{int:opportunity_id}",
    response=responses(s200=OpportunityOut),
    url_name="opportunity",
    tags=["opportunities"],
)
def opportunity_detail(request: AuthedRequest, opportunity_id: int) -> dict[str, Any]:
    opportunity = ops.get_opportunity_for_seeker(request, opportunity_id)
    return opportunity_out(_opportunities(request).get(pk=opportunity.pk))


@router.patch(
    "/opportunities/{int:opportunity_id}",
    response=responses(s200=OpportunityOut),
    tags=["opportunities"],
)
def opportunity_update(
    request: AuthedRequest, opportunity_id: int, payload: OpportunityPatch
) -> dict[str, Any]:
    sent = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        opportunity = locked(ops.get_opportunity_for_seeker(request, opportunity_id))
        current = {f: getattr(opportunity, f) for f in ops.EDITABLE_FIELDS if f != "referred_by"}
        current["referred_by_id"] = opportunity.referred_by_id
        form = _opportunity_form(request, {**current, **sent}, creating=False)
        ops.opportunity_update(opportunity=opportunity, fields=form.opportunity_fields())
    return opportunity_out(_opportunities(request).get(pk=opportunity.pk))


def change_out(change: StageChange) -> dict[str, Any]:
    values = {f: getattr(change, f) for f in StageChangeOut.model_fields}
    values["from_stage"] = change.from_stage or None
    return values


@router.get(
    "/opportunities/{int:opportunity_id}/stages",
    response=responses(s200=StageChangePage),
    url_name="opportunity_stages",
    tags=["opportunities"],
)
def stage_list(request: AuthedRequest, opportunity_id: int, page: PageQuery) -> dict[str, Any]:
    """The opportunity's history: every move, oldest first."""
    opportunity = ops.get_opportunity_for_seeker(request, opportunity_id)
    rows = StageChange.objects.filter(opportunity=opportunity)
    items, cursor = paginate(rows, page, resource=f"stages:{opportunity.pk}")
    return {"items": [change_out(c) for c in items], "next_cursor": cursor}


@router.post(
    "/opportunities/{int:opportunity_id}/stages",
    response=responses(s200=StageChangeOut, s201=StageChangeOut),
    tags=["opportunities"],
)
def stage_move(
    request: AuthedRequest, opportunity_id: int, payload: StageMoveIn
) -> Status[dict[str, Any]]:
    """Move it to a stage (any order: people hear back out of order). 201 with the new entry in
    its history; 200 with the last entry when it is already at that stage (nothing changes)."""
    opportunity = ops.get_opportunity_for_seeker(request, opportunity_id)
    cleaned = checked(MoveForm(form_data(payload.model_dump())))
    change = ops.opportunity_move(
        opportunity=opportunity, stage=cleaned["stage"], note=cleaned["note"]
    )
    if change is not None:
        return Status(201, change_out(change))
    last = StageChange.objects.filter(opportunity=opportunity).order_by("-at", "-id").first()
    if last is None:  # an opportunity always has its first entry; this is only belt and braces
        raise ApiError("conflict", "This opportunity has no history to show.")
    return Status(200, change_out(last))


# --- updates -------------------------------------------------------------------------------


class UpdateFilters(Schema):
    kind: UpdateKind | None = None
    since: IsoDateTime | None = None


def update_out(update: Update) -> dict[str, Any]:
    replies: list[Reply] = (
        update.all_replies  # prefetched for a page (an empty list is no reason to query)
        if hasattr(update, "all_replies")
        else list(update.replies.select_related("member__person").order_by("created_at", "id"))
    )
    return {
        **{f: getattr(update, f) for f in UpdateOut.model_fields if f != "replies"},
        "replies": [
            {
                "id": r.pk,
                "kind": r.kind,
                "reaction": r.reaction,
                "text": r.text,
                "from_name": r.member.person.name,
                "accepted": r.accepted_at is not None,
                "created_at": r.created_at,
            }
            for r in replies
        ],
    }


def _updates(request: AuthedRequest) -> Any:
    replies = Reply.objects.select_related("member__person").order_by("created_at", "id")
    return Update.objects.filter(owner=request.user, deleted_at__isnull=True).prefetch_related(
        Prefetch("replies", queryset=replies, to_attr="all_replies")
    )


@router.get("/updates", response=responses(s200=UpdatePage), url_name="updates", tags=["updates"])
def update_list(
    request: AuthedRequest, page: PageQuery, filters: Annotated[UpdateFilters, Query()]
) -> dict[str, Any]:
    """Your updates to the circle, oldest first, each with the replies it got."""
    rows = _updates(request)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.since:
        rows = rows.filter(created_at__gte=filters.since)
    items, cursor = paginate(rows, page, resource="updates")
    return {"items": [update_out(u) for u in items], "next_cursor": cursor}


@router.post("/updates", response=responses(s201=UpdateOut), tags=["updates"])
def update_create(request: AuthedRequest, payload: UpdateIn) -> Status[dict[str, Any]]:
    """Share an update. Without `audience`, feelings and rejections go to your inner circle and
    the rest to inner circle and supporters. The same words twice in a row are one post."""
    values = payload.model_dump()
    opportunity_id = values.pop("opportunity_id")
    opportunity = (
        owned(ops.get_opportunity_for_seeker, request, opportunity_id, "opportunity_id")
        if opportunity_id
        else None
    )
    cleaned = checked(UpdateForm(form_data(values)))
    try:
        update = update_post(owner=request.user, opportunity=opportunity, **cleaned)
    except UpdateError as error:
        raise ApiError.invalid({"__all__": [str(error)]}) from None
    return Status(201, update_out(update))


@router.get(
    "/updates/{int:update_id}",
    response=responses(s200=UpdateOut),
    url_name="update",
    tags=["updates"],
)
def update_detail(request: AuthedRequest, update_id: int) -> dict[str, Any]:
    return update_out(get_update_for_seeker(request, update_id))


# --- check-ins -----------------------------------------------------------------------------


class CheckInFilters(Schema):
    since: IsoDate | None = None
    until: IsoDate | None = None


def checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {f: getattr(checkin, f) for f in CheckInOut.model_fields}


@router.get(
    "/checkins", response=responses(s200=CheckInPage), url_name="checkins", tags=["check-ins"]
)
def checkin_list(
    request: AuthedRequest, page: PageQuery, filters: Annotated[CheckInFilters, Query()]
) -> dict[str, Any]:
    """Your check-ins (private unless you shared one), oldest first; `since` and `until` are days."""
    rows = CheckIn.objects.filter(owner=request.user)
    if filters.since:
        rows = rows.filter(day__gte=filters.since)
    if filters.until:
        rows = rows.filter(day__lte=filters.until)
    items, cursor = paginate(rows, page, resource="checkins")
    return {"items": [checkin_out(c) for c in items], "next_cursor": cursor}


@router.post("/checkins", response=responses(s200=CheckInOut, s201=CheckInOut), tags=["check-ins"])
def checkin_create(request: AuthedRequest, payload: CheckInIn) -> Status[dict[str, Any]]:
    """Today's check-in, in your timezone: 201 when new, 200 when it edits today's."""
    cleaned = checked(CheckInForm(form_data(payload.model_dump())))
    checkin, created = checkins.checkin_save(
        owner=request.user, day=timezone.localdate(), **cleaned
    )
    return Status(201 if created else 200, checkin_out(checkin))


@router.get(
    "/checkins/{int:checkin_id}",
    response=responses(s200=CheckInOut),
    url_name="checkin",
    tags=["check-ins"],
)
def checkin_detail(request: AuthedRequest, checkin_id: int) -> dict[str, Any]:
    return checkin_out(_checkin_for_seeker(request, checkin_id))


def _checkin_for_seeker(request: AuthedRequest, checkin_id: int) -> CheckIn:
    # The app's pages only ever open today's check-in; this is the one check for opening any.
    return get_object_or_404(CheckIn, pk=checkin_id, owner=request.user)
