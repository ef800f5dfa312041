"""The one access check per object type for the circle, on both sides."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from helpwanted.accounts.http import AuthedRequest
from helpwanted.circle.models import CircleMember, HelperGrant

HELPER_SESSION_KEY = "helper_grant_id"


def get_member_for_seeker(request: AuthedRequest, member_id: int) -> CircleMember:
    return get_object_or_404(
        CircleMember.objects.select_related("person"), pk=member_id, owner=request.user
    )


def get_grant_for_helper(request: HttpRequest) -> HelperGrant:
    """Re-read the helper's grant on every request, so a revoked link stops working at once."""
    grant_id = request.session.get(HELPER_SESSION_KEY)
    grant = (
        HelperGrant.objects.select_related("member__person", "member__owner")
        .filter(pk=grant_id)
        .first()
        if grant_id
        else None
    )
    if grant is None or not grant.is_usable:
        request.session.pop(HELPER_SESSION_KEY, None)
        raise PermissionDenied("This helper link is no longer active.")
    return grant
