"""The work-search record: what the seeker did to find work, day by day, for a benefit claim.

Drawn from what they already recorded, plus what they added by hand:
- an application: an opportunity's first move from an idea (or nothing) to applied or beyond;
- an interview: an interview, screening call or assessment dated on an opportunity;
- a networking ask: each person an ask about a target company was put to, on the day it was;
- a club meeting: each meeting of the seeker's job clubs (once the clubs app provides them);
- anything they added (WorkActivity): a job fair, a walk-in, an application made elsewhere.

The person contacted is shown only when the seeker chose to (WorkSearchSettings); otherwise the
column is blank. Dates are the seeker's own (User.timezone); both ends of the range count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from helpwanted.accounts.models import User
from helpwanted.asks.models import Recipient
from helpwanted.elsewhere.models import ActivityMethod, WorkActivity, WorkSearchSettings
from helpwanted.journey.models import Interview, Stage, StageChange

__all__ = ["WorkSearchRow", "include_contacts", "worklog_rows"]

METHOD_LABELS = dict(ActivityMethod.choices)

# An opportunity's stage, as a result a claims officer reads.
STAGE_RESULTS: dict[str, str] = {
    Stage.IDEA: "Not applied yet",
    Stage.APPLIED: "Applied, waiting to hear",
    Stage.SCREENING: "Invited to a screening",
    Stage.INTERVIEWING: "Invited to interview",
    Stage.OFFER: "Offered the job",
    Stage.ACCEPTED: "Hired",
    Stage.REJECTED: "Not selected",
    Stage.WITHDRAWN: "Withdrew",
}
S = Recipient.Status
ASK_RESULTS: dict[str, str] = {
    S.SENT: "Waiting to hear",
    S.OPENED: "Waiting to hear",
    S.OFFERED: "Offered to help",
    S.SUGGESTED: "Suggested someone else to contact",
    S.NOT_NOW: "Not right now",
    S.DECLINED: "Couldn't help",
    S.DONE: "Helped",
    S.THANKED: "Helped",
}
PURSUED = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
INTERVIEW_KINDS = (
    Interview.Kind.INTERVIEW,
    Interview.Kind.SCREENING,
    Interview.Kind.ASSESSMENT,
)
ORDER = {method: i for i, method in enumerate(METHOD_LABELS)}


@dataclass(frozen=True)
class WorkSearchRow:
    date: date
    employer: str
    position: str
    method: str  # application, networking, interview, job_fair, club_meeting, other
    contact: str  # the person contacted; "" when the seeker chose not to include people
    result: str
    source: str  # "recorded" (drawn from helpwanted) or "added" (typed in by the seeker)
    employer_contact: str = ""  # the employer's website, address or phone, when known

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)


def include_contacts(user: User) -> bool:
    settings = WorkSearchSettings.objects.filter(owner=user).first()
    return settings.include_contacts if settings else False


def _bounds(user: User, start: date, end: date) -> tuple[datetime, datetime]:
    zone = user.zoneinfo
    return (
        datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )


def _applications(user: User, since: datetime, until: datetime, named: bool) -> list[Any]:
    changes = (
        StageChange.objects.filter(
            opportunity__owner=user,
            opportunity__deleted_at__isnull=True,
            from_stage__in=("", Stage.IDEA),
            to_stage__in=PURSUED,
            at__gte=since,
            at__lt=until,
        )
        .select_related("opportunity__referred_by")
        .order_by("at", "id")
    )
    rows, seen = [], set()
    for change in changes:
        o = change.opportunity
        if o.pk in seen:
            continue  # moved back to an idea and on again: one application
        seen.add(o.pk)
        referrer = o.referred_by.name if (named and o.referred_by) else ""
        rows.append(
            WorkSearchRow(
                date=change.at.astimezone(user.zoneinfo).date(),
                employer=o.company,
                position=o.role,
                method=ActivityMethod.APPLICATION,
                contact=referrer,
                result=STAGE_RESULTS.get(o.stage, o.get_stage_display()),
                source="recorded",
                employer_contact=o.link,
            )
        )
    return rows


def _interviews(user: User, start: date, end: date) -> list[WorkSearchRow]:
    interviews = Interview.objects.filter(
        opportunity__owner=user,
        opportunity__deleted_at__isnull=True,
        kind__in=INTERVIEW_KINDS,
        on__gte=start,
        on__lte=end,
    ).select_related("opportunity")
    return [
        WorkSearchRow(
            date=i.on,
            employer=i.opportunity.company,
            position=i.opportunity.role,
            method=ActivityMethod.INTERVIEW,
            contact="",
            result=f"{i.get_kind_display()}; {STAGE_RESULTS[i.opportunity.stage].lower()}",
            source="recorded",
            employer_contact=i.opportunity.link,
        )
        for i in interviews
    ]


def _asks(user: User, since: datetime, until: datetime, named: bool) -> list[WorkSearchRow]:
    recipients = Recipient.objects.filter(
        ask__owner=user,
        ask__target__isnull=False,
        sent_at__gte=since,
        sent_at__lt=until,
    ).select_related("ask__target", "person")
    rows = []
    for r in recipients:
        assert r.sent_at is not None and r.ask.target is not None  # filtered above
        rows.append(
            WorkSearchRow(
                date=r.sent_at.astimezone(user.zoneinfo).date(),
                employer=r.ask.target.company,
                position="",
                method=ActivityMethod.NETWORKING,
                contact=r.person.name if named else "",
                result=ASK_RESULTS.get(r.status, r.get_status_display()),
                source="recorded",
            )
        )
    return rows


def _club_meetings(user: User, since: datetime, until: datetime) -> list[WorkSearchRow]:
    """Each meeting of the seeker's clubs in the period that wasn't cancelled."""
    from helpwanted.clubs.selectors import meetings_for_user

    return [
        WorkSearchRow(
            date=m.starts_at.astimezone(user.zoneinfo).date(),
            employer=m.club.name,
            position="",
            method=ActivityMethod.CLUB_MEETING,
            contact="",
            result="Job club meeting",
            source="recorded",
            employer_contact=m.place or m.club.place,
        )
        for m in meetings_for_user(user, since, until)
    ]


def _added(user: User, start: date, end: date, named: bool) -> list[WorkSearchRow]:
    return [
        WorkSearchRow(
            date=a.on,
            employer=a.employer,
            position=a.position,
            method=a.method,
            contact=a.contact if named else "",
            result=a.result,
            source="added",
            employer_contact=a.employer_contact,
        )
        for a in WorkActivity.objects.filter(owner=user, on__gte=start, on__lte=end)
    ]


def worklog_rows(user: User, start: date, end: date) -> list[WorkSearchRow]:
    """Every activity from `start` to `end` (both included), oldest first."""
    named = include_contacts(user)
    since, until = _bounds(user, start, end)
    rows = [
        *_applications(user, since, until, named),
        *_interviews(user, start, end),
        *_asks(user, since, until, named),
        *_club_meetings(user, since, until),
        *_added(user, start, end, named),
    ]
    return sorted(rows, key=lambda r: (r.date, ORDER.get(r.method, 99), r.employer, r.position))
