"""The meeting page's data: each member's week in one line, goals, notes, the round, the leads.

A member's week line is built only from what they chose to share with this club (their
Membership's share_* settings): counts of asks sent and answered, applications, interviews, and
check-in scores if they opted in. Never a note, never a check-in note, never a name from their
people. Rows of a member who shares nothing of a kind are not even read.

Everything here costs a fixed number of queries, however many members, rounds or offers.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.clubs import leads, rounds
from helpwanted.clubs.models import (
    CURRENT,
    ClubRequest,
    FacilitatorNote,
    Goal,
    Lead,
    Meeting,
    Membership,
    Round,
)
from helpwanted.journey.models import CheckIn, Stage, StageChange

GOALS_A_WEEK = 3


class MeetingError(Exception):
    """Something the member can fix; str(e) says what, kindly."""


@dataclass
class WeekLine:
    membership: Membership
    name: str
    parts: list[str] = field(default_factory=list)
    goals_done: list[Goal] = field(default_factory=list)  # set last time, for this week
    goals_next: list[Goal] = field(default_factory=list)  # set at this meeting, for the next

    @property
    def text(self) -> str:
        return " · ".join(self.parts) if self.parts else "Nothing shared this week."


@dataclass
class MeetingPage:
    meeting: Meeting
    previous: Meeting | None
    since: datetime
    lines: list[WeekLine]
    notes: list[FacilitatorNote]
    round: Round | None
    requests: list[ClubRequest]
    figures: rounds.Figures | None
    leads: list[Lead]


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _previous(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            club_id=meeting.club_id, starts_at__lt=meeting.starts_at, cancelled_at__isnull=True
        )
        .order_by("-starts_at", "-id")
        .first()
    )


def week_counts(
    members: list[Membership], since: datetime, until: datetime
) -> dict[int, list[str]]:
    """user id -> the parts of their week line, each read only if they share it (4 queries)."""
    who = {
        kind: [m.user_id for m in members if getattr(m, f"share_{kind}")]
        for kind in ("asks", "applications", "interviews", "checkins")
    }
    sent = dict(
        Ask.objects.filter(owner_id__in=who["asks"], sent_at__gte=since, sent_at__lt=until)
        .values_list("owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    answered = dict(
        Recipient.objects.filter(
            ask__owner_id__in=who["asks"],
            answered_at__gte=since,
            answered_at__lt=until,
        )
        .values_list("ask__owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    moves: dict[tuple[int, str], int] = {
        (owner, stage): n
        for owner, stage, n in StageChange.objects.filter(
            Q(to_stage=Stage.APPLIED, opportunity__owner_id__in=who["applications"])
            | Q(to_stage=Stage.INTERVIEWING, opportunity__owner_id__in=who["interviews"]),
            at__gte=since,
            at__lt=until,
        )
        .values_list("opportunity__owner_id", "to_stage")
        .annotate(n=Count("id"))
        .order_by()
    }
    checkins = {
        row["owner_id"]: row
        for row in CheckIn.objects.filter(
            owner_id__in=who["checkins"], day__gt=since.date(), day__lte=until.date()
        )
        .values("owner_id")
        .annotate(hope=Avg("hope"), energy=Avg("energy"), confidence=Avg("confidence"))
        .order_by()
    }
    lines: dict[int, list[str]] = {}
    for m in members:
        parts = lines.setdefault(m.user_id, [])
        if m.share_asks:
            parts.append(_n(sent.get(m.user_id, 0), "ask sent", "asks sent"))
            parts.append(f"{answered.get(m.user_id, 0)} answered")
        if m.share_applications:
            n = moves.get((m.user_id, Stage.APPLIED), 0)
            parts.append(_n(n, "application", "applications"))
        if m.share_interviews:
            n = moves.get((m.user_id, Stage.INTERVIEWING), 0)
            parts.append(_n(n, "interview", "interviews"))
        if m.share_checkins and (row := checkins.get(m.user_id)):
            parts.append(
                f"check-ins: hope {row['hope']:.1f}, energy {row['energy']:.1f}, "
                f"confidence {row['confidence']:.1f} of 5"
            )
    return lines


def meeting_page(meeting: Meeting, *, viewer: User) -> MeetingPage:
    """Everything the meeting page shows to `viewer` (a member or the facilitator)."""
    previous = _previous(meeting)
    since = previous.starts_at if previous else meeting.starts_at - timedelta(days=7)
    until = min(meeting.starts_at, timezone.now())
    members = list(
        Membership.objects.filter(CURRENT, club_id=meeting.club_id).select_related("user")
    )
    counts = week_counts(members, since, max(since, until))
    lines = {
        m.pk: WeekLine(m, rounds.member_name(m.user), counts.get(m.user_id, [])) for m in members
    }
    meeting_ids = [meeting.pk] + ([previous.pk] if previous else [])
    for goal in Goal.objects.filter(
        meeting_id__in=meeting_ids, membership__left_at__isnull=True
    ).order_by("created_at", "id"):
        line = lines.get(goal.membership_id)
        if line is not None:
            (line.goals_next if goal.meeting_id == meeting.pk else line.goals_done).append(goal)
    notes = list(
        FacilitatorNote.objects.filter(
            Q(visibility=FacilitatorNote.Visibility.CLUB) | Q(author=viewer), meeting=meeting
        ).order_by("created_at", "id")
    )
    round_ = Round.objects.filter(meeting=meeting).first()
    if round_ is not None:
        round_.meeting = meeting
    return MeetingPage(
        meeting=meeting,
        previous=previous,
        since=since,
        lines=list(lines.values()),
        notes=notes,
        round=round_,
        requests=rounds.round_requests(round_) if round_ else [],
        figures=rounds.figures(Round.objects.filter(pk=round_.pk)) if round_ else None,
        leads=leads.club_leads(meeting.club, limit=20),
    )


# --- goals and notes ---------------------------------------------------------------------------


def goal_add(*, membership: Membership, meeting: Meeting, text: str) -> Goal:
    """One of the member's 1 to 3 goals for the week after `meeting`."""
    text = " ".join(text.split())
    if not text:
        raise MeetingError("Write your goal in a few words.")
    if len(text) > 200:
        raise MeetingError("Keep a goal under 200 characters: one small, clear step.")
    if membership.left_at is not None:
        raise MeetingError("You've left this club.")
    with transaction.atomic():
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        made = Goal.objects.filter(membership=membership, meeting=meeting).count()
        if made >= GOALS_A_WEEK:
            raise MeetingError(
                f"You have {GOALS_A_WEEK} goals for this week already. Three is plenty: "
                "finish or remove one before adding another."
            )
        return Goal.objects.create(membership=membership, meeting=meeting, text=text)


def goal_done(*, goal: Goal, done: bool) -> None:
    goal.done_at = timezone.now() if done else None
    goal.save(update_fields=["done_at"])


def goal_remove(*, goal: Goal) -> None:
    goal.delete()


def note_add(*, meeting: Meeting, author: User, text: str, visibility: str) -> FacilitatorNote:
    text = text.strip()
    if not text:
        raise MeetingError("Write your note first.")
    if visibility not in FacilitatorNote.Visibility.values:
        raise MeetingError("Choose who sees this note: the club, or only you.")
    return FacilitatorNote.objects.create(
        meeting=meeting, author=author, text=text[:4000], visibility=visibility
    )
