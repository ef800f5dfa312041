"""Contact imports: merge a parsed file into the seeker's people, and the jobs behind the UI.

Merge rules (PRODUCT.md §1 "Imports"):

- A contact matches an existing person on the normalised LinkedIn URL, then on any email
  (case-insensitive, any of the person's emails), then on normalised name + normalised company.
  A name + company match is refused when both sides have different LinkedIn URLs: those are
  two people who happen to share a name at one employer.
- Failing those, a contact matches a person with the same normalised name when nothing tells
  them apart: no field that both sides have and that differs (the company, the profile URL,
  the emails). So "Priya Natarajan" added by hand with no company becomes the same person as
  "Priya Natarajan, Acme, linkedin.com/in/…" from LinkedIn. Such a name-only match only fills
  empty fields. When several people qualify, one at the same company wins, then one with
  nothing to tell them apart, then the oldest.
- Same name with different details (two companies, two profile URLs, two sets of emails) stays
  two people. Every pair of people who share a normalised name is a possible duplicate the
  seeker can review (network.duplicates), unless they said "not the same person"; the report
  counts the pairs this import touched (``possible_duplicates``).
- A match fills empty fields and updates fields whose imported value is non-empty and
  differs, except fields the seeker edited by hand (``Person.edited_fields``), which are never
  touched. Emails and phones merge as a union, keeping their order. The file's format is
  added to ``Person.sources``.
- Nothing is ever duplicated. A row that matches a person an earlier row of the same file
  already matched (or created) is reported as skipped, with the earlier line in its reason;
  it can only fill fields that are still empty, so importing a file twice changes nothing
  the second time, even when the file repeats someone with different details.
- LinkedIn ``messages.csv`` only sets ``messages_count`` (and the source) of people matched by
  profile URL; message content is never stored. Profiles nobody in the seeker's people has
  are counted as skipped and explained in ONE summary error (line 0), because a big inbox
  would otherwise list hundreds of strangers.
- New people get the relationship "acquaintance" from LinkedIn and "other" from Google or
  vCard files, where we cannot tell how the seeker knows them.

Speed: the owner's people are read once with ``values_list``; matching happens in
dictionaries; new people are written with ``bulk_create`` in batches and changed people with
one ``executemany`` per set of changed fields. The planning pass runs before the write
transaction so a background job can publish its progress; the write transaction re-plans if
the seeker's people changed in the meantime, so an edit made during an import still wins.
"""

from __future__ import annotations

import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Count, F, Field, ForeignObjectRel, Max, Q
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.network.companies import company_key
from helpwanted.network.models import IMPORTABLE_FIELDS, ImportJob, Person, Relationship, Source
from helpwanted.network.parsing import (
    Contact,
    ImportFileError,
    ParseResult,
    RowError,
    normalise_linkedin_url,
    normalise_name,
    parse,
    union_values,
)

__all__ = [
    "FAILURE_MESSAGE",
    "ImportReport",
    "RowError",
    "import_file",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_create",
    "import_job_run",
    "import_jobs_resume",
    "person_import",
]

log = logging.getLogger("helpwanted.imports")

Progress = Callable[[int, int], None]

