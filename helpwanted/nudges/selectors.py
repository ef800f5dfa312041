"""Reads for "whom to ask": load what the ranking needs in a fixed handful of queries.

Six queries whatever the size of the account (30,000 people costs the same number as three):
the people's needed fields, their ask history (one GROUP BY), circle memberships, targets,
active opportunities, and the ask's own recipients. Company names are matched loosely once per
distinct target or opportunity company, against the distinct company keys of the people.

The companies an ask names in its words (request and why) are found without another query:
the people's company keys are already loaded, and `ranking.mentioned_company_keys` looks for
them in the text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.circle.models import CircleMember
from helpwanted.journey.models import ACTIVE_STAGES, Opportunity
from helpwanted.network.models import Person, Target
from helpwanted.network.selectors import matching_company_keys
from helpwanted.nudges.ranking import (
    AskContext,
    Candidate,
    CompanyLink,
    Ranking,
    mentioned_company_keys,
    rank,
    usual_relationships,
    words,
)

__all__ = [
    "PERSON_FIELDS",
    "load_candidates",
    "suggestions_for_ask",
    "suggestions_for_kind",
    "suggestions_for_target",
]

# The only Person fields the ranking reads, in Candidate's order.
PERSON_FIELDS = (
    "id",
    "name",
    "relationship",
    "closeness",
    "messages_count",
    "company",
    "company_key",
    "position",
    "connected_on",
)
# One row of PERSON_FIELDS' values, then suggested_by_id.
type _PersonRow = tuple[int, str, str, int | None, int, str, str, str, date | None, int | None]
# "I can't, but try …" is a kind no: the helper pointed elsewhere, so it isn't a yes.
SAID_YES = (
    Recipient.Status.OFFERED,
    Recipient.Status.DONE,
    Recipient.Status.THANKED,
)
# Still to answer (or still to be asked in person): nobody is suggested for a new ask then.
AWAITING = (*Recipient.WAITING, Recipient.Status.TO_ASK)
# An application counts as "under way" for this long after its last move.
OPPORTUNITY_DAYS = 90
_STAGE_ORDER: dict[str, int] = {stage: i for i, stage in enumerate(ACTIVE_STAGES)}
_NO_HISTORY = (0, 0, None, 0, 0)
_NO_MEMBER = ("", False)


def _local_date(moment: datetime | None, tz: tzinfo) -> date | None:
    return timezone.localtime(moment, tz).date() if moment is not None else None


def load_candidates(
    owner: User,
    *,
    company_keys: set[str] | None = None,
    exclude_ids: set[int] | frozenset[int] = frozenset(),
    only_ids: set[int] | None = None,
) -> list[Candidate]:
    """The owner's non-archived people (optionally only at `company_keys`, or only `only_ids`),
    with history.

    Three queries: people, their ask history grouped by person, circle memberships. A
    recipient still to ask in person counts as asked and as waiting ("don't ask again").
    """
    tz = owner.zoneinfo
    people = Person.objects.filter(owner=owner, archived_at__isnull=True)
    recipients = Recipient.objects.filter(ask__owner=owner).exclude(status=Recipient.Status.DRAFT)
    members = CircleMember.objects.filter(owner=owner)
    if only_ids is not None:
        ids = sorted(only_ids)
        people = people.filter(id__in=ids)
        recipients = recipients.filter(person_id__in=ids)
        members = members.filter(person_id__in=ids)
    if company_keys is not None:
        people = people.filter(company_key__in=sorted(company_keys))
        recipients = recipients.filter(person__company_key__in=sorted(company_keys))
        members = members.filter(person__company_key__in=sorted(company_keys))
    live = Q(ask__closed_at__isnull=True)
    history = {
        pid: (asked, yes, _local_date(last, tz), open_, waiting)  # Candidate's order
        for pid, asked, yes, last, open_, waiting in recipients.order_by()
        .values("person_id")
        .annotate(
            asked=Count("id"),
            yes=Count("id", filter=Q(status__in=SAID_YES)),
            last=Max("sent_at"),
            open=Count("id", filter=Q(status__in=Recipient.CAPPED) & live),
            waiting=Count("id", filter=Q(status__in=AWAITING, let_go_at__isnull=True) & live),
        )
        .values_list("person_id", "asked", "yes", "last", "open", "waiting")
    }
    membership = {
        pid: (audience, left is not None or unsubscribed is not None)
        for pid, audience, left, unsubscribed in members.values_list(
            "person_id", "audience", "left_at", "unsubscribed_at"
        )
    }
    rows: list[_PersonRow] = list(people.order_by().values_list(*PERSON_FIELDS, "suggested_by_id"))
    names = _suggester_names(owner, rows)
    # Positional, in Candidate's field order: this runs once per person.
    return [
        Candidate(
            *row[:-1],
            *history.get(row[0], _NO_HISTORY),
            *membership.get(row[0], _NO_MEMBER),
            names.get(row[-1], "") if row[-1] is not None else "",
        )
        for row in rows
        if row[0] not in exclude_ids
    ]


def _suggester_names(owner: User, rows: list[_PersonRow]) -> dict[int, str]:
    """The names of the people who suggested someone in `rows` ("I can't, but try …"), from
    the same rows, plus one small query for any outside them (only when ranking a subset)."""
    wanted = {row[-1] for row in rows if row[-1] is not None}
    if not wanted:
        return {}
    names = {row[0]: row[1] for row in rows if row[0] in wanted}
    missing = wanted - names.keys()
    if missing:
        names.update(
            Person.objects.filter(owner=owner, id__in=sorted(missing)).values_list("id", "name")
        )
    return names


def _companies(owner: User, keys: set[str], today: date) -> dict[str, CompanyLink]:
    """Company keys of the seeker's people that match a target or a live application.

    Two queries: targets, and opportunities in an active stage that moved recently.
    """
    tz = owner.zoneinfo
    links: dict[str, CompanyLink] = {}
    since = timezone.now() - timedelta(days=OPPORTUNITY_DAYS)
    best: dict[str, tuple[str, date | None]] = {}  # company name -> stage, on
    opportunities = (
        Opportunity.objects.filter(
            owner=owner, stage__in=ACTIVE_STAGES, stage_changed_at__gte=since
        )
        .order_by("-stage_changed_at", "-id")
        .values_list("company", "stage", "stage_changed_at")
    )
    for company, stage, changed in opportunities:
        current = best.get(company)
        if current is None or _STAGE_ORDER[stage] > _STAGE_ORDER[current[0]]:
            best[company] = (stage, _local_date(changed, tz))
    for company, (stage, on) in best.items():
        for key in matching_company_keys(company, keys):
            link = links.get(key)
            if link is None or _STAGE_ORDER[stage] > _STAGE_ORDER.get(link.stage, -1):
                links[key] = CompanyLink(company=company, stage=stage, stage_on=on)
    for company in Target.objects.filter(owner=owner).values_list("company", flat=True):
        for key in matching_company_keys(company, keys):
            link = links.get(key)
            links[key] = CompanyLink(
                company=link.company if link else company,
                target=True,
                stage=link.stage if link else "",
                stage_on=link.stage_on if link else None,
            )
    return links


def _field_words(owner: User) -> frozenset[str]:
    roles = Opportunity.objects.filter(owner=owner, stage__in=ACTIVE_STAGES).values_list(
        "role", flat=True
    )
    return words(" ".join(sorted(set(roles[:200]))))


def _spellings(candidates: list[Candidate], keys: frozenset[str]) -> dict[str, str]:
    """For each company key, the company as most of the seeker's people there write it."""
    counts: dict[str, dict[str, int]] = {}
    for c in candidates:
        if c.company_key in keys and c.company:
            names = counts.setdefault(c.company_key, {})
            names[c.company] = names.get(c.company, 0) + 1
    return {
        key: min(names, key=lambda name: (-names[name], len(name), name))
        for key, names in counts.items()
    }


