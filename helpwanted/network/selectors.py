"""Reads for targets and "who do I know at X?".

Company names match loosely (companies.companies_match): "Acme Inc." = "ACME Corporation" =
"acme". Every query here is bounded: a seeker with 30,000 people costs the same number of
queries as one with three.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, QuerySet
from rapidfuzz import fuzz, process

from helpwanted.accounts.models import User
from helpwanted.network.companies import (
    FUZZY_MIN_CHARS,
    FUZZY_THRESHOLD,
    companies_match,
    company_key,
)
from helpwanted.network.models import Person, Target

__all__ = ["matching_company_keys", "people_at_company", "target_summaries", "targets_for_person"]

# companies_match normalises both names on every call (~0.2 ms each with cleanco), which is
# seconds over 10,000 distinct companies. A C-speed rapidfuzz pass first keeps only keys that
# could possibly pass its fuzzy test; companies_match still decides every one of those.
_PREFILTER_SLACK = 5


def matching_company_keys(company: str, keys: Iterable[str]) -> set[str]:
    """The keys among `keys` (company_key values) that mean the same employer as `company`."""
    wanted = company_key(company)
    if not wanted:
        return set()
    keys = [key for key in keys if key]
    matched = {key for key in keys if key == wanted}
    if len(wanted.replace(" ", "")) < FUZZY_MIN_CHARS:
        return matched  # short names only ever match exactly ("IBM" is not "IBX")
    candidates = process.extract(
        wanted,
        keys,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=FUZZY_THRESHOLD - _PREFILTER_SLACK,
        limit=None,
    )
    for key, _score, _index in candidates:
        if key not in matched and companies_match(company, key):
            matched.add(key)
    return matched


def _active_people(owner: User) -> QuerySet[Person]:
    return Person.objects.filter(owner=owner, archived_at__isnull=True)


def people_at_company(owner: User, company: str, *, limit: int | None = None) -> list[Person]:
    """Non-archived people of `owner` who work at `company`, closest first, then by name.

    Two queries: the owner's distinct company keys, then the people with the matching ones.
    """
    if not company_key(company):
        return []
    keys = (
        _active_people(owner)
        .exclude(company_key="")
        .order_by()
        .values_list("company_key", flat=True)
        .distinct()
    )
    matched = matching_company_keys(company, keys)
    if not matched:
        return []
    people = _active_people(owner).filter(company_key__in=sorted(matched))
    people = people.order_by(F("closeness").desc(nulls_last=True), "name", "id")
    if limit is not None:
        people = people[:limit]
    return list(people)


def targets_for_person(person: Person) -> list[Target]:
    """The owner's targets at the company this person works for (one query)."""
    if not person.company_key:
        return []
    return [
        target
        for target in Target.objects.filter(owner_id=person.owner_id)
        if matching_company_keys(target.company, [person.company_key])
    ]


def target_summaries(owner: User) -> list[tuple[Target, int]]:
    """Each of the owner's targets with how many (non-archived) people they know there.

    Two queries however many targets: the targets, and people counted per company key.
    """
    targets = list(Target.objects.filter(owner=owner))
    if not targets:
        return []
    counts = dict(
        _active_people(owner)
        .exclude(company_key="")
        .order_by()
        .values_list("company_key")
        .annotate(n=Count("id"))
        .values_list("company_key", "n")
    )
    return [
        (target, sum(counts[key] for key in matching_company_keys(target.company, counts)))
        for target in targets
    ]