PROGRESS_EVERY = 500
NAMES_SHOWN = 50
CREATE_BATCH = 1000
FAILURE_MESSAGE = (
    "Something went wrong on our side while importing this file, and nothing was changed. "
    "Please try again in a few minutes."
)
# A background import whose worker died is taken back by the tick (import_jobs_resume) and run
# again from the start; the third time it stalls it is given up with this message.
MAX_STALLS = 3
STALLED_MESSAGE = (
    "The import stopped part-way and couldn't finish. Nothing you already had was lost; "
    "please try the file again."
)
_LIST_FIELDS = ("emails", "phones")
_SCALAR_FIELDS = tuple(f for f in IMPORTABLE_FIELDS if f not in _LIST_FIELDS)
_KEY_INPUTS = frozenset({"name", "company", "emails"})
_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Person._meta.get_fields()
    if isinstance(f, Field) and f.max_length and f.name in IMPORTABLE_FIELDS
}
_NOTHING_EDITED: frozenset[str] = frozenset()
_LOADED = (
    "id",
    *IMPORTABLE_FIELDS,
    "sources",
    "edited_fields",
    "messages_count",
    "name_key",
    "company_key",
    "email_key",
    "archived_at",
)


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    format: str
    encoding: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    possible_duplicates: int = 0
    # The first NAMES_SHOWN names created and updated, for the preview.
    created_names: list[str] = field(default_factory=list)
    updated_names: list[str] = field(default_factory=list)

    @property
    def created_more(self) -> int:
        return max(self.created - len(self.created_names), 0)

    @property
    def updated_more(self) -> int:
        return max(self.updated - len(self.updated_names), 0)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": [{"line": e.line, "reason": e.reason} for e in self.errors],
            "possible_duplicates": self.possible_duplicates,
        }

    def preview_json(self) -> dict[str, Any]:
        """The report plus the first names it would create and update, for the preview page."""
        return {
            **self.as_json(),
            "created_names": self.created_names,
            "updated_names": self.updated_names,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        errors = [RowError(int(e["line"]), str(e["reason"])) for e in data.get("errors", [])]
        report = cls(format=data.get("format", ""), encoding=data.get("encoding", ""))
        for name in ("created", "updated", "unchanged", "skipped", "possible_duplicates"):
            setattr(report, name, int(data.get(name, 0)))
        report.errors = errors
        report.created_names = [str(n) for n in data.get("created_names", [])]
        report.updated_names = [str(n) for n in data.get("updated_names", [])]
        return report


# --------------------------------------------------------------------------- planning


class _Known:
    """One person as the merge sees them: current values, and what this import changed."""

    __slots__ = ("id", "values", "edited", "changed", "line")

    def __init__(self, pk: int | None, values: dict[str, Any], edited: frozenset[str]) -> None:
        self.id = pk  # None for a person this import creates
        self.values = values
        self.edited = edited
        self.changed: set[str] = set()
        self.line = 0  # the first line of this import that matched or created them


@dataclass
class _Plan:
    report: ImportReport
    new: list[_Known]
    changed: list[_Known]


def _fit(contact: Contact) -> Contact:
    """Cut text fields to the length the Person columns hold (the parser allows 10,000)."""
    for name, limit in _MAX_LENGTHS.items():
        value = getattr(contact, name)
        if isinstance(value, str) and len(value) > limit:
            setattr(contact, name, value[:limit].rstrip())
    return contact


class _Index:
    """The owner's people, keyed for matching."""

    def __init__(self) -> None:
        self.by_url: dict[str, _Known] = {}
        self.by_email: dict[str, _Known] = {}
        self.by_name: dict[tuple[str, str], list[_Known]] = {}
        self.by_name_only: dict[str, list[_Known]] = {}
        self.company_keys: dict[str, str] = {}

    def company_key(self, company: str) -> str:
        key = self.company_keys.get(company)
        if key is None:
            key = self.company_keys[company] = company_key(company)[:200]
        return key

    def add(self, known: _Known, url: str | None = None) -> None:
        values = known.values
        if url is None and values["linkedin_url"]:
            url = normalise_linkedin_url(values["linkedin_url"])
        if url:
            self.by_url.setdefault(url, known)
        for email in values["emails"]:
            self.by_email.setdefault(email.lower(), known)
        if values["name_key"]:
            group = self.by_name.setdefault((values["name_key"], values["company_key"]), [])
            if known not in group:
                group.append(known)
            same_name = self.by_name_only.setdefault(values["name_key"], [])
            if known not in same_name:
                same_name.append(known)

    def match(self, contact: Contact, name_key: str, company: str) -> tuple[_Known | None, bool]:
        """The person this contact is, and whether the match is on the name alone."""
        if contact.linkedin_url and (known := self.by_url.get(contact.linkedin_url)):
            return known, False
        for email in contact.emails:
            if known := self.by_email.get(email):
                return known, False
        if company:
            for known in self.by_name.get((name_key, company), ()):
                if known.values["name_key"] == name_key and not _urls_differ(contact, known):
                    return known, False
        return self._match_name(contact, name_key, company), True

    def _match_name(self, contact: Contact, name_key: str, company: str) -> _Known | None:
        """A person with this name and no detail that tells them apart from the contact."""
        best: _Known | None = None
        best_rank = 3
        for known in self.by_name_only.get(name_key, ()):
            values = known.values
            if values["name_key"] != name_key or _differ(contact, company, known):
                continue
            if company and values["company_key"] == company:
                rank = 0
            elif not (values["company_key"] or values["linkedin_url"] or values["emails"]):
                rank = 1
            else:
                rank = 2
            if rank < best_rank:
                best, best_rank = known, rank
        return best


def _urls_differ(contact: Contact, known: _Known) -> bool:
    theirs = known.values["linkedin_url"]
    return bool(
        contact.linkedin_url and theirs and normalise_linkedin_url(theirs) != contact.linkedin_url
    )


def _differ(contact: Contact, company: str, known: _Known) -> bool:
    """Whether both sides carry a detail that tells them apart: two companies, two profile
    URLs, or emails with none in common."""
    values = known.values
    if company and values["company_key"] and values["company_key"] != company:
        return True
    if _urls_differ(contact, known):
        return True
    theirs = {e.lower() for e in values["emails"]}
    return bool(contact.emails and theirs and theirs.isdisjoint(contact.emails))


def _load(owner: User, index: _Index) -> None:
    rows = Person.objects.filter(owner=owner).order_by("id").values_list(*_LOADED)
    for row in rows.iterator(chunk_size=2000):
        values = dict(zip(_LOADED, row, strict=True))
        pk = values.pop("id")
        edited = frozenset(values.pop("edited_fields") or ())
        values["emails"] = list(values["emails"] or [])
        values["phones"] = list(values["phones"] or [])
        values["sources"] = list(values["sources"] or [])
        # The stored keys are kept right by every action that writes a person, so they
        # double as a cache: a re-import needs no company normalisation at all.
        index.company_keys.setdefault(values["company"], values["company_key"])
        index.add(_Known(pk, values, edited))


def _merge(known: _Known, contact: Contact, fmt: str, *, fill_only: bool) -> set[str]:
    """Apply one contact to a known person; return the names of the fields it changed."""
    values = known.values
    changed: set[str] = set()
    for name in _SCALAR_FIELDS:
        if name in known.edited:
            continue
        new = getattr(contact, name)
        if new is None or new == "":
            continue
        old = values[name]
        if fill_only and old not in (None, ""):
            continue
        if name == "linkedin_url" and old and normalise_linkedin_url(old) == new:
            continue
        if new != old:
            values[name] = new
            changed.add(name)
    for name in _LIST_FIELDS:
        if name in known.edited:
            continue
        merged = union_values(values[name], getattr(contact, name), fold=name == "emails")
        if merged != values[name]:
            values[name] = merged
            changed.add(name)
    if fmt not in values["sources"]:
        values["sources"] = [*values["sources"], fmt]
        changed.add("sources")
    return changed


def _refresh_keys(known: _Known, index: _Index) -> None:
    values = known.values
    values["name_key"] = normalise_name(values["name"])[:200]
    values["company_key"] = index.company_key(values["company"])
    values["email_key"] = values["emails"][0].lower()[:254] if values["emails"] else ""


def _new_person(contact: Contact, sources: list[str], name_key: str, company: str) -> _Known:
    values: dict[str, Any] = {
        "name": contact.name,
        "emails": contact.emails,
        "phones": contact.phones,
        "company": contact.company,
        "position": contact.position,
        "location": contact.location,
        "linkedin_url": contact.linkedin_url,
        "connected_on": contact.connected_on,
        "notes": contact.notes,
        "sources": sources,  # shared by every new person; never mutated in place
        "name_key": name_key,
        "company_key": company,
        "email_key": contact.emails[0].lower()[:254] if contact.emails else "",
    }
    return _Known(None, values, _NOTHING_EDITED)


def _same_person(line: int, earlier: int) -> RowError:
    return RowError(
        line,
        f"This is the same person as line {earlier}, so we added anything new to them "
        "instead of making a second copy.",
    )


def _plan_contacts(owner: User, result: ParseResult, progress: Progress | None) -> _Plan:
    report = ImportReport(format=result.format, encoding=result.encoding)
    report.errors = list(result.errors)
    report.skipped = len(result.errors)
    index = _Index()
    _load(owner, index)
    fmt = result.format
    total = len(result.contacts)
    new: list[_Known] = []
    new_sources = [fmt]
    changed: dict[int, _Known] = {}
    for position, contact in enumerate(result.contacts):
        if progress and position and position % PROGRESS_EVERY == 0:
            progress(position, total)
        _fit(contact)
        name_key = normalise_name(contact.name)[:200]
        company = index.company_key(contact.company)
        known, by_name = index.match(contact, name_key, company)
        if known is None:
            known = _new_person(contact, new_sources, name_key, company)
            known.line = contact.line
            new.append(known)
            index.add(known, contact.linkedin_url)
            report.created += 1
            if len(report.created_names) < NAMES_SHOWN:
                report.created_names.append(known.values["name"])
            continue
        repeat = bool(known.line)
        fields = _merge(known, contact, fmt, fill_only=repeat or by_name)
        if fields & _KEY_INPUTS:
            _refresh_keys(known, index)
            fields |= {"name_key", "company_key", "email_key"}
        if fields:
            index.add(known)  # its new URL, emails or name can match later rows too
            if known.id is not None:
                known.changed |= fields
                changed[known.id] = known
        if repeat:
            report.skipped += 1
            report.errors.append(_same_person(contact.line, known.line))
        else:
            known.line = contact.line
            if fields:
                report.updated += 1
                if len(report.updated_names) < NAMES_SHOWN:
                    report.updated_names.append(known.values["name"])
            else:
                report.unchanged += 1
    report.errors.sort(key=lambda e: e.line)
    report.possible_duplicates = _count_duplicates(owner, index)
    return _Plan(report=report, new=new, changed=list(changed.values()))


def _count_duplicates(owner: User, index: _Index) -> int:
    """Pairs of people sharing a name, not archived and not set apart by the seeker, of which
    this import created or matched at least one (``line`` is set on those)."""
    from helpwanted.network.duplicates import dismissed_pairs, pair_count

    groups: list[list[_Known]] = []
    for key, same_name in index.by_name_only.items():
        if len(same_name) < 2:
            continue
        # A person whose name this import changed is listed under their new name too.
        live = [
            k
            for k in same_name
            if k.values["name_key"] == key and k.values.get("archived_at") is None
        ]
        if len(live) > 1:
            groups.append(live)
    dismissed = dismissed_pairs(owner) if groups else set()
    count = 0
    for group in groups:
        touched = [k for k in group if k.line]
        if not touched:
            continue
        # New people have no id yet and cannot have been set apart: stand-in negative ids.
        ids = [k.id if k.id is not None else -i - 1 for i, k in enumerate(group)]
        touched_ids = {ids[i] for i, k in enumerate(group) if k.line}
        count += pair_count(ids, touched_ids, dismissed)
    return count


def _plan_messages(owner: User, result: ParseResult) -> _Plan:
    report = ImportReport(format=result.format, encoding=result.encoding)
    report.errors = list(result.errors)
    report.skipped = len(result.errors)
    by_url: dict[str, _Known] = {}
    rows = Person.objects.filter(owner=owner).exclude(linkedin_url="").order_by("id")
    for pk, url, count, sources in rows.values_list(
        "id", "linkedin_url", "messages_count", "sources"
    ).iterator(chunk_size=2000):
        values = {"messages_count": count, "sources": list(sources or [])}
        by_url.setdefault(normalise_linkedin_url(url), _Known(pk, values, frozenset()))
    changed: list[_Known] = []
    missing = 0
    for url, count in result.message_counts.items():
        known = by_url.get(url)
        if known is None:
            missing += 1
            continue
        if known.values["messages_count"] != count:
            known.values["messages_count"] = count
            known.changed.add("messages_count")
        if result.format not in known.values["sources"]:
            known.values["sources"] = [*known.values["sources"], result.format]
            known.changed.add("sources")
        if known.changed:
            changed.append(known)
            report.updated += 1
        else:
            report.unchanged += 1
    if missing:
        report.skipped += missing
        people = "person you messaged isn't" if missing == 1 else "people you messaged aren't"
        report.errors.insert(
            0,
            RowError(
                0,
                f"{missing} {people} in your people yet, so we couldn't match them by their "
                "LinkedIn profile. Import your Connections.csv first, then this file again.",
            ),
        )
    return _Plan(report=report, new=[], changed=changed)


def _plan(owner: User, result: ParseResult, progress: Progress | None) -> _Plan:
    if result.format == Source.LINKEDIN_MESSAGES:
        return _plan_messages(owner, result)
    return _plan_contacts(owner, result, progress)


# --------------------------------------------------------------------------- writing


def _fingerprint(owner: User) -> tuple[Any, ...]:
    """Changes whenever a person of the owner's is added, removed or edited."""
    stats = Person.objects.filter(owner=owner).aggregate(
        count=Count("id"), last_id=Max("id"), last_update=Max("updated_at")
    )
    return (stats["count"], stats["last_id"], stats["last_update"])


def _adapter(model_field: Any) -> Callable[[Any], Any]:
    """How to hand one field's Python value to the database cursor, without the ORM's
    per-value machinery (bulk_create spends ~80% of a big import there)."""
    ops = connection.ops
    internal = model_field.get_internal_type()
    if internal == "JSONField":
        encoder = model_field.encoder
        return lambda value: ops.adapt_json_value(value, encoder)
    if internal == "DateField":
        return ops.adapt_datefield_value
    if internal == "DateTimeField":
        return ops.adapt_datetimefield_value
    return _as_is


def _as_is(value: Any) -> Any:
    return value


# The Person columns a new person's values hold; see _new_person.
_INSERTED = frozenset((*IMPORTABLE_FIELDS, "sources", "name_key", "company_key", "email_key"))


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Adapt each distinct short list once (e.g. [], ["linkedin"]); others every time."""
    cache: dict[tuple[Any, ...], Any] = {}

    def adapted(value: list[Any]) -> Any:
        if len(value) > 1:
            return adapt(value)
        key = tuple(value)
        if key not in cache:
            cache[key] = adapt(value)
        return cache[key]

    return adapted


def _column(model_field: Field[Any, Any] | ForeignObjectRel) -> str:
    """The quoted column name of one of Person's concrete fields (only those have a column)."""
    assert isinstance(model_field, Field) and model_field.column is not None, model_field
    return connection.ops.quote_name(model_field.column)


def _insert(owner: User, people: list[_Known], relationship: str, now: Any) -> None:
    meta = Person._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults.update(owner_id=owner.pk, relationship=relationship, created_at=now, updated_at=now)
    # Columns an import never sets are adapted once. Of the others, the ones the database
    # takes as they are are picked with one itemgetter; only JSON and date columns are
    # adapted per row, sharing the adapted value of an empty or repeated short list.
    ops = connection.ops
    varying = [f for f in fields if f.attname in _INSERTED]
    plain = [f for f in varying if _adapter(f) is _as_is]
    special = [f for f in varying if _adapter(f) is not _as_is]
    constant = [f for f in fields if f.attname not in _INSERTED]
    fixed = [_adapter(f)(defaults[f.attname]) for f in constant]
    pick = operator.itemgetter(*(f.attname for f in plain))
    adapters = [
        (f.attname, _memo(_adapter(f)) if f.get_internal_type() == "JSONField" else _adapter(f))
        for f in special
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from our model
        ops.quote_name(meta.db_table),
        ", ".join(_column(f) for f in (*plain, *special, *constant)),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(people), CREATE_BATCH):
            rows = []
            for known in people[start : start + CREATE_BATCH]:
                values = known.values
                row = [*pick(values)]
                row.extend([adapt(values[name]) for name, adapt in adapters])
                row.extend(fixed)
                rows.append(row)
            cursor.executemany(sql, rows)


def _update(people: list[_Known], now: Any) -> None:
    meta = Person._meta
    quote = connection.ops.quote_name
    groups: dict[tuple[str, ...], list[_Known]] = {}
    for known in people:
        groups.setdefault(tuple(sorted(known.changed)), []).append(known)
    with connection.cursor() as cursor:
        for names, group in groups.items():
            fields = [meta.get_field(name) for name in names]
            adapters = [_adapter(f) for f in fields]
            updated_at = connection.ops.adapt_datetimefield_value(now)
            sql = "UPDATE {} SET {}, {} = %s WHERE {} = %s".format(  # noqa: S608 - our names
                quote(meta.db_table),
                ", ".join(f"{_column(f)} = %s" for f in fields),
                _column(meta.get_field("updated_at")),
                _column(meta.pk),
            )
            for start in range(0, len(group), CREATE_BATCH):
                cursor.executemany(
                    sql,
                    [
                        [
                            *(
                                adapt(known.values[name])
                                for adapt, name in zip(adapters, names, strict=True)
                            ),
                            updated_at,
                            known.id,
                        ]
                        for known in group[start : start + CREATE_BATCH]
                    ],
                )


def _write(owner: User, plan: _Plan, fmt: str) -> None:
    """Insert the new people and update only the changed fields of the changed ones."""
    now = timezone.now()
    relationship = Relationship.ACQUAINTANCE if fmt == Source.LINKEDIN else Relationship.OTHER
    _insert(owner, plan.new, relationship, now)
    _update(plan.changed, now)


def person_import(
    *,
    owner: User,
    result: ParseResult,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Merge parsed contacts (or LinkedIn message counts) into the owner's people.

    ``dry_run`` computes the same report and writes nothing. ``progress(done, total)`` is
    called every few hundred rows while planning, outside the write transaction.
    """
    before = _fingerprint(owner)
    plan = _plan(owner, result, progress)
    if dry_run:
        return plan.report
    with transaction.atomic():
        if _fingerprint(owner) != before:  # the seeker changed something meanwhile
            plan = _plan(owner, result, None)
        _write(owner, plan, result.format)
    if progress:
        progress(plan.report.rows, plan.report.rows)
    return plan.report


def import_file(
    *,
    owner: User,
    data: bytes,
    filename: str,
    fmt: str = "auto",
    progress: Progress | None = None,
) -> ImportReport:
    """Parse a contacts file and merge it; raises ImportFileError for an unreadable file."""
    result = parse(data, filename, fmt)
    return person_import(owner=owner, result=result, progress=progress)


# --------------------------------------------------------------------------- jobs (the UI)


def _row_count(result: ParseResult) -> int:
    if result.format == Source.LINKEDIN_MESSAGES:
        return len(result.message_counts) + len(result.errors)
    return len(result.contacts) + len(result.errors)


def import_job_create(*, owner: User, upload: UploadedFile, fmt: str = "auto") -> ImportJob:
    """Read an upload and store it with a dry-run preview; raises ImportFileError."""
    data = b"".join(upload.chunks())
    filename = (upload.name or "contacts")[-255:]
    result = parse(data, filename, fmt)
    preview = person_import(owner=owner, result=result, dry_run=True)
    with transaction.atomic():
        return ImportJob.objects.create(
            owner=owner,
            filename=filename,
            format=result.format,
            encoding=result.encoding,
            data=data,
            total=_row_count(result),
            preview=preview.preview_json(),
        )


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Start a previewed import: inline when it's small, else queued for the worker."""
    from helpwanted.network.tasks import run_import  # tasks imports this module

    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
            status=ImportJob.Status.QUEUED, heartbeat_at=timezone.now()
        )
        if claimed and job.total > settings.IMPORT_BACKGROUND_ROWS:
            task = run_import.enqueue(job.pk)
            ImportJob.objects.filter(pk=job.pk).update(task_id=task.id)
    if claimed and job.total <= settings.IMPORT_BACKGROUND_ROWS:
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_cancel(*, job: ImportJob) -> bool:
    """Drop a previewed import and its file; returns whether there was one to drop."""
    with transaction.atomic():
        deleted, _ = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).delete()
    return bool(deleted)


