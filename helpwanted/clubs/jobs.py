"""Club tick jobs (settings.TICK_JOBS): reminders, offers, a quiet buddy, the weekly summary.

Each is safe to run every minute and twice at once: every email has a unique outbox key
(clubs/emails.py), and the weekly summary is also claimed per member and week with a conditional
write (Membership.weekly_sent_on), because it may ride in another email whose key is not ours.
Only current members with an active account and club emails on ever get one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.clubs import emails
from helpwanted.clubs.emails import ClubWeek
from helpwanted.clubs.models import ClubRequest, Goal, Lead, LeadTaken, Meeting, Membership, Offer
from helpwanted.journey.models import CheckIn, Helper, Search
from helpwanted.mail.models import OutboxMessage
from helpwanted.nudges.rules import BUDDY_QUIET_DAYS, buddy_is_quiet

# The reminder goes in the day before a meeting: once the meeting is within REMIND_BEFORE, and
# not in its last REMIND_NOT_AFTER (a reminder an hour before is noise, not help).
REMIND_BEFORE = dt.timedelta(hours=24)
REMIND_NOT_AFTER = dt.timedelta(hours=2)
# Offers older than this are not emailed any more (say, club emails were off when they came).
OFFER_EMAIL_WITHIN = dt.timedelta(days=7)
# A missed tick still sends the weekly summary if the worker is back within this long.
WEEKLY_CATCH_UP = dt.timedelta(hours=24)
RECENT_REQUESTS = dt.timedelta(days=14)


def _emailable() -> Q:
    """Memberships that may get club emails (emails.may_email, as a query)."""
    return Q(
        left_at__isnull=True,
        club_emails=True,
        user__is_active=True,
        club__archived_at__isnull=True,
    )


# --- The day-before reminder ----------------------------------------------------------------


def meeting_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each member of a meeting the day before it, once per meeting and member."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(
            cancelled_at__isnull=True,
            club__archived_at__isnull=True,
            starts_at__gt=now + REMIND_NOT_AFTER,
            starts_at__lte=now + REMIND_BEFORE,
        ).select_related("club")
    )
    if not meetings:
        return 0
    members: dict[int, list[Membership]] = defaultdict(list)
    for m in Membership.objects.filter(
        _emailable(), club_id__in={meeting.club_id for meeting in meetings}
    ).select_related("user", "club"):
        members[m.club_id].append(m)
    wanted = {
        emails.reminder_key(meeting, m): (meeting, m)
        for meeting in meetings
        for m in members[meeting.club_id]
    }
    already = set(OutboxMessage.objects.filter(key__in=wanted).values_list("key", flat=True))
    todo = {key: pair for key, pair in wanted.items() if key not in already}
    goals = _open_goals({m.pk for _, m in todo.values()})
    for meeting, membership in todo.values():
        membership.open_goals = goals.get(membership.pk, [])  # type: ignore[attr-defined]
        with transaction.atomic():
            emails.meeting_reminder_email(meeting, membership)
    return len(todo)


def _open_goals(membership_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each member's goals not yet checked off, set in the last three weeks (1 to 3 of them)."""
    since = timezone.now() - dt.timedelta(weeks=3)
    found: dict[int, list[str]] = defaultdict(list)
    for membership_id, text in Goal.objects.filter(
        membership_id__in=list(membership_ids), done_at__isnull=True, created_at__gte=since
    ).values_list("membership_id", "text"):
        found[membership_id].append(text)
    return found


# --- Offers on your request, batched like answers -------------------------------------------


