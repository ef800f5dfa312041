"""Next steps and the early-ask signal: load one seeker's inputs, snooze steps, weekly email.

`step_inputs` reads everything the pure rules (nudges/rules.py) need in a fixed number of
queries, however much data the seeker has. `home_steps` is what the home page shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, overload

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Kind, Recipient
from helpwanted.circle.models import Audience, CircleMember
from helpwanted.journey.models import (
    CheckIn,
    Opportunity,
    Reply,
    Search,
    Stage,
    ThankYou,
    Update,
    UpdateKind,
)
from helpwanted.network.models import Person
from helpwanted.network.selectors import target_summaries
from helpwanted.nudges import rules
from helpwanted.nudges.models import Snooze

log = logging.getLogger("helpwanted.nudges")

__all__ = [
    "EarlyAskCard",
    "early_ask_card",
    "early_ask_emails_send",
    "early_ask_key",
    "home_steps",
    "step_inputs",
    "step_snooze",
    "thresholds",
]

WAITING_LIMIT = 50  # the oldest quiet recipients considered for a follow-up
THANKS_LIMIT = 20
OFFERS_LIMIT = 20
BOUNCED_LIMIT = 20
SUGGESTED_LIMIT = 20
# Still to answer (or still to be asked in person): not suggested for another ask.
AWAITING = frozenset({*Recipient.WAITING, Recipient.Status.TO_ASK})
ANSWERED_LIMIT = 20


def thresholds() -> rules.Thresholds:
    return rules.Thresholds(
        hope_drop=settings.EARLY_ASK_HOPE_DROP,
        hope_days=settings.EARLY_ASK_HOPE_DAYS,
        rejections=settings.EARLY_ASK_REJECTIONS,
        rejection_days=settings.EARLY_ASK_REJECTION_DAYS,
        no_ask_days=settings.EARLY_ASK_NO_ASK_DAYS,
        away_days=settings.EARLY_ASK_AWAY_DAYS,
    )


@overload
def _local(moment: dt.datetime, tz: Any) -> dt.date: ...
@overload
def _local(moment: dt.datetime | None, tz: Any) -> dt.date | None: ...
def _local(moment: dt.datetime | None, tz: Any) -> dt.date | None:
    return timezone.localtime(moment, tz).date() if moment is not None else None


def step_inputs(owner: User, *, now: dt.datetime | None = None) -> rules.StepInputs:
    """Everything the rules need for one seeker, in a constant number of queries (about 20)."""
    now = now or timezone.now()
    tz = owner.zoneinfo
    today = timezone.localtime(now, tz).date()
    t = thresholds()
    waiting = [
        rules.Waiting(
            recipient_id=r.pk,
            name=r.person.name,
            sent_on=_local(r.sent_at, tz),
            follow_up_days=r.ask.follow_up_days,
            followed_up=r.followed_up_at is not None,
        )
        for r in Recipient.objects.filter(
            ask__owner=owner,
            ask__closed_at__isnull=True,
            status__in=Recipient.WAITING,
            answered_at__isnull=True,  # not those who replied by email (mail/inbound)
            let_go_at__isnull=True,
            followed_up_at__isnull=True,
            sent_at__isnull=False,
        )
        .select_related("ask", "person")
        .order_by("sent_at", "pk")[:WAITING_LIMIT]
        if r.sent_at is not None  # always, as filtered: this narrows sent_at's type
    ]
    thankable = _thankable(owner, tz)
    offers = [
        rules.Offer(reply_id=r.pk, name=r.member.person.name, created_on=_local(r.created_at, tz))
        for r in Reply.objects.filter(
            update__owner=owner,
            update__deleted_at__isnull=True,
            kind=Reply.Kind.OFFER,
            accepted_at__isnull=True,
        )
        .select_related("member__person")
        .order_by("created_at", "pk")[:OFFERS_LIMIT]
    ]
    suggested = _suggested(owner, tz)
    answered = _answered(owner, now, tz)
    referral_asks = dict(
        Ask.objects.filter(owner=owner, kind=Kind.REFERRAL, target__isnull=False)
        .order_by()
        .values_list("target_id")
        .annotate(last=Max("created_at"))
        .values_list("target_id", "last")
    )
    targets = [
        rules.TargetCount(
            target_id=target.pk,
            company=target.company,
            people=count,
            asked_on=_local(referral_asks.get(target.pk), tz),
        )
        for target, count in target_summaries(owner)
    ]
    last_update = Update.objects.filter(owner=owner, deleted_at__isnull=True).aggregate(
        last=Max("created_at")
    )["last"]
    since = today - dt.timedelta(days=max(7, t.hope_days))
    checkins = [
        rules.CheckInPoint(day=day, hope=hope)
        for day, hope in CheckIn.objects.filter(owner=owner, day__gte=since).values_list(
            "day", "hope"
        )
    ]
    last_ask = Ask.objects.filter(owner=owner, sent_at__isnull=False).aggregate(
        last=Max("sent_at")
    )["last"]
    rejected_since = now - dt.timedelta(days=t.rejection_days + 1)
    rejections = [
        _local(at, tz)
        for at in Opportunity.objects.filter(
            owner=owner, stage=Stage.REJECTED, stage_changed_at__gte=rejected_since
        ).values_list("stage_changed_at", flat=True)
    ] + [
        _local(at, tz)
        for at in Update.objects.filter(
            owner=owner,
            kind=UpdateKind.REJECTION,
            opportunity__isnull=True,  # one linked to an opportunity is counted above
            deleted_at__isnull=True,
            created_at__gte=rejected_since,
        ).values_list("created_at", flat=True)
    ]
    search = Search.objects.filter(owner=owner).only("landed_at", "landed_opportunity").first()
    accepted = Opportunity.objects.filter(owner=owner, stage=Stage.ACCEPTED)
    if search is not None and search.landed_opportunity_id is not None:
        # The search was reopened after landing there: that offer belongs to the last search.
        accepted = accepted.exclude(pk=search.landed_opportunity_id)
    answers_waiting = 0
    if owner.last_login is not None:
        answers_waiting = Recipient.objects.filter(
            ask__owner=owner, ask__closed_at__isnull=True, answered_at__gt=owner.last_login
        ).count()
    snoozed = frozenset(
        Snooze.objects.filter(owner=owner, until__gt=now).values_list("key", flat=True)
    )
    bounced = [  # Person.email_bouncing, as a query
        rules.Bounced(person_id=pk, name=name, bounced_on=_local(at, tz))
        for pk, name, at in Person.objects.filter(owner=owner, archived_at__isnull=True)
        .exclude(bounced_email="")
        .filter(bounced_email=F("email_key"))
        .order_by("bounced_at", "pk")
        .values_list("pk", "name", "bounced_at")[:BOUNCED_LIMIT]
    ]
    return rules.StepInputs(
        today=today,
        waiting=waiting,
        thankable=thankable,
        offers=offers,
        suggested=suggested,
        answered=answered,
        targets=targets,
        last_update_on=_local(last_update, tz),
        checkins=checkins,
        last_ask_on=_local(last_ask, tz),
        started_on=_local(owner.date_joined, tz),
        search_active=search is None or search.landed_at is None,
        offer_accepted=(search is not None and search.landed_at is not None) or accepted.exists(),
        last_login_on=_local(owner.last_login, tz),
        answers_waiting=answers_waiting,
        rejections=rejections,
        snoozed=snoozed,
        bounced=bounced,
        quiet_buddies=_quiet_buddies(owner, now),
    )


def _quiet_buddies(owner: User, now: dt.datetime) -> list[rules.QuietBuddy]:
    """The seeker's club buddies gone quiet (one query; clubs/jobs.py holds the rule's query)."""
    from helpwanted.clubs.jobs import quiet_buddies

    return [
        rules.QuietBuddy(
            membership_id=q.membership.pk,
            club_id=q.membership.club_id,
            club=q.membership.club.name,
            name=q.buddy.user.first_name or q.buddy.user.display_name or "Your buddy",
            quiet_since=q.quiet_since,
        )
        for q in quiet_buddies(user=owner, now=now)
    ]


def _thanked_since(owner: User) -> dict[int, dt.datetime]:
    """When each person was last thanked, however it was done: a thank-you for one of their
    answers (thanked_at), or the "I got the job" note to them once sent. Two small queries."""
    last: dict[int, dt.datetime] = {}
    thanked = (
        Recipient.objects.filter(ask__owner=owner, thanked_at__isnull=False)
        .order_by()
        .values("person_id")
        .annotate(last=Max("thanked_at"))
        .values_list("person_id", "last")
    )
    landed = ThankYou.objects.filter(owner=owner, sent_at__isnull=False).values_list(
        "person_id", "sent_at"
    )
    for person_id, at in [*thanked, *landed]:
        if at is not None and (person_id not in last or at > last[person_id]):
            last[person_id] = at
    return last


def _thankable(owner: User, tz: Any) -> list[rules.Thankable]:
    """Recipients who said yes or helped and whom the seeker hasn't thanked since, oldest
    first. A thank-you sent after they helped covers it, whichever answer it was for; help given
    after the last thanks still earns a step. Three queries; the candidates are read in order
    only until THANKS_LIMIT are found.
    """
    thanked = _thanked_since(owner)
    rows = (
        Recipient.objects.filter(
            ask__owner=owner,
            status__in=[Recipient.Status.OFFERED, Recipient.Status.DONE],
            thanked_at__isnull=True,
        )
        .order_by("answered_at", "pk")
        .values_list("pk", "person_id", "person__name", "answered_at", "done_at", "sent_at")
    )
    found: list[rules.Thankable] = []
    for pk, person_id, name, answered_at, done_at, sent_at in rows.iterator(chunk_size=100):
        helped_at = answered_at or done_at or sent_at
        last = thanked.get(person_id)
        if last is not None and (helped_at is None or last >= helped_at):
            continue
        found.append(
            rules.Thankable(recipient_id=pk, name=name, answered_on=_local(answered_at, tz))
        )
        if len(found) >= THANKS_LIMIT:
            break
    return found


def _suggested(owner: User, tz: Any) -> list[rules.Suggested]:
    """People a helper suggested ("I can't, but try Ines") on an open ask, not asked since.

    One lean query when there are none (the usual case); when there are, four more for the
    people, the asks, the suggested people's own asks, and whether they opted out. Left out:
    an archived or opted-out suggestion, anyone on an ask made since the suggestion (a draft
    counts: the seeker is on it), and anyone still to answer an ask (or to ask in person).
    """
    rows = list(
        Recipient.objects.filter(
            ask__owner=owner,
            ask__closed_at__isnull=True,
            status=Recipient.Status.SUGGESTED,
            suggested_person__isnull=False,
        )
        .order_by("answered_at", "pk")
        .values_list("pk", "ask_id", "person_id", "suggested_person_id", "answered_at")[
            :SUGGESTED_LIMIT
        ]
    )
    if not rows:
        return []
    ids = sorted({row[3] for row in rows})
    people = {
        pk: (name, key, archived)
        for pk, name, key, archived in Person.objects.filter(
            pk__in=sorted({*ids, *(row[2] for row in rows)})
        ).values_list("pk", "name", "company_key", "archived_at")
    }
    asks = {
        pk: (kind, target_id, target_key)
        for pk, kind, target_id, target_key in Ask.objects.filter(
            pk__in=sorted({row[1] for row in rows})
        ).values_list("pk", "kind", "target_id", "target__company_key")
    }
    asked: dict[int, list[dt.datetime]] = {}  # person -> when each ask to them was made
    waiting: set[int] = set()
    for person_id, status, created_at, closed_at, let_go_at in Recipient.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "status", "ask__created_at", "ask__closed_at", "let_go_at"):
        asked.setdefault(person_id, []).append(created_at)
        if status in AWAITING and closed_at is None and let_go_at is None:
            waiting.add(person_id)
    opted_out = set(
        CircleMember.objects.filter(person_id__in=ids)
        .filter(Q(left_at__isnull=False) | Q(unsubscribed_at__isnull=False))
        .values_list("person_id", flat=True)
    )
    found: list[rules.Suggested] = []
    for pk, ask_id, helper_id, person_id, since in rows:
        name, key, archived = people[person_id]
        if (
            person_id == helper_id  # "try me" is not a suggestion
            or archived is not None
            or person_id in waiting
            or person_id in opted_out
            or any(since is None or made >= since for made in asked.get(person_id, []))
            or any(s.person_id == person_id for s in found)  # named twice: one step
        ):
            continue
        kind, target_id, target_key = asks[ask_id]
        found.append(
            rules.Suggested(
                recipient_id=pk,
                person_id=person_id,
                name=name,
                by=people[helper_id][0],
                kind=kind,
                target_id=target_id if target_id and key and target_key == key else None,
                answered_on=_local(since, tz),
            )
        )
    return found


def _answered(owner: User, now: dt.datetime, tz: Any) -> list[rules.Answered]:
    """Recent answers, each with when that person last answered before it. Two queries."""
    recent = list(
        Recipient.objects.filter(
            ask__owner=owner,
            answered_at__gte=now - dt.timedelta(days=rules.WELCOME_RECENT_DAYS + 1),
        )
        .select_related("person")
        .order_by("-answered_at", "-pk")[:ANSWERED_LIMIT]
    )
    if not recent:
        return []
    earlier: dict[int, list[dt.datetime]] = {}
    for person_id, at in Recipient.objects.filter(
        ask__owner=owner,
        person_id__in=sorted({r.person_id for r in recent}),
        answered_at__isnull=False,
    ).values_list("person_id", "answered_at"):
        assert at is not None  # as filtered
        earlier.setdefault(person_id, []).append(at)
    answered = []
    for r in recent:
        assert r.answered_at is not None  # answered_at >= a date, as filtered
        before = [at for at in earlier.get(r.person_id, []) if at < r.answered_at]
        answered.append(
            rules.Answered(
                recipient_id=r.pk,
                ask_id=r.ask_id,
                name=r.person.name,
                answered_on=_local(r.answered_at, tz),
                previous_on=_local(max(before), tz) if before else None,
            )
        )
    return answered


# The early-ask card ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EarlyAskCard:
    signal: rules.EarlyAsk
    person_id: int
    name: str
    kind: str
    request: str
    url: str  # the ask composer, prefilled


def _inner_ids(owner: User) -> set[int]:
    return set(
        CircleMember.objects.filter(
            owner=owner,
            audience=Audience.INNER,
            left_at__isnull=True,
            unsubscribed_at__isnull=True,
            person__archived_at__isnull=True,
        ).values_list("person_id", flat=True)
    )


def early_ask_card(owner: User, data: rules.StepInputs) -> EarlyAskCard | None:
    """The one small ask to suggest, to one person in the inner circle, or None."""
    signal = rules.early_ask(data, thresholds())
    if signal is None:
        return None
    inner = _inner_ids(owner)
    if not inner:
        return None
    from helpwanted.nudges.selectors import suggestions_for_kind

    kind = signal.kind
    # Only the inner circle is ranked: a handful of rows, however large the network.
    ranking = suggestions_for_kind(owner, kind=kind, only_ids=inner, limit=1)
    if not ranking.people:  # everyone close has opted out of asks
        return None
    chosen = ranking.people[0]
    return EarlyAskCard(
        signal=signal,
        person_id=chosen.id,
        name=chosen.name,
        kind=kind,
        request=rules.early_ask_text(kind, chosen.name),
        url=reverse("asks:new") + "?" + rules.early_ask_query(kind, chosen.id, chosen.name),
    )


def _step_url(step: rules.Step) -> str:
    url = step.path or reverse(step.url_name, args=step.url_args)
    return f"{url}?{step.query}" if step.query else url


def home_steps(owner: User) -> dict[str, Any]:
    """The home page's next steps (each with its URL) and the early-ask card."""
    data = step_inputs(owner)
    steps = [(step, _step_url(step)) for step in rules.next_steps(data)]
    return {
        "next_steps": steps,
        "early_ask": early_ask_card(owner, data),
        "early_ask_key": rules.EARLY_ASK_KEY,
    }


