"""Targets (the companies you'd like to work at) and your circle (read only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Router
from ninja.responses import Status

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.pagination import PageQuery, paginate
from helpwanted.api.routers.common import responses
from helpwanted.api.schemas import MemberOut, MemberPage, TargetIn, TargetOut, TargetPage
from helpwanted.api.validation import checked, form_data, from_validation_error
from helpwanted.circle.access import get_member_for_seeker
from helpwanted.circle.models import CircleMember
from helpwanted.network.access import get_target_for_seeker
from helpwanted.network.models import Target
from helpwanted.network.target_views import TargetForm
from helpwanted.network.targets import target_add

router = Router()


def target_out(target: Target) -> dict[str, Any]:
    return {f: getattr(target, f) for f in TargetOut.model_fields}


@router.get("/targets", response=responses(s200=TargetPage), url_name="targets", tags=["targets"])
def target_list(request: AuthedRequest, page: PageQuery) -> dict[str, Any]:
    items, cursor = paginate(Target.objects.filter(owner=request.user), page, resource="targets")
    return {"items": [target_out(t) for t in items], "next_cursor": cursor}


@router.post("/targets", response=responses(s201=TargetOut), tags=["targets"])
def target_create(request: AuthedRequest, payload: TargetIn) -> Status[dict[str, Any]]:
    """Add a company. "Acme Inc." and "ACME Corporation" are one company: a second is a 422."""
    cleaned = checked(TargetForm(form_data(payload.model_dump())))
    try:
        target = target_add(owner=request.user, **cleaned)
    except ValidationError as error:
        from_validation_error(error)
    return Status(201, target_out(target))


@router.get(
    "/targets/{int:target_id}",
    response=responses(s200=TargetOut),
    url_name="target",
    tags=["targets"],
)
def target_detail(request: AuthedRequest, target_id: int) -> dict[str, Any]:
    return target_out(get_target_for_seeker(request, target_id))


def member_out(member: CircleMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "person_id": member.person_id,
        "name": member.person.name,
        "audience": member.audience,
        "consented": member.consented_at is not None,
        "consent_via": member.consent_via or None,
        "invited_at": member.invited_at,
        "left_at": member.left_at,
        "unsubscribed": member.unsubscribed_at is not None,
        "link_switched_off": member.links_off_at is not None,
        "created_at": member.created_at,
    }


@router.get("/circle", response=responses(s200=MemberPage), url_name="circle", tags=["circle"])
def member_list(request: AuthedRequest, page: PageQuery) -> dict[str, Any]:
    """Everyone in your circle, with what they chose. Read only: the circle changes in the app,
    where each invitation is a personal email."""
    members = CircleMember.objects.filter(owner=request.user).select_related("person")
    items, cursor = paginate(members, page, resource="circle")
    return {"items": [member_out(m) for m in items], "next_cursor": cursor}


@router.get(
    "/circle/{int:member_id}",
    response=responses(s200=MemberOut),
    url_name="member",
    tags=["circle"],
)
def member_detail(request: AuthedRequest, member_id: int) -> dict[str, Any]:
    return member_out(get_member_for_seeker(request, member_id))
