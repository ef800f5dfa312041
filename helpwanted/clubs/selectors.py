"""Reads about clubs that other apps rely on (the calendar, the home page, the nav)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet

from helpwanted.asks.models import Ask
from helpwanted.clubs import facilitator
from helpwanted.clubs.access import current_memberships
from helpwanted.clubs.models import (
    Club,
    ClubRequest,
    Goal,
    Lead,
    Meeting,
    Membership,
    Offer,
    Round,
    SharedUpdate,
    WeekCheck,
)
from helpwanted.journey.models import CheckIn, UpdateKind


def clubs_for_user(user: Any) -> QuerySet[Club]:
    """Clubs the user runs or is a current member (or alumnus) of; not archived ones."""
    if not getattr(user, "is_authenticated", False):
        return Club.objects.none()
    return Club.objects.filter(
        Q(facilitator=user) | Q(memberships__user=user, memberships__left_at__isnull=True),
        archived_at__isnull=True,
    ).distinct()


def meetings_for_user(
    user: Any, start: datetime, end: datetime, *, include_cancelled: bool = False
) -> list[Meeting]:
    """The meetings starting in [start, end) of every club the user runs or is in, in order.

    Read-only: the rows exist because club_create/club_edit and the tick call
    `actions.meetings_ensure` ahead of time (see MEETINGS_AHEAD there). A member who left sees
    none of that club's meetings from the next request on. Cancelled meetings are left out unless
    asked for (a calendar feed wants them, to mark them cancelled under their stable UID).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    meetings = Meeting.objects.filter(
        club__in=clubs_for_user(user).values("id"), starts_at__gte=start, starts_at__lt=end
    )
    if not include_cancelled:
        meetings = meetings.filter(cancelled_at__isnull=True)
    return list(meetings.select_related("club").order_by("starts_at", "id"))


@dataclass(frozen=True)
class ReachOut:
    membership: Membership
    reasons: list[str]  # plain words, from facilitator.REASONS


def _latest(rows: QuerySet[Any], key: str, field: str) -> dict[int, datetime]:
    return {row[key]: row["at"] for row in rows.values(key).annotate(at=Max(field)).order_by()}


def reach_out_list(club: Club, *, now: datetime) -> list[ReachOut]:
    """Current members who may need a word from the facilitator, in the club's member order.

    A fixed number of queries whatever the club's size or age (one per kind of signal).
    """
    members = list(current_memberships(club))
    ids = [m.pk for m in members]
    users = [m.user_id for m in members]
    past = list(
        club.meetings.filter(starts_at__lte=now, cancelled_at__isnull=True)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)[: facilitator.QUIET_MEETINGS]
    )
    asks = _latest(Ask.objects.filter(owner__in=users, sent_at__isnull=False), "owner", "sent_at")
    mine = Q(membership__in=ids)
    requests = _latest(ClubRequest.objects.filter(mine), "membership", "created_at")
    activity = [
        requests,
        _latest(Offer.objects.filter(mine), "membership", "created_at"),
        _latest(Lead.objects.filter(giver__in=ids), "giver", "created_at"),
        _latest(Goal.objects.filter(mine), "membership", "created_at"),
        _latest(WeekCheck.objects.filter(mine), "membership", "created_at"),
    ]
    sharing_checkins = [m.user_id for m in members if m.share_checkins]
    hope: dict[int, list[tuple[date, int]]] = {}
    for owner, day, value in CheckIn.objects.filter(
        owner__in=sharing_checkins, day__gte=now.date() - timedelta(days=facilitator.HOPE_DAYS)
    ).values_list("owner", "day", "hope"):
        hope.setdefault(owner, []).append((day, value))
    rejections = _latest(
        SharedUpdate.objects.filter(
            club=club,
            update__owner__in=users,
            update__kind=UpdateKind.REJECTION,
            update__deleted_at__isnull=True,
        ),
        "update__owner",
        "shared_at",
    )
    found = []
    for m in members:
        asked = [t for t in (asks.get(m.user_id), requests.get(m.pk)) if t is not None]
        active = [t for t in (source.get(m.pk) for source in activity) if t is not None]
        signals = facilitator.MemberSignals(
            is_alumnus=m.role == Membership.Role.ALUMNUS,
            joined_at=m.joined_at,
            shares_asks=m.share_asks,
            last_ask_at=max(asked, default=None),
            last_activity_at=max(active, default=None),
            shares_checkins=m.share_checkins,
            hope=hope.get(m.user_id, []) if m.share_checkins else [],
            last_rejection_shared_at=rejections.get(m.user_id),
        )
        reasons = facilitator.reach_out(signals, now=now, past_meetings=past)
        if reasons:
            found.append(ReachOut(m, [facilitator.REASONS[r] for r in reasons]))
    return found


def club_outcomes(club: Club) -> facilitator.Outcomes:
    """The club's outcomes (numbers only), in four queries."""
    from helpwanted.clubs.rounds import figures

    rows = list(club.memberships.values_list("joined_at", "landed_at", "left_at"))
    spans = [(joined, landed) for joined, landed, _ in rows if landed is not None]
    made = figures(Round.objects.filter(meeting__club=club))
    return facilitator.Outcomes(
        joined=len(rows),
        current=sum(1 for *_, left in rows if left is None),
        landed=len(spans),
        weeks_to_land=facilitator.weeks_to_land(spans),
        requests=made.requests,
        requests_with_offers=made.offered,
        offers=made.offers,
        accepted=made.accepted,
        fulfilled=made.fulfilled,
    )


@dataclass(frozen=True)
class ClubCard:
    """One club on the home page: when it next meets, and your buddy there."""

    club: Club
    membership: Membership | None  # None when you run it
    next_meeting: Meeting | None
    buddy_name: str


def home_cards(user: Any, *, now: datetime) -> list[ClubCard]:
    """The home page's club cards, in three queries whatever the number of clubs."""
    clubs = list(clubs_for_user(user).select_related("facilitator").order_by("name", "id"))
    if not clubs:
        return []
    memberships = {
        m.club_id: m
        for m in Membership.objects.filter(
            user=user, club__in=clubs, left_at__isnull=True
        ).select_related("buddy__user")
    }
    upcoming: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        club__in=clubs, starts_at__gte=now, cancelled_at__isnull=True
    ).order_by("-starts_at"):
        upcoming[meeting.club_id] = meeting  # ends on each club's earliest
    cards = []
    for club in clubs:
        m = memberships.get(club.pk) if club.facilitator_id != user.pk else None
        buddy = m.buddy if m is not None and m.buddy and m.buddy.left_at is None else None
        name = (buddy.user.display_name or "your buddy") if buddy is not None else ""
        cards.append(ClubCard(club, m, upcoming.get(club.pk), name))
    return cards