# Actions -----------------------------------------------------------------------------------


@transaction.atomic
def step_snooze(*, owner: User, key: str, days: int) -> Snooze:
    """Hide one of the owner's steps for `days` days (a second snooze moves the date)."""
    if not rules.valid_key(key):
        raise ValueError("Unknown step.")
    until = timezone.now() + dt.timedelta(days=max(1, days))
    snooze, _ = Snooze.objects.update_or_create(owner=owner, key=key, defaults={"until": until})
    return snooze


def early_ask_key(user: User, today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"early-ask:{user.pk}:{year}-W{week:02d}"


def early_ask_emails_send() -> int:
    """Queue at most one early-ask email a week to each seeker who opted in and has a signal.

    The opt-in is the weekly check-in reminder (journey.Search.reminder_enabled): the seeker
    asked for a weekly nudge, and this rides along with it; turning the reminder off (its
    unsubscribe link) stops both. Idempotent: the outbox key is per seeker and ISO week.
    Returns how many emails were newly queued.
    """
    from helpwanted.journey.checkins import reminder_off_value
    from helpwanted.mail.actions import outbox_enqueue
    from helpwanted.mail.models import OutboxMessage

    now = timezone.now()
    searches = list(
        Search.objects.filter(
            reminder_enabled=True, landed_at__isnull=True, owner__is_active=True
        ).select_related("owner")
    )
    keys = {
        s.owner_id: early_ask_key(s.owner, timezone.localtime(now, s.owner.zoneinfo).date())
        for s in searches
    }
    already = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    sent = 0
    for search in searches:
        user = search.owner
        if keys[user.pk] in already:
            continue
        card = early_ask_card(user, step_inputs(user, now=now))
        if card is None:
            continue
        off_url = settings.SITE_URL + reverse(
            "journey:checkin_reminder_off", args=[reminder_off_value(user)]
        )
        with transaction.atomic():
            outbox_enqueue(
                key=keys[user.pk],
                template="early-ask",
                to_email=user.email,
                user=user,
                context={
                    "seeker": user,
                    "card": card,
                    "ask_url": settings.SITE_URL + card.url,
                },
                unsubscribe_url=off_url,
            )
        sent += 1
    return sent