def _finish(job_id: int, stalls: int, **fields: Any) -> None:
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, stalls=stalls).update(
            data=b"", finished_at=timezone.now(), **fields
        )


def import_job_run(*, job_id: int) -> None:
    """Run a queued import (the background task, or inline for small files).

    Idempotent: only a QUEUED job is claimed, so a job that is done, failed or already
    running elsewhere is left alone. A failure never shows a traceback to the seeker.
    Claiming and every progress report set ``heartbeat_at``, which tells the tick the job is
    alive. ``stalls`` at claim time fences the run: once the tick has taken the job back, a
    worker that was only slow, not dead, can no longer move its progress or finish it.
    """
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, processed=0, heartbeat_at=timezone.now()
        )
    if not claimed:
        return
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    stalls = job.stalls
    mine = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, stalls=stalls)

    def progress(done: int, total: int) -> None:
        mine.update(processed=min(done, job.total), heartbeat_at=timezone.now())

    try:
        result = parse(bytes(job.data), job.filename, job.format)
        report = person_import(owner=job.owner, result=result, progress=progress)
    except ImportFileError as exc:
        _finish(job_id, stalls, status=ImportJob.Status.FAILED, failure=str(exc)[:500])
        return
    except Exception:
        log.exception("Import job %s failed", job_id)
        _finish(job_id, stalls, status=ImportJob.Status.FAILED, failure=FAILURE_MESSAGE)
        return
    _finish(
        job_id,
        stalls,
        status=ImportJob.Status.DONE,
        total=report.rows,
        processed=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        skipped=report.skipped,
        possible_duplicates=report.possible_duplicates,
        errors=report.as_json()["errors"],
    )


