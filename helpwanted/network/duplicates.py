"""Possible duplicates: pairs of the seeker's people who share a name, and merging them.

A pair is two people (not archived) with the same ``name_key`` whom the seeker has not set
apart with "Not the same person" (``NotSamePerson``). Imports merge a name match only when
nothing tells the two apart (see imports.py); everything else with one name is listed here.

``person_merge`` keeps one person and moves everything of the other to them, in one
transaction: emails, phones, tags and sources are united; empty fields are filled (a field
the seeker edited by hand is never overwritten by one they didn't); notes are joined;
interaction counts are added up; and every row that points at the other person (asks,
circle membership and its links, opportunities, thank-yous, suggestions, the help ledger)
points at the kept person instead. ``RELATIONS`` names every relation to Person, and a test
fails when a new one appears that is not listed there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Count, Q, Subquery
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.network.models import NotSamePerson, Person, Relationship
from helpwanted.network.parsing import union_values

MAX_PAIRS = 50  # listed at once on the review page; more come back after merging some

# Fields filled from the other person when the kept one has them empty.
_FILLED = (
    "nickname",
    "company",
    "position",
    "location",
    "linkedin_url",
    "how_we_know",
    "closeness",
    "connected_on",
    "suggested_by_id",
)
_VAGUE = {Relationship.ACQUAINTANCE, Relationship.OTHER}
_COUNTS = ("messages_count", "asks_count", "answers_count")
_UNSHOWN = {"edited_fields", "created_at", "archived_at", "suggested_by_id", "sources"}


def dismissed_pairs(owner: User) -> set[tuple[int, int]]:
    """Every (lower id, higher id) pair the seeker said are not the same person."""
    rows = NotSamePerson.objects.filter(owner=owner).values_list("first_id", "second_id")
    return {(a, b) for a, b in rows}


@dataclass
class Pair:
    first: Person
    second: Person

    @property
    def keep(self) -> Person:
        return keeper(self.first, self.second)[0]

    @property
    def drop(self) -> Person:
        return keeper(self.first, self.second)[1]


def pair_count(ids: list[int], touched: set[int] | None, dismissed: set[tuple[int, int]]) -> int:
    """Pairs among one name's ids (those with a touched id, when given), less dismissed ones."""
    n = len(ids)
    pairs = n * (n - 1) // 2
    if touched is not None:
        untouched = n - len(touched.intersection(ids))
        pairs -= untouched * (untouched - 1) // 2
    if not dismissed:
        return pairs
    if n * n < 4 * len(dismissed):  # look up each pair of this name
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if (min(a, b), max(a, b)) in dismissed and (
                    touched is None or a in touched or b in touched
                ):
                    pairs -= 1
    else:  # few dismissed pairs: look each up in this name
        present = set(ids)
        for a, b in dismissed:
            if a in present and b in present and (touched is None or a in touched or b in touched):
                pairs -= 1
    return pairs


def duplicate_pairs(owner: User, limit: int = MAX_PAIRS) -> tuple[list[Pair], int]:
    """The first ``limit`` possible duplicates, by name, and how many there are in all.

    Four queries however many people there are: the ids and name keys of people whose
    name_key is shared (one query with a grouped IN subquery), the dismissed pairs, then the
    people in the pairs shown with their tags.
    """
    active = Person.objects.filter(owner=owner, archived_at=None).exclude(name_key="")
    shared = (active.order_by().values("name_key").annotate(n=Count("id")).filter(n__gt=1)).values(
        "name_key"
    )
    rows = active.filter(name_key__in=Subquery(shared)).order_by("name_key", "id")
    groups: dict[str, list[int]] = {}
    for pk, key in rows.values_list("id", "name_key"):
        groups.setdefault(key, []).append(pk)
    if not groups:
        return [], 0
    dismissed = dismissed_pairs(owner)
    by_id_pairs: list[tuple[int, int]] = []
    total = 0
    for ids in groups.values():
        total += pair_count(ids, None, dismissed)
        if len(by_id_pairs) >= limit:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if (a, b) not in dismissed and len(by_id_pairs) < limit:
                    by_id_pairs.append((a, b))
    shown = {pk for pair in by_id_pairs for pk in pair}
    people = active.filter(pk__in=shown).select_related("membership").prefetch_related("tags")
    found = {p.pk: p for p in people.annotate(asked=Count("ask_recipients", distinct=True))}
    pairs = [Pair(found[a], found[b]) for a, b in by_id_pairs if a in found and b in found]
    return pairs, total


