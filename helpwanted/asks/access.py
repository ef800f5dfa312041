"""The one access check per object type for asks, on both sides."""

from django.shortcuts import get_object_or_404

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks.models import Ask, Recipient
from helpwanted.circle.models import HelperGrant


def get_ask_for_seeker(request: AuthedRequest, ask_id: int) -> Ask:
    return get_object_or_404(Ask, pk=ask_id, owner=request.user)


def get_recipient_for_seeker(request: AuthedRequest, recipient_id: int) -> Recipient:
    return get_object_or_404(
        Recipient.objects.select_related("ask", "person"),
        pk=recipient_id,
        ask__owner=request.user,
    )


def get_recipient_for_helper(grant: HelperGrant, recipient_id: int) -> Recipient:
    """Only asks addressed to this helper, from the seeker who holds this grant, and sent."""
    member = grant.member
    return get_object_or_404(
        Recipient.objects.select_related("ask", "person").exclude(status__in=Recipient.UNSENT),
        pk=recipient_id,
        person=member.person,
        ask__owner=member.owner,
    )
