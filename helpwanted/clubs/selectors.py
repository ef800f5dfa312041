"""Reads about clubs that other apps rely on (the calendar, the home page, the nav)."""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from helpwanted.clubs.models import Club, Meeting


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
