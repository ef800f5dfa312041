"""Writes to the seeker's people. Imports live in imports.py, targets in targets.py."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.network.models import IMPORTABLE_FIELDS, Person, Source, Tag


def _set_tags(person: Person, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(owner=person.owner, name__in=names)}
    tags = [existing.get(n) or Tag.objects.create(owner=person.owner, name=n) for n in names]
    person.tags.set(tags)


def person_create(
    *,
    owner: User,
    fields: dict[str, Any],
    tags: list[str] | None = None,
    source: str = Source.MANUAL,
) -> Person:
    with transaction.atomic():
        person = Person(owner=owner, sources=[source], **fields)
        # Whatever the seeker typed by hand is theirs: imports will never overwrite it.
        person.edited_fields = [f for f in IMPORTABLE_FIELDS if fields.get(f)]
        person.refresh_keys()
        person.save()
        if tags:
            _set_tags(person, tags)
    return person


def _clear_bounce(person: Person) -> list[str]:
    """The seeker edited their email: a bounce on the old address no longer stands (the new one
    is emailed again). Returns the fields it cleared."""
    if not (person.bounced_email or person.bounced_at):
        return []
    person.bounced_email, person.bounced_at = "", None
    person.bounce_status = person.bounce_detail = ""
    return ["bounced_email", "bounced_at", "bounce_status", "bounce_detail"]


def person_update(
    *, person: Person, fields: dict[str, Any], tags: list[str] | None = None
) -> list[str]:
    """Save the fields the seeker changed by hand (tags=None leaves tags alone)."""
    with transaction.atomic():
        changed = list(fields)
        for name, value in fields.items():
            setattr(person, name, value)
        edited = [f for f in changed if f in IMPORTABLE_FIELDS and f not in person.edited_fields]
        person.edited_fields = [*person.edited_fields, *edited]
        person.updated_at = timezone.now()
        cleared = _clear_bounce(person) if "emails" in changed else []
        person.save(
            update_fields=[
                *changed,
                *person.refresh_keys(),
                *cleared,
                "edited_fields",
                "updated_at",
            ]
        )
        if tags is not None:
            _set_tags(person, tags)
            changed.append("tags")
    return changed


def person_archive(*, person: Person) -> None:
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at"])


def person_restore(*, person: Person) -> None:
    person.archived_at = None
    person.save(update_fields=["archived_at"])


def person_delete(*, person: Person) -> None:
    with transaction.atomic():
        person.delete()


def people_brainstorm(*, owner: User, people: list[tuple[str, str]], prompt: str) -> list[Person]:
    """Add several people at once from a brainstorm prompt, skipping names already there."""
    from helpwanted.network.parsing import normalise_name

    with transaction.atomic():
        known = set(
            Person.objects.filter(
                owner=owner, name_key__in=[normalise_name(n) for n, _ in people]
            ).values_list("name_key", flat=True)
        )
        created = []
        for name, relationship in people:
            person = Person(
                owner=owner,
                name=name,
                relationship=relationship,
                how_we_know=prompt,
                sources=[Source.BRAINSTORM],
                edited_fields=["name"],
            )
            person.refresh_keys()
            if person.name_key in known:
                continue
            known.add(person.name_key)
            created.append(person)
        Person.objects.bulk_create(created)
    return created
