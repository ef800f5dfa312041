"""The one access check per object type for clubs. Every club view calls one of these.

Who may see a club: its facilitator, and its current members and alumni (Membership.left_at is
None). A member who left or was removed is an outsider from the next request on: every check
re-reads the membership. Anyone else gets a 404, never a 403, so a club's existence is not given
away. Club pages show only current members' things: filter with VISIBLE (or visible_q).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from helpwanted.clubs.models import (
    Club,
    ClubRequest,
    Goal,
    Invitation,
    Lead,
    Meeting,
    Membership,
    Offer,
    Round,
)

# What club pages may show: rows of members who are still in the club.
VISIBLE = Q(membership__left_at__isnull=True)


def visible_q(path: str = "membership") -> Q:
    """VISIBLE for a row that reaches its Membership through `path` (e.g. "request__membership")."""
    return Q(**{f"{path}__left_at__isnull": True})


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a club: its facilitator, or one of its current members or alumni."""

    club: Club
    membership: Membership | None  # None for the facilitator

    @property
    def is_facilitator(self) -> bool:
        return self.membership is None

    @property
    def is_alumnus(self) -> bool:
        return self.membership is not None and self.membership.role == Membership.Role.ALUMNUS


def _user_id(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return int(user.pk)


def club_for_member(user: Any, club_id: int) -> tuple[Club, Membership]:
    """A club the user is a current member or alumnus of, with their membership; else 404."""
    membership = get_object_or_404(
        Membership.objects.select_related("club", "user"),
        club_id=club_id,
        user_id=_user_id(user),
        left_at__isnull=True,
    )
    return membership.club, membership


def club_for_facilitator(user: Any, club_id: int) -> Club:
    """A club the user runs; else 404."""
    return get_object_or_404(Club, pk=club_id, facilitator_id=_user_id(user))


def club_for_viewer(user: Any, club_id: int) -> Viewer:
    """A club the user runs or is currently in; else 404. For pages both sides see."""
    user_id = _user_id(user)
    club = get_object_or_404(Club, pk=club_id)
    if club.facilitator_id == user_id:
        return Viewer(club, None)
    membership = (
        Membership.objects.select_related("user")
        .filter(club=club, user_id=user_id, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    membership.club = club
    return Viewer(club, membership)


def membership_for_facilitator(user: Any, membership_id: int) -> Membership:
    """A current membership in a club the user runs; else 404."""
    return get_object_or_404(
        Membership.objects.select_related("club", "user"),
        pk=membership_id,
        club__facilitator_id=_user_id(user),
        left_at__isnull=True,
    )


def invitation_for_facilitator(user: Any, invitation_id: int) -> Invitation:
    """An invitation to a club the user runs; else 404."""
    return get_object_or_404(
        Invitation.objects.select_related("club"),
        pk=invitation_id,
        club__facilitator_id=_user_id(user),
    )


def _viewer_for(user: Any, club_id: int) -> Viewer:
    return club_for_viewer(user, club_id)


def meeting_for_viewer(user: Any, meeting_id: int) -> tuple[Meeting, Viewer]:
    """A meeting of a club the user runs or is in; else 404."""
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    viewer = _viewer_for(user, meeting.club_id)
    meeting.club = viewer.club
    return meeting, viewer


def request_for_viewer(user: Any, request_id: int) -> tuple[ClubRequest, Viewer]:
    """A request (of a current member) in a club the user runs or is in; else 404."""
    club_request = get_object_or_404(
        ClubRequest.objects.select_related("round__meeting", "membership__user"),
        visible_q(),
        pk=request_id,
    )
    viewer = _viewer_for(user, club_request.round.meeting.club_id)
    return club_request, viewer


def request_for_owner(user: Any, request_id: int) -> tuple[ClubRequest, Membership]:
    """The user's own request, while they are in the club; else 404."""
    club_request = get_object_or_404(
        ClubRequest.objects.select_related("round__meeting", "membership__club"),
        pk=request_id,
        membership__user_id=_user_id(user),
        membership__left_at__isnull=True,
    )
    return club_request, club_request.membership


def offer_for_viewer(user: Any, offer_id: int) -> tuple[Offer, Viewer]:
    """An offer (both sides current members) in a club the user runs or is in; else 404."""
    offer = get_object_or_404(
        Offer.objects.select_related(
            "request__round__meeting", "request__membership__user", "membership__user"
        ),
        visible_q(),
        visible_q("request__membership"),
        pk=offer_id,
    )
    viewer = _viewer_for(user, offer.request.round.meeting.club_id)
    return offer, viewer


def offer_for_offerer(user: Any, offer_id: int) -> tuple[Offer, Membership]:
    """The user's own offer, while they are in the club; else 404."""
    offer = get_object_or_404(
        Offer.objects.select_related("request__round__meeting", "membership__club"),
        pk=offer_id,
        membership__user_id=_user_id(user),
        membership__left_at__isnull=True,
    )
    return offer, offer.membership


def offer_for_requester(user: Any, offer_id: int) -> tuple[Offer, Membership]:
    """An offer (from a current member) on the user's own request; else 404."""
    offer = get_object_or_404(
        Offer.objects.select_related(
            "request__round__meeting", "request__membership__club", "membership__user"
        ),
        visible_q(),
        pk=offer_id,
        request__membership__user_id=_user_id(user),
        request__membership__left_at__isnull=True,
    )
    return offer, offer.request.membership


def lead_for_viewer(user: Any, lead_id: int) -> tuple[Lead, Viewer]:
    """A lead (from a current member) in a club the user runs or is in; else 404."""
    lead = get_object_or_404(
        Lead.objects.select_related("giver__user"), visible_q("giver"), pk=lead_id
    )
    viewer = _viewer_for(user, lead.club_id)
    lead.club = viewer.club
    return lead, viewer


def lead_for_member(user: Any, lead_id: int) -> tuple[Lead, Membership]:
    """A lead (from a current member) in a club the user is a member or alumnus of; else 404."""
    lead = get_object_or_404(
        Lead.objects.select_related("giver__user"), visible_q("giver"), pk=lead_id
    )
    club, membership = club_for_member(user, lead.club_id)
    lead.club = club
    return lead, membership


def current_memberships(club: Club) -> QuerySet[Membership]:
    """The club's current members and alumni, with their users (for club pages)."""
    return club.memberships.filter(left_at__isnull=True).select_related("user")


def round_for_viewer(user: Any, round_id: int) -> tuple[Round, Viewer]:
    """A round of a club the user runs or is in; else 404."""
    round_ = get_object_or_404(Round.objects.select_related("meeting"), pk=round_id)
    viewer = _viewer_for(user, round_.meeting.club_id)
    round_.meeting.club = viewer.club
    return round_, viewer


def goal_for_owner(user: Any, goal_id: int) -> Goal:
    """The user's own goal, while they are in the club; else 404."""
    return get_object_or_404(
        Goal.objects.select_related("meeting", "membership"),
        pk=goal_id,
        membership__user_id=_user_id(user),
        membership__left_at__isnull=True,
    )