def suggestions_for_kind(
    owner: User,
    *,
    kind: str,
    text: str = "",
    why: str = "",
    focus: Target | None = None,
    exclude_ids: set[int] | frozenset[int] = frozenset(),
    only_focus: bool = False,
    only_ids: set[int] | None = None,
    limit: int | None = 10,
) -> Ranking:
    """Rank the owner's people for an ask of `kind` (about `text`, optionally at `focus`).

    The ask is also about any company its words name (`text` and `why`), matched loosely
    against the company keys of the people loaded: no extra query. `only_ids` ranks just those
    people (the early-ask card ranks the inner circle, a handful, rather than the whole
    network).
    """
    today = timezone.localtime(timezone.now(), owner.zoneinfo).date()
    company_keys = None
    if focus is not None and only_focus:
        distinct = (
            Person.objects.filter(owner=owner, archived_at__isnull=True)
            .exclude(company_key="")
            .order_by()
            .values_list("company_key", flat=True)
            .distinct()
        )
        company_keys = matching_company_keys(focus.company, distinct)
        if not company_keys:
            return Ranking(people=[], wildcard=None, considered=0)
    candidates = load_candidates(
        owner, company_keys=company_keys, exclude_ids=exclude_ids, only_ids=only_ids
    )
    keys = {c.company_key for c in candidates if c.company_key}
    focus_keys = set(company_keys or ())
    if focus is not None and company_keys is None:
        focus_keys |= matching_company_keys(focus.company, keys)
    focus_names: dict[str, str] = {}
    if company_keys is None and (text or why):
        named = set()
        for key in mentioned_company_keys(f"{text}\n{why}", keys) - focus_keys:
            named |= matching_company_keys(key, keys)  # "Lumen Labs" and "Lumen Lab"
        named -= focus_keys
        focus_keys |= named
        focus_names = _spellings(candidates, frozenset(named))
    ctx = AskContext(
        kind=kind,
        today=today,
        words=words(text),
        field_words=_field_words(owner),
        companies=_companies(owner, keys, today),
        focus_keys=frozenset(focus_keys),
        focus_company=focus.company if focus is not None else "",
        focus_names=focus_names,
        usual_relationships=usual_relationships(candidates),
        open_cap=settings.ASK_OPEN_CAP,
    )
    return rank(candidates, ctx, limit=limit)


def suggestions_for_ask(ask: Ask, *, owner: User, limit: int = 10) -> Ranking:
    """People to add to this ask: its kind, its words, its target and the companies its words
    name; not those already on it. `owner` is the ask's owner (the signed-in seeker), passed
    to save a query.
    """
    already = set(ask.recipients.values_list("person_id", flat=True))
    return suggestions_for_kind(
        owner,
        kind=ask.kind,
        text=ask.request,
        why=ask.why,
        focus=ask.target,
        exclude_ids=already,
        limit=limit,
    )


def suggestions_for_target(
    target: Target, *, owner: User, kind: str = "referral", limit: int = 10
) -> Ranking:
    """The people to ask at this target company, best first. `owner` is the target's owner."""
    return suggestions_for_kind(
        owner, kind=kind, text=target.why, focus=target, only_focus=True, limit=limit
    )