def _task_waiting(task_id: str) -> bool:
    """Whether the job's background task is still waiting for a worker to pick it up."""
    from helpwanted.network.tasks import run_import  # tasks imports this module

    if not task_id or not run_import.get_backend().supports_get_result:
        return False
    try:
        return run_import.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:  # the task row is gone: nothing will ever run it
        return False


def import_jobs_resume(*, now: datetime | None = None) -> int:
    """Tick job: take back background imports whose worker died, and run them again.

    A job is stalled when it is RUNNING with no heartbeat for IMPORT_STALL_MINUTES, or QUEUED
    for that long while no task is waiting to run it (its task row was lost, or its worker died
    before claiming it). Each is put back in the queue with a conditional UPDATE on its status,
    ``stalls`` and heartbeat, so of two ticks at once only one takes it and enqueues it again.
    Running an import again from the start is safe: the merge rules make rows it had already
    imported "unchanged". The MAX_STALLS-th stall fails the job with a plain message instead.
    Returns how many jobs were taken back or failed.
    """
    from helpwanted.mail.cleanup import task_result_abandon
    from helpwanted.network.tasks import run_import  # tasks imports this module

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IMPORT_STALL_MINUTES)
    Status = ImportJob.Status
    quiet = ImportJob.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, created_at__lt=cutoff)
    )
    stalled = quiet.filter(status__in=[Status.QUEUED, Status.RUNNING]).order_by("pk")
    taken = 0
    for pk, status, stalls, task_id in stalled.values_list("pk", "status", "stalls", "task_id"):
        if status == Status.QUEUED and _task_waiting(task_id):
            continue  # a worker will get to it; the queue is just long
        with transaction.atomic():
            mine = quiet.filter(pk=pk, status=status, stalls=stalls)
            if stalls + 1 >= MAX_STALLS:
                claimed = mine.update(
                    status=Status.FAILED,
                    stalls=F("stalls") + 1,
                    failure=STALLED_MESSAGE,
                    data=b"",
                    finished_at=now,
                )
                if claimed:
                    log.warning("Import job %s stalled %s times; gave up", pk, stalls + 1)
            else:
                claimed = mine.update(
                    status=Status.QUEUED, stalls=F("stalls") + 1, processed=0, heartbeat_at=now
                )
                if claimed:
                    task = run_import.enqueue(pk)
                    ImportJob.objects.filter(pk=pk).update(task_id=task.id)
                    log.warning("Import job %s stalled while %s; queued it again", pk, status)
            if claimed:  # its dead worker's task row would stay RUNNING forever
                task_result_abandon(task_id, now=now)
        taken += claimed
    return taken


def report_for(job: ImportJob) -> ImportReport:
    """The finished report of a job, in the same shape as the preview."""
    return ImportReport(
        format=job.format,
        encoding=job.encoding,
        created=job.created,
        updated=job.updated,
        unchanged=job.unchanged,
        skipped=job.skipped,
        errors=[RowError(int(e["line"]), str(e["reason"])) for e in job.errors],
        possible_duplicates=job.possible_duplicates,
    )