def offers_notify(*, now: dt.datetime | None = None) -> int:
    """Tell requesters about new offers: at most one email per member per answer window.

    The same rhythm as "people answered" (asks.actions.answers_notify): offers that arrive
    within one ANSWER_EMAIL_MINUTES window go in one email; one that comes after this window's
    email is written waits for the next window.
    """
    now = now or timezone.now()
    window = int(now.timestamp() // (settings.ANSWER_EMAIL_MINUTES * 60))
    pending = (
        Offer.objects.filter(
            notified_at__isnull=True,
            state=Offer.State.OFFERED,
            created_at__gte=now - OFFER_EMAIL_WITHIN,
            membership__left_at__isnull=True,
            request__withdrawn_at__isnull=True,
            request__membership__left_at__isnull=True,
            request__membership__club_emails=True,
            request__membership__user__is_active=True,
            request__membership__club__archived_at__isnull=True,
        )
        .select_related(
            "membership__user", "request__membership__user", "request__membership__club"
        )
        .order_by("created_at", "pk")
    )
    by_requester: dict[int, list[Offer]] = defaultdict(list)
    for offer in pending:
        by_requester[offer.request.membership_id].append(offer)
    sent = 0
    for offers in by_requester.values():
        requester = offers[0].request.membership
        if OutboxMessage.objects.filter(key=emails.offers_key(requester, window)).exists():
            continue  # this window's email is written; these wait for the next one
        with transaction.atomic():
            emails.offers_email(requester, offers, window)
            Offer.objects.filter(pk__in=[o.pk for o in offers], notified_at__isnull=True).update(
                notified_at=now
            )
        sent += 1
    return sent


# --- A quiet buddy --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuietBuddy:
    membership: Membership  # the one who gets the nudge
    buddy: Membership
    quiet_since: dt.date  # the buddy's last club activity, in the member's timezone


def quiet_buddies(*, user: Any = None, now: dt.datetime | None = None) -> list[QuietBuddy]:
    """Current members whose current buddy (in the same club) has been quiet BUDDY_QUIET_DAYS.

    For one user (their home page's next step) or everyone (the email job). One query.
    """
    now = now or timezone.now()
    rows = Membership.objects.filter(
        left_at__isnull=True,
        buddy__isnull=False,
        buddy__left_at__isnull=True,
        club__archived_at__isnull=True,
        # Quick cut in SQL; the exact day-10 rule is the member's local date, below.
        buddy__last_active_at__lte=now - dt.timedelta(days=BUDDY_QUIET_DAYS - 1),
    ).select_related("user", "club", "buddy__user")
    if user is not None:
        rows = rows.filter(user=user)
    found = []
    for m in rows:
        buddy = m.buddy
        if buddy is None or buddy.club_id != m.club_id or buddy.user_id == m.user_id:
            continue
        tz = m.user.zoneinfo
        quiet_since = buddy.last_active_at.astimezone(tz).date()
        if buddy_is_quiet(quiet_since, now.astimezone(tz).date()):
            found.append(QuietBuddy(m, buddy, quiet_since))
    return found


def buddy_quiet_emails_send(*, now: dt.datetime | None = None) -> int:
    """At most one gentle email per quiet spell of a buddy (the key holds the spell's start)."""
    todo = [q for q in quiet_buddies(now=now) if emails.may_email(q.membership)]
    if not todo:
        return 0
    keys = {emails.buddy_quiet_key(q.membership, q.quiet_since): q for q in todo}
    already = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    sent = 0
    for key, q in keys.items():
        if key in already:
            continue
        with transaction.atomic():
            emails.buddy_quiet_email(q.membership, q.buddy, q.quiet_since)
        sent += 1
    return sent


# --- The weekly club summary ----------------------------------------------------------------


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def club_weeks(user_ids: Iterable[int], now: dt.datetime) -> dict[int, list[ClubWeek]]:
    """Each member's weekly club sections, one per club whose emails they keep on.

    Only what the club already shares with them: the next meeting, fellow members' open
    requests they haven't offered on, leads passed to them, their own goals. A constant number
    of queries for any number of members.
    """
    members = list(
        Membership.objects.filter(_emailable(), user_id__in=list(user_ids))
        .select_related("club", "user")
        .order_by("club__name", "pk")
    )
    if not members:
        return {}
    club_ids = {m.club_id for m in members}
    next_meeting: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        club_id__in=club_ids, cancelled_at__isnull=True, starts_at__gt=now
    ).order_by("starts_at"):
        next_meeting.setdefault(meeting.club_id, meeting)
    requests = list(
        ClubRequest.objects.filter(
            round__meeting__club_id__in=club_ids,
            round__meeting__ends_at__gt=now,  # this round: requests are made until it ends
            round__closed_at__isnull=True,
            withdrawn_at__isnull=True,
            membership__left_at__isnull=True,
            created_at__gte=now - RECENT_REQUESTS,
        )
        .select_related("round__meeting")
        .order_by("created_at", "pk")
    )
    offered = set(
        Offer.objects.filter(request__in=requests).values_list("request_id", "membership_id")
    )
    member_ids = [m.pk for m in members]
    leads: dict[int, list[str]] = defaultdict(list)
    for_them = Lead.objects.filter(
        for_member_id__in=member_ids, withdrawn_at__isnull=True, giver__left_at__isnull=True
    )
    taken = set(LeadTaken.objects.filter(lead__in=for_them).values_list("lead_id", "membership_id"))
    for lead in for_them:
        if lead.for_member_id is not None and (lead.pk, lead.for_member_id) not in taken:
            leads[lead.for_member_id].append(f"{lead.role} at {lead.company}")
    goals = _open_goals(member_ids)
    weeks: dict[int, list[ClubWeek]] = defaultdict(list)
    for m in members:
        upcoming = next_meeting.get(m.club_id)
        week = ClubWeek(
            club_name=m.club.name,
            club_url=emails.club_url(m.club_id),
            next_meeting=emails.when_text(upcoming.starts_at, m.user) if upcoming else "",
            place=(upcoming.place or m.club.place) if upcoming else "",
            # Alumni offer help too, so they see the open requests; nobody sees their own.
            open_requests=[
                r.text[:140]
                for r in requests
                if r.round.meeting.club_id == m.club_id
                and r.membership_id != m.pk
                and (r.pk, m.pk) not in offered
            ][:3],
            leads_for_you=leads.get(m.pk, [])[:3],
            goals=goals.get(m.pk, [])[:3],
            stop_url=emails.unsubscribe_url(m),
        )
        if not week.is_empty:
            weeks[m.user_id].append(week)
    return dict(weeks)


