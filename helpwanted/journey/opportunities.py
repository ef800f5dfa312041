"""Opportunities: the one access check, the actions that write them, and the reads.

Every read here costs a fixed number of queries, however many opportunities or people the
seeker has: the board is one query, the list two, an opportunity's page a handful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.http import AuthedRequest
from helpwanted.accounts.models import User
from helpwanted.journey.models import Opportunity, Stage, StageChange
from helpwanted.network.companies import company_key
from helpwanted.network.models import Person, Target
from helpwanted.network.parsing import normalise_name
from helpwanted.network.selectors import matching_company_keys

__all__ = [
    "CLOSED_STAGES",
    "STAGE_ORDER",
    "BoardColumn",
    "board_columns",
    "find_people",
    "get_opportunity_for_seeker",
    "opportunity_create",
    "opportunities_purge",
    "opportunity_delete",
    "opportunity_helper_add",
    "opportunity_helper_remove",
    "opportunity_helpers",
    "opportunity_history",
    "opportunity_move",
    "opportunity_restore",
    "opportunity_rows",
    "opportunity_update",
    "people_named",
    "referral_ask_url",
    "target_for_company",
]

STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)
CLOSED_STAGES: tuple[str, ...] = (Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN)
UNDO_DAYS = 7  # how long a deleted opportunity can be restored before it is gone for good
CLOSED_COLUMN_LIMIT = 25  # the board shows the latest few; the list shows them all
EDITABLE_FIELDS = ("company", "role", "link", "source", "referred_by", "notes")


class OpportunityError(ValueError):
    """An action was asked to do something it must not (another seeker's person, a bad stage)."""


# --- access -------------------------------------------------------------------------------


def get_opportunity_for_seeker(
    request: AuthedRequest, opportunity_id: int, *, deleted: bool = False
) -> Opportunity:
    """The seeker's own opportunity, or 404. The only way a view reaches one.

    With `deleted=True`, only one the seeker deleted and can still restore (for Undo).
    """
    if deleted:
        return get_object_or_404(
            Opportunity.all_objects, pk=opportunity_id, owner=request.user, deleted_at__isnull=False
        )
    return get_object_or_404(
        Opportunity.objects.select_related("target", "referred_by"),
        pk=opportunity_id,
        owner=request.user,
    )


# --- actions ------------------------------------------------------------------------------


def _tidy(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise OpportunityError(f"Not an opportunity field: {', '.join(sorted(unknown))}")
    tidy = dict(fields)
    for name in ("company", "role"):
        if name in tidy:
            tidy[name] = " ".join((tidy[name] or "").split())
    for name in ("link", "notes"):
        if name in tidy:
            tidy[name] = (tidy[name] or "").strip()
    return tidy


def _check_person(owner_id: int, person: Person | None) -> None:
    if person is not None and person.owner_id != owner_id:
        raise OpportunityError("That person is not one of this seeker's people.")


def _check_stage(stage: str) -> None:
    if stage not in STAGE_ORDER:
        raise OpportunityError(f"Not a stage: {stage!r}")


def opportunity_create(
    *, owner: User, fields: dict[str, Any], stage: str = Stage.IDEA
) -> Opportunity:
    """Add an opportunity at its first stage, linked to a matching target, with its history begun.

    `fields` holds any of company, role, link, source, referred_by (a Person) and notes.
    The referrer is not copied into `helpers`: "I got the job" thanks both, each once.
    """
    fields = _tidy(fields)
    _check_stage(stage)
    _check_person(owner.pk, fields.get("referred_by"))
    now = timezone.now()
    with transaction.atomic():
        opportunity = Opportunity(
            owner=owner, stage=stage, stage_changed_at=now, created_at=now, **fields
        )
        opportunity.company_key = company_key(opportunity.company)
        opportunity.target = target_for_company(owner, opportunity.company)
        opportunity.save()
        StageChange.objects.create(opportunity=opportunity, from_stage="", to_stage=stage, at=now)
    return opportunity


def opportunity_update(*, opportunity: Opportunity, fields: dict[str, Any]) -> list[str]:
    """Save the seeker's edits; returns the names of the fields that changed.

    A changed company name re-links the opportunity to the matching target (or none).
    Stages never change here: see opportunity_move.
    """
    fields = _tidy(fields)
    _check_person(opportunity.owner_id, fields.get("referred_by"))
    changed = [name for name, value in fields.items() if getattr(opportunity, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(opportunity, name, fields[name])
        update_fields = list(changed)
        if "company" in changed:
            opportunity.company_key = company_key(opportunity.company)
            opportunity.target = target_for_company(opportunity.owner, opportunity.company)
            update_fields += ["company_key", "target"]
        opportunity.save(update_fields=update_fields)
    return changed


def opportunity_delete(*, opportunity: Opportunity) -> None:
    """Delete an opportunity: it leaves the board, the list, home, insights and next steps at once.

    Nothing else changes, so Undo (opportunity_restore) puts it back exactly as it was, with its
    history, helpers and the updates that mention it. UNDO_DAYS later the tick removes it and its
    history for good (opportunities_purge).
    """
    now = timezone.now()
    with transaction.atomic():
        Opportunity.all_objects.filter(pk=opportunity.pk, deleted_at__isnull=True).update(
            deleted_at=now
        )
    opportunity.deleted_at = now


def opportunity_restore(*, opportunity: Opportunity) -> bool:
    """Undo a delete. False if it was not deleted (a second Undo changes nothing)."""
    with transaction.atomic():
        restored = Opportunity.all_objects.filter(
            pk=opportunity.pk, deleted_at__isnull=False
        ).update(deleted_at=None)
    opportunity.deleted_at = None
    return bool(restored)


def opportunities_purge() -> int:
    """Tick job: remove for good the opportunities deleted more than UNDO_DAYS ago."""
    cutoff = timezone.now() - timedelta(days=UNDO_DAYS)
    with transaction.atomic():
        _, removed = Opportunity.all_objects.filter(deleted_at__lt=cutoff).delete()
    return removed.get(Opportunity._meta.label, 0)


def opportunity_move(*, opportunity: Opportunity, stage: str, note: str = "") -> StageChange | None:
    """Move an opportunity to `stage`, recording the change truthfully.

    Any stage may follow any other (people do hear back out of order); the history says
    exactly what happened. Moving to the stage it is already at changes nothing and returns
    None. The row is locked while moving, so two moves at once both land in the history.
    """
    _check_stage(stage)
    note = " ".join(note.split())[:500]
    with transaction.atomic():
        current = Opportunity.objects.select_for_update().only("stage").get(pk=opportunity.pk).stage
        if current == stage:
            opportunity.stage = current
            return None
        now = timezone.now()
        change = StageChange.objects.create(
            opportunity=opportunity, from_stage=current, to_stage=stage, note=note, at=now
        )
        opportunity.stage, opportunity.stage_changed_at = stage, now
        opportunity.save(update_fields=["stage", "stage_changed_at"])
    return change


def opportunity_helper_add(*, opportunity: Opportunity, person: Person) -> None:
    """Record that `person` helped with this opportunity (adding them twice is harmless)."""
    _check_person(opportunity.owner_id, person)
    with transaction.atomic():
        opportunity.helpers.add(person)


def opportunity_helper_remove(*, opportunity: Opportunity, person: Person) -> None:
    with transaction.atomic():
        opportunity.helpers.remove(person)


# --- reads --------------------------------------------------------------------------------


def target_for_company(owner: User, company: str) -> Target | None:
    """The seeker's target for this company: same key first, else a loose match. One query."""
    key = company_key(company)
    if not key:
        return None
    targets = list(Target.objects.filter(owner=owner).only("id", "company", "company_key"))
    for target in targets:
        if target.company_key == key:
            return target
    matched = matching_company_keys(company, [target.company_key for target in targets])
    return next((target for target in targets if target.company_key in matched), None)


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list[Opportunity] = field(default_factory=list)
    total: int = 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES


def board_columns(owner: User) -> list[BoardColumn]:
    """One column per stage, in pipeline order, most recently moved first. One query.

    Closed columns (accepted, rejected, withdrawn) keep only their latest few cards; the
    list view has the rest.
    """
    columns = {stage: BoardColumn(stage, label) for stage, label in Stage.choices}
    rows = Opportunity.objects.filter(owner=owner).only(
        "id", "company", "role", "stage", "stage_changed_at"
    )
    for opportunity in rows:  # Meta.ordering: most recently moved first
        column = columns.get(opportunity.stage)
        if column is None:
            continue
        column.total += 1
        if not column.is_closed or len(column.cards) < CLOSED_COLUMN_LIMIT:
            column.cards.append(opportunity)
    return list(columns.values())


SORTS = {
    "date": ("-stage_changed_at", "-id"),
    "-date": ("stage_changed_at", "id"),
    "stage": ("stage_rank", "-stage_changed_at", "-id"),
    "-stage": ("-stage_rank", "-stage_changed_at", "-id"),
    "company": ("company_key", "company", "id"),
    "-company": ("-company_key", "-company", "-id"),
}


def opportunity_rows(owner: User, *, sort: str = "date", stage: str = "") -> QuerySet[Opportunity]:
    """The seeker's opportunities for the list view, sorted by one of SORTS."""
    rank = Case(
        *(When(stage=value, then=Value(i)) for i, value in enumerate(STAGE_ORDER)),
        output_field=IntegerField(),
    )
    rows = (
        Opportunity.objects.filter(owner=owner)
        .only("id", "company", "company_key", "role", "stage", "stage_changed_at")
        .annotate(stage_rank=rank)
    )
    if stage in STAGE_ORDER:
        rows = rows.filter(stage=stage)
    return rows.order_by(*SORTS.get(sort, SORTS["date"]))


def opportunity_history(opportunity: Opportunity) -> list[StageChange]:
    """Every stage change, oldest first. One query."""
    return list(opportunity.history.all())


def opportunity_helpers(opportunity: Opportunity) -> list[Person]:
    return list(opportunity.helpers.order_by("name", "id"))


def _active_people(owner: User) -> QuerySet[Person]:
    return Person.objects.filter(owner=owner, archived_at__isnull=True)


def find_people(
    owner: User, query: str, *, limit: int = 10, exclude: QuerySet | list[int] | None = None
) -> list[Person]:
    """Up to `limit` of the seeker's people whose name (or company) contains `query`."""
    query = " ".join(query.split())
    if not query:
        return []
    people = _active_people(owner).filter(Q(name__icontains=query) | Q(company__icontains=query))
    if exclude is not None:
        people = people.exclude(pk__in=exclude)
    return list(people.order_by("name", "id")[:limit])


def people_named(owner: User, name: str, *, limit: int = 10) -> list[Person]:
    """The seeker's people whose name is `name`, ignoring case, accents and punctuation."""
    key = normalise_name(name)
    if not key:
        return []
    return list(_active_people(owner).filter(name_key=key).order_by("name", "id")[:limit])


def referral_ask_url(opportunity: Opportunity, people: list[Person]) -> str:
    """The ask composer, pre-filled: a referral, about this company, to the people known there."""
    params: list[tuple[str, object]] = [("kind", "referral")]
    if opportunity.target_id:
        params.append(("target", opportunity.target_id))
    params += [("to", person.pk) for person in people]
    return reverse("asks:new") + "?" + urlencode(params)