def duplicates_count(owner: User) -> int:
    """How many pairs there are to review (one grouped query plus the dismissed pairs)."""
    counts = (
        Person.objects.filter(owner=owner, archived_at=None)
        .exclude(name_key="")
        .values("name_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("n", flat=True)
    )
    pairs = sum(n * (n - 1) // 2 for n in counts)
    if not pairs:
        return 0
    dismissed = NotSamePerson.objects.filter(
        owner=owner, first__archived_at=None, second__archived_at=None
    ).count()
    return max(pairs - dismissed, 0)


def keeper(a: Person, b: Person) -> tuple[Person, Person]:
    """Which of two people to keep by default: the one in the circle, the one asked most,
    then the one the seeker added first. Returns (keep, drop)."""

    def weight(p: Person) -> tuple[int, int, int]:
        member = getattr(p, "membership", None)
        return (
            1 if member is not None and getattr(member, "consented_at", None) else 0,
            1 if member is not None else 0,
            -p.pk,
        )

    return (a, b) if weight(a) >= weight(b) else (b, a)


# --------------------------------------------------------------------------- what a merge does


@dataclass
class MergePlan:
    """What merging ``drop`` into ``keep`` will do, in words and values, before it happens."""

    keep: Person
    drop: Person
    fields: dict[str, Any] = field(default_factory=dict)
    moves: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[tuple[str, str]]:
        """The kept person's fields that change, as (label, new value) in words."""
        out = []
        for name, value in self.fields.items():
            if name in _UNSHOWN:
                continue
            model_field = Person._meta.get_field(name.removesuffix("_id"))
            label = str(getattr(model_field, "verbose_name", name))
            if name == "notes":
                shown = "both sets of notes, one after the other"
            elif name == "relationship":
                shown = str(Relationship(value).label)
            elif isinstance(value, list):
                shown = ", ".join(str(v) for v in value)
            elif name in _COUNTS:
                shown = f"{value} in all"
            else:
                shown = str(value)
            out.append((label[:1].upper() + label[1:], shown))
        return out


def _text(value: Any) -> bool:
    return value not in (None, "", [])


def merged_fields(keep: Person, drop: Person) -> dict[str, Any]:
    """The kept person's fields after the merge (only those that change)."""
    out: dict[str, Any] = {}
    kept_edits, drop_edits = set(keep.edited_fields), set(drop.edited_fields)
    if keep.name != drop.name and "name" in drop_edits and "name" not in kept_edits:
        out["name"] = drop.name
    for name in _FILLED:
        mine, theirs = getattr(keep, name), getattr(drop, name)
        if not _text(theirs) or mine == theirs:
            continue
        base = name.removesuffix("_id")
        if not _text(mine) or (base in drop_edits and base not in kept_edits):
            out[name] = theirs
    suggested = out.get("suggested_by_id", keep.suggested_by_id)
    if suggested in (keep.pk, drop.pk):  # nobody suggests themselves
        out["suggested_by_id"] = None
    if keep.relationship in _VAGUE and drop.relationship not in _VAGUE:
        out["relationship"] = drop.relationship
    for name, fold in (("emails", True), ("phones", False), ("sources", False)):
        union = union_values(getattr(keep, name), getattr(drop, name), fold)
        if union != getattr(keep, name):
            out[name] = union
    if drop.notes.strip() and drop.notes.strip() not in keep.notes:
        out["notes"] = f"{keep.notes.rstrip()}\n\n{drop.notes.strip()}".strip()
    for name in _COUNTS:
        if getattr(drop, name):
            out[name] = getattr(keep, name) + getattr(drop, name)
    if keep.connected_on and drop.connected_on and drop.connected_on < keep.connected_on:
        out["connected_on"] = drop.connected_on
    if drop.created_at < keep.created_at:
        out["created_at"] = drop.created_at
    if keep.archived_at and not drop.archived_at:
        out["archived_at"] = None
    edited = union_values(keep.edited_fields, drop.edited_fields, fold=False)
    if edited != keep.edited_fields:
        out["edited_fields"] = edited
    return out


def merge_plan(keep: Person, drop: Person) -> MergePlan:
    """Say what a merge will do: the fields it fills and what moves across."""
    plan = MergePlan(keep=keep, drop=drop, fields=merged_fields(keep, drop))
    for person in (keep, drop):
        person.asked = person.ask_recipients.count()  # type: ignore[attr-defined]
    asked = drop.asked  # type: ignore[attr-defined]
    if asked:
        plan.moves.append(f"{asked} ask{'s' if asked != 1 else ''}, with their history")
    tags = drop.tags.exclude(pk__in=keep.tags.values("pk")).count()
    if tags:
        plan.moves.append(f"{tags} tag{'s' if tags != 1 else ''}")
    if getattr(drop, "membership", None) is not None:
        if getattr(keep, "membership", None) is None:
            plan.moves.append("their place in your circle and their link")
        else:
            plan.moves.append("their circle membership joins the one you keep")
    helped = drop.opportunities_helped.count() + drop.referrals.count()
    if helped:
        plan.moves.append(f"{helped} opportunit{'ies' if helped != 1 else 'y'} they helped with")
    if drop.thank_yous.exists():
        plan.moves.append("your thank-you to them")
    return plan


# --------------------------------------------------------------------------- moving relations

_RECIPIENT_ORDER = [
    "draft",
    "to_ask",
    "sent",
    "opened",
    "declined",
    "not_now",
    "suggested",
    "offered",
    "done",
    "thanked",
]


def _manager(rel: models.ForeignObjectRel) -> Any:
    # The base manager: a default manager may hide rows (an opportunity waiting for Undo after
    # a delete), and a merge must move those too, or they lose their link to the person.
    model = rel.related_model
    assert isinstance(model, type)
    return model._base_manager


def _advanced(recipient: Any) -> tuple[int, int]:
    status = recipient.status
    rank = _RECIPIENT_ORDER.index(status) if status in _RECIPIENT_ORDER else 0
    return (rank, -recipient.pk)


def _move_recipients(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    """An ask both were asked keeps the more advanced row; the other's history joins it."""
    manager: Any = _manager(rel)
    kept_rows = {r.ask_id: r for r in manager.filter(person=keep)}
    for row in manager.filter(person=drop).select_for_update():
        other = kept_rows.get(row.ask_id)
        if other is None:
            continue
        winner, loser = (row, other) if _advanced(row) > _advanced(other) else (other, row)
        for name in ("personal_line", "answer_message", "offer_when", "outcome", "thanks_text"):
            if not getattr(winner, name) and getattr(loser, name):
                setattr(winner, name, getattr(loser, name))
        for child in loser._meta.related_objects:
            if child.one_to_many:
                child.related_model._base_manager.filter(**{child.field.name: loser}).update(
                    **{child.field.name: winner}
                )
        loser.delete()
        winner.save()
    manager.filter(person=drop).update(person=keep)


def _member_weight(member: Any) -> tuple[int, int, int, int]:
    order = {"inner": 3, "supporters": 2, "network": 1}
    return (
        1 if getattr(member, "consented_at", None) else 0,
        0 if member.left_at else 1,
        order.get(member.audience, 0),
        -member.pk,
    )


def _move_membership(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    """One circle membership each: keep the one with consent and the most access; the other's
    links and replies move to it (its live links switched off when the kept one has one)."""
    manager: Any = _manager(rel)
    theirs = manager.filter(person=drop).select_for_update().first()
    if theirs is None:
        return
    mine = manager.filter(person=keep).select_for_update().first()
    if mine is None:
        manager.filter(pk=theirs.pk).update(person=keep)
        return
    winner, loser = (
        (theirs, mine) if _member_weight(theirs) > _member_weight(mine) else (mine, theirs)
    )
    for name in ("invited_at", "consented_at"):
        if getattr(winner, name) is None and getattr(loser, name) is not None:
            setattr(winner, name, getattr(loser, name))
    if hasattr(winner, "consent_via") and not winner.consent_via and loser.consent_via:
        winner.consent_via = loser.consent_via
    for child in loser._meta.related_objects:
        if not child.one_to_many:
            continue
        rows = child.related_model._base_manager.filter(**{child.field.name: loser})
        if child.name == "grants":
            live = child.related_model._base_manager.filter(
                **{child.field.name: winner}, revoked_at=None
            )
            if live.exists():  # one live link per member: the kept member's stays
                rows.filter(revoked_at=None).update(revoked_at=timezone.now())
        rows.update(**{child.field.name: winner})
    loser.delete()
    winner.person = keep
    winner.save()


def _move_helpers(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    through = rel.through  # type: ignore[attr-defined]
    column = rel.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
    other = rel.field.m2m_field_name()  # type: ignore[attr-defined]
    have = through.objects.filter(**{column: keep}).values(other)
    through.objects.filter(**{column: drop}, **{f"{other}__in": have}).delete()
    through.objects.filter(**{column: drop}).update(**{column: keep})


def _move_thank_yous(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    """One landing thank-you per person: keep the one that was sent, else the kept one's."""
    manager: Any = _manager(rel)
    theirs = manager.filter(person=drop).first()
    if theirs is None:
        return
    mine = manager.filter(person=keep).first()
    if mine is not None and (mine.sent_at or not theirs.sent_at):
        theirs.delete()
        return
    if mine is not None:
        mine.delete()
    manager.filter(pk=theirs.pk).update(person=keep)


def _move_not_same(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    """Whoever the other person was not, the kept one is not either."""
    rows = NotSamePerson.objects.filter(Q(first=drop) | Q(second=drop))
    pairs = dismissed_pairs(keep.owner)
    for row in list(rows):
        other = row.second_id if row.first_id == drop.pk else row.first_id
        row.delete()
        if other == keep.pk:
            continue
        pair = (min(other, keep.pk), max(other, keep.pk))
        if pair not in pairs:
            pairs.add(pair)
            NotSamePerson.objects.create(owner=keep.owner, first_id=pair[0], second_id=pair[1])


def _move_plainly(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    _manager(rel).filter(**{rel.field.name: drop}).update(**{rel.field.name: keep})


def _skip(rel: models.ForeignObjectRel, keep: Person, drop: Person) -> None:
    """Handled with the person's own fields (suggested_by on the kept person)."""


Mover = Callable[[models.ForeignObjectRel, Person, Person], None]

# Every relation that points at a Person, "app_label.Model.field", and how a merge moves it.
RELATIONS: dict[str, Mover] = {
    "asks.Recipient.person": _move_recipients,
    "asks.Recipient.suggested_person": _move_plainly,
    "asks.HelpGiven.person": _move_plainly,
    "circle.CircleMember.person": _move_membership,
    "journey.Opportunity.referred_by": _move_plainly,
    "journey.Opportunity.helpers": _move_helpers,
    "journey.ThankYou.person": _move_thank_yous,
    "mail.InboundMessage.person": _move_plainly,  # their replies by email follow them
    "network.Person.suggested_by": _move_plainly,
    "network.NotSamePerson.first": _move_not_same,
    "network.NotSamePerson.second": _skip,  # _move_not_same handles both columns
    "network.Person_tags.person": _skip,  # the tags are united with the kept person's
    "journey.Opportunity_helpers.person": _skip,  # moved by journey.Opportunity.helpers
}


def relation_label(rel: models.ForeignObjectRel) -> str:
    model = rel.related_model
    assert isinstance(model, type)
    return f"{model._meta.app_label}.{model.__name__}.{rel.field.name}"


def person_relations() -> list[models.ForeignObjectRel]:
    return [
        f
        for f in Person._meta.get_fields(include_hidden=True)
        if isinstance(f, models.ForeignObjectRel)
    ]


def person_merge(*, keep: Person, drop: Person) -> Person:
    """Merge ``drop`` into ``keep``: one person, nothing lost. Both must have one owner."""
    assert keep.owner_id == drop.owner_id and keep.pk != drop.pk
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Person.objects.select_for_update()
            .filter(pk__in=[keep.pk, drop.pk], owner_id=keep.owner_id)
            .select_related("owner")
        }
        keep, drop = locked[keep.pk], locked[drop.pk]
        values = merged_fields(keep, drop)
        for rel in person_relations():
            RELATIONS.get(relation_label(rel), _move_plainly)(rel, keep, drop)
        keep.tags.add(*drop.tags.all())
        for name, value in values.items():
            setattr(keep, name, value)
        keep.updated_at = timezone.now()
        drop.delete()
        # suggested_by is always written: moving "suggested by the other" may have pointed the
        # kept person at themselves in the database.
        names = {*values, "suggested_by_id", *keep.refresh_keys(), "updated_at"}
        keep.save(update_fields=sorted(n.removesuffix("_id") for n in names))
    return keep


def pair_dismiss(*, first: Person, second: Person) -> None:
    """Remember that two people with one name are not the same person."""
    assert first.owner_id == second.owner_id and first.pk != second.pk
    a, b = sorted([first.pk, second.pk])
    with transaction.atomic():
        NotSamePerson.objects.get_or_create(owner_id=first.owner_id, first_id=a, second_id=b)


def same_name_people(person: Person) -> list[Person]:
    """The seeker's other people with this person's name, not set apart from them (2 queries)."""
    if not person.name_key or person.archived_at:
        return []
    apart = NotSamePerson.objects.filter(Q(first=person) | Q(second=person)).values_list(
        "first_id", "second_id"
    )
    set_apart = {pk for pair in apart for pk in pair}
    others = Person.objects.filter(
        owner_id=person.owner_id, name_key=person.name_key, archived_at=None
    ).exclude(pk=person.pk)
    return [p for p in others.order_by("id")[:5] if p.pk not in set_apart]