def weekly_claim(user_id: int, monday: dt.date) -> bool:
    """Claim this week's club summary for this member: True for exactly one caller a week."""
    return bool(
        Membership.objects.filter(user_id=user_id, left_at__isnull=True, club_emails=True)
        .filter(Q(weekly_sent_on__isnull=True) | Q(weekly_sent_on__lt=monday))
        .update(weekly_sent_on=monday)
    )


def weekly_fold(user: Any, monday: dt.date, *, now: dt.datetime | None = None) -> list[ClubWeek]:
    """The club sections to fold into another weekly email to `user`, claimed for the week.

    Call it inside the transaction that queues that email, so a rollback gives the week back.
    Empty when there is nothing to say or another email already carried this week's.
    """
    now = now or timezone.now()
    weeks = club_weeks([user.pk], now).get(user.pk, [])
    if weeks and weekly_claim(user.pk, monday):
        return weeks
    return []


def weekly_slot(
    user: User, search: Search | None, helper: Helper | None, now: dt.datetime
) -> tuple[dt.date, dt.datetime]:
    """This week's Monday and the moment a member's weekly email goes, in their weekly rhythm.

    The one weekly email they already get sets the moment: the helpers' digest if they help
    someone (its day and hour), else their weekly check-in reminder, else Monday at 09:00.
    """
    if helper is not None:
        tz = _zone(helper.timezone) or user.zoneinfo
        weekday, hour = helper.digest_weekday, helper.digest_hour
    elif search is not None and search.reminder_enabled and search.landed_at is None:
        tz, weekday, hour = user.zoneinfo, search.reminder_weekday, search.reminder_hour
    else:
        tz, weekday, hour = user.zoneinfo, 0, 9
    local = now.astimezone(tz)
    monday = week_monday(local.date())
    slot = dt.datetime.combine(monday + dt.timedelta(days=weekday), dt.time(hour), tzinfo=tz)
    return monday, slot


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def club_weekly_send(*, now: dt.datetime | None = None) -> int:
    """The separate weekly club email, for members whose week's summary no other email carried.

    Runs after the digest and the check-in reminder in the tick (settings.TICK_JOBS), which fold
    the club sections in when they go. At the member's weekly moment, if neither did this week,
    the club email goes on its own. A member whose check-in reminder is still to come today
    waits for it.
    """
    now = now or timezone.now()
    user_ids = set(
        Membership.objects.filter(_emailable()).values_list("user_id", flat=True).distinct()
    )
    if not user_ids:
        return 0
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    searches = {s.owner_id: s for s in Search.objects.filter(owner_id__in=user_ids)}
    # A helper's digest sets the weekly moment unless they unsubscribed or paused it.
    helpers = {
        h.email: h
        for h in Helper.objects.filter(
            Q(digest_paused_until__isnull=True) | Q(digest_paused_until__lte=now.date()),
            email__in=[u.email for u in users.values()],
            digest_unsubscribed_at__isnull=True,
        )
    }
    claimed: dict[int, dt.date] = {}
    for pk, sent_on in Membership.objects.filter(_emailable(), user_id__in=user_ids).values_list(
        "user_id", "weekly_sent_on"
    ):
        if sent_on is not None and (pk not in claimed or sent_on > claimed[pk]):
            claimed[pk] = sent_on
    due: dict[int, dt.date] = {}
    for pk, user in users.items():
        monday, slot = weekly_slot(user, searches.get(pk), helpers.get(user.email), now)
        if not (slot <= now < slot + WEEKLY_CATCH_UP):
            continue
        if pk in claimed and claimed[pk] >= monday:
            continue
        due[pk] = monday
    # A check-in reminder still to go this week will carry it (the reminder job runs first, so
    # this only matters when that job failed this tick): wait rather than send a second email.
    waiting = _reminder_pending(
        {pk: m for pk, m in due.items() if users[pk].email not in helpers}, users, searches
    )
    due = {pk: m for pk, m in due.items() if pk not in waiting}
    if not due:
        return 0
    weeks = club_weeks(due, now)
    sent = 0
    for pk, monday in due.items():
        if not weeks.get(pk):
            continue
        with transaction.atomic():
            if not weekly_claim(pk, monday):
                continue
            emails.weekly_email(users[pk], weeks[pk], monday)
        sent += 1
    return sent


def _reminder_pending(
    due: dict[int, dt.date], users: dict[int, User], searches: dict[int, Search]
) -> set[int]:
    """Members whose weekly check-in reminder is due this week and hasn't gone yet."""
    from helpwanted.journey.checkins import reminder_key

    candidates = {
        pk: monday
        for pk, monday in due.items()
        if (s := searches.get(pk)) is not None and s.reminder_enabled and s.landed_at is None
    }
    if not candidates:
        return set()
    checked_in = set(
        CheckIn.objects.filter(
            owner_id__in=candidates, day__gte=min(candidates.values())
        ).values_list("owner_id", "day")
    )
    keys = {pk: reminder_key(users[pk], monday) for pk, monday in candidates.items()}
    sent = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    pending = set()
    for pk, monday in candidates.items():
        week = {monday + dt.timedelta(days=i) for i in range(7)}
        if keys[pk] not in sent and not any((pk, day) in checked_in for day in week):
            pending.add(pk)
    return pending
