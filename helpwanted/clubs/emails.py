"""Club emails: one function per email, each queued once in the outbox (docs/how-it-works.md,
"Club emails").

Restraint is the rule. An invitation goes when a facilitator sends one; everything else goes only
to a current member (not someone who left), whose account is active and who keeps
Membership.club_emails on, and every such email carries a one-click unsubscribe link (RFC 8058)
that turns club emails off for that membership. The outbox key makes each email happen once:

- `club-invite:{invitation}`
- `club-reminder:{meeting}:{membership}`: the day before a meeting
- `club-offers:{membership}:{window}`: offers on your request, batched like answers
- `club-buddy-quiet:{membership}:{quiet since}`: at most one per quiet spell of a buddy
- `club-weekly:{user}:{iso week}`: the weekly club summary, when no other weekly email carries it
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from helpwanted.clubs.models import Invitation, Meeting, Membership, Offer
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.links import short_sign, short_unsign
from helpwanted.mail.models import OutboxMessage

SALT = "helpwanted.clubs.emails"


# --- Links ----------------------------------------------------------------------------------


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def club_url(club_id: int) -> str:
    return _url("clubs:detail", club_id)


def round_url(club_id: int) -> str:
    return _url("clubs:round", club_id)


def buddy_url(club_id: int) -> str:
    return _url("clubs:buddy", club_id)


def unsubscribe_value(membership: Membership) -> str:
    return short_sign(str(membership.pk), SALT)


def unsubscribe_url(membership: Membership) -> str:
    return settings.SITE_URL + reverse("clubs:emails_off", args=[unsubscribe_value(membership)])


def membership_from_value(value: str) -> Membership | None:
    membership_id = short_unsign(value, SALT)
    if membership_id is None or not membership_id.isdigit():
        return None
    return Membership.objects.select_related("club", "user").filter(pk=int(membership_id)).first()


def club_emails_off(*, membership: Membership) -> bool:
    """Turn this membership's club emails off. True if they were on (a conditional write)."""
    return bool(
        Membership.objects.filter(pk=membership.pk, club_emails=True).update(club_emails=False)
    )


def may_email(membership: Membership) -> bool:
    """A current member with an active account who keeps club emails on."""
    return (
        membership.left_at is None
        and membership.club_emails
        and membership.user.is_active
        and membership.club.archived_at is None
    )


def when_text(moment: dt.datetime, user: Any) -> str:
    local = moment.astimezone(user.zoneinfo)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


# --- The invitation -------------------------------------------------------------------------


def invitation_url(token: str) -> str:
    return _url("clubs:invitation", token)


def invitation_email(invitation: Invitation, token: str) -> OutboxMessage:
    """The emailed invitation to join a club. Queued once per invitation.

    It is a one-off message from a person (the facilitator), like the circle invitation: no list
    to leave, and nothing follows if it is ignored. The token travels only in the link.
    """
    club = invitation.club
    inviter = invitation.invited_by
    return outbox_enqueue(
        key=f"club-invite:{invitation.pk}",
        template="club-invite",
        to_email=invitation.email,
        context={
            "club": club,
            "inviter_name": inviter.display_name or inviter.email,
            "link": invitation_url(token),
            "expires_at": invitation.expires_at,
            "meets": club_rhythm_text(club),
        },
    )


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def club_rhythm_text(club: Any) -> str:
    """ "Tuesdays at 10:00 (Europe/London)", or every two weeks."""
    day = WEEKDAYS[club.meeting_weekday % 7]
    every = "" if club.every_weeks <= 1 else f", every {club.every_weeks} weeks"
    return f"{day}s at {club.meeting_time:%H:%M} ({club.timezone}){every}"


# --- The meeting reminder -------------------------------------------------------------------


def reminder_key(meeting: Meeting, membership: Membership) -> str:
    return f"club-reminder:{meeting.pk}:{membership.pk}"


def meeting_reminder_email(meeting: Meeting, membership: Membership) -> OutboxMessage:
    user = membership.user
    goals = [g for g in getattr(membership, "open_goals", [])]
    return outbox_enqueue(
        key=reminder_key(meeting, membership),
        template="club-reminder",
        to_email=user.email,
        user=user,
        context={
            "member": user,
            "club": membership.club,
            "when": when_text(meeting.starts_at, user),
            "place": meeting.place or membership.club.place,
            "goals": goals,
            "club_url": club_url(membership.club_id),
        },
        unsubscribe_url=unsubscribe_url(membership),
    )


# --- Offers on your request -----------------------------------------------------------------


def offers_key(membership: Membership, window: int) -> str:
    return f"club-offers:{membership.pk}:{window}"


def offers_email(membership: Membership, offers: list[Offer], window: int) -> OutboxMessage:
    user = membership.user
    return outbox_enqueue(
        key=offers_key(membership, window),
        template="club-offers",
        to_email=user.email,
        user=user,
        context={
            "member": user,
            "club": membership.club,
            "offers": [
                {
                    "name": offer.membership.user.display_name or "A fellow member",
                    "kind": offer.get_kind_display(),
                    "note": offer.note,
                    "request": offer.request.text,
                }
                for offer in offers
            ],
            "club_url": round_url(membership.club_id),
        },
        unsubscribe_url=unsubscribe_url(membership),
    )


# --- A quiet buddy --------------------------------------------------------------------------


def buddy_quiet_key(membership: Membership, quiet_since: dt.date) -> str:
    return f"club-buddy-quiet:{membership.pk}:{quiet_since.isoformat()}"


def buddy_quiet_email(
    membership: Membership, buddy: Membership, quiet_since: dt.date
) -> OutboxMessage:
    user = membership.user
    return outbox_enqueue(
        key=buddy_quiet_key(membership, quiet_since),
        template="club-buddy-quiet",
        to_email=user.email,
        user=user,
        context={
            "member": user,
            "club": membership.club,
            "buddy_name": buddy.user.first_name or buddy.user.display_name or "your buddy",
            "club_url": buddy_url(membership.club_id),
        },
        unsubscribe_url=unsubscribe_url(membership),
    )


# --- The weekly club summary ----------------------------------------------------------------


@dataclass
class ClubWeek:
    """One club's part of a member's weekly email: only what the club already shares."""

    club_name: str
    club_url: str
    next_meeting: str = ""
    place: str = ""
    open_requests: list[str] = field(default_factory=list)  # fellow members', still open
    leads_for_you: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)  # yours, not done yet
    stop_url: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.next_meeting or self.open_requests or self.leads_for_you or self.goals)


def weekly_key(user_id: int, monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"club-weekly:{user_id}:{year}-W{week:02d}"


def weekly_email(user: Any, weeks: list[ClubWeek], monday: dt.date) -> OutboxMessage:
    """The separate weekly club email, for a member whose week had no other weekly email."""
    return outbox_enqueue(
        key=weekly_key(user.pk, monday),
        template="club-weekly",
        to_email=user.email,
        user=user,
        context={"member": user, "club_weeks": weeks},
        unsubscribe_url=weeks[0].stop_url,
    )
