"""Access to the objects the elsewhere views act on: the seeker's own, or 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from helpwanted.accounts.http import AuthedRequest
from helpwanted.elsewhere.models import WorkActivity
from helpwanted.journey.models import Interview


def get_interview_for_seeker(
    request: AuthedRequest, opportunity_id: int, interview_id: int
) -> Interview:
    return get_object_or_404(
        Interview.objects.select_related("opportunity"),
        pk=interview_id,
        opportunity_id=opportunity_id,
        opportunity__owner=request.user,
        opportunity__deleted_at__isnull=True,
    )


def get_activity_for_seeker(request: AuthedRequest, activity_id: int) -> WorkActivity:
    return get_object_or_404(WorkActivity, pk=activity_id, owner=request.user)
