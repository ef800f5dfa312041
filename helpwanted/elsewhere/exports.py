"""Everything a seeker owns, as JSON, CSV or vCard: "take your data with you".

Each builder costs a fixed number of queries however many people there are: tags come from
one join on the through table (no IN list of 30,000 ids, which SQLite would refuse) and the
circle membership from a join in the people query. Asks cost two more (asks with their
target, then every recipient with both people), thanks come from those same recipients, and
help given is one more.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, HelpGiven, Recipient
from helpwanted.circle.models import CircleMember
from helpwanted.network.models import Person, Target
from helpwanted.network.parsing import Contact, csv_safe, to_vcard

__all__ = ["CSV_HEADER", "FORMATS", "PERSON_KEYS", "export_csv", "export_json", "export_vcard"]

FORMATS = ("json", "csv", "vcard")

PERSON_KEYS = (
    "name",
    "emails",
    "phones",
    "company",
    "position",
    "location",
    "linkedin_url",
    "relationship",
    "closeness",
    "tags",
    "notes",
    "how_we_know",
    "connected_on",
    "sources",
    "audience",
    "archived",
)

CSV_HEADER = (
    "Name",
    "Emails",
    "Phones",
    "Company",
    "Position",
    "Location",
    "LinkedIn URL",
    "Relationship",
    "Closeness",
    "Tags",
    "Notes",
    "How you know each other",
    "Connected on",
    "Sources",
    "Audience",
    "Archived",
)


def _people(owner: User) -> Iterator[tuple[Person, list[str], CircleMember | None]]:
    """Every person of the owner (archived too), with tag names and membership: 2 queries."""
    tags: dict[int, list[str]] = defaultdict(list)
    through = Person.tags.through.objects.filter(person__owner=owner)
    for person_id, tag_name in through.order_by("tag__name").values_list("person_id", "tag__name"):
        tags[person_id].append(tag_name)
    people = Person.objects.filter(owner=owner).select_related("membership").order_by("name", "id")
    for person in people.iterator(chunk_size=2000):
        yield person, tags.get(person.id, []), getattr(person, "membership", None)


def _person_dict(person: Person, tags: list[str], member: CircleMember | None) -> dict[str, Any]:
    return {
        "name": person.name,
        "emails": list(person.emails),
        "phones": list(person.phones),
        "company": person.company,
        "position": person.position,
        "location": person.location,
        "linkedin_url": person.linkedin_url,
        "relationship": person.relationship,
        "closeness": person.closeness,
        "tags": tags,
        "notes": person.notes,
        "how_we_know": person.how_we_know,
        "connected_on": person.connected_on.isoformat() if person.connected_on else None,
        "sources": list(person.sources),
        "audience": member.audience if member else None,
        "archived": person.archived_at is not None,
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _recipient_dict(recipient: Recipient) -> dict[str, Any]:
    suggested = recipient.suggested_person
    return {
        "person": recipient.person.name,
        "status": recipient.status,
        "answered_at": _iso(recipient.answered_at),
        "message": recipient.answer_message,
        "offer_when": recipient.offer_when,
        "suggested_person": suggested.name if suggested else None,
        "outcome": recipient.outcome,
        "led_to": recipient.led_to or None,
    }


def _asks(owner: User) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every ask with its recipients, oldest first, and the thanks sent: 2 queries."""
    recipients = Recipient.objects.select_related("person", "suggested_person").order_by("id")
    asks = list(
        Ask.objects.filter(owner=owner)
        .select_related("target")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .order_by("created_at", "id")
    )
    exported = [
        {
            "kind": ask.kind,
            "request": ask.request,
            "why": ask.why,
            "needed_by": _iso(ask.needed_by),
            "target": ask.target.company if ask.target else None,
            "sent_at": _iso(ask.sent_at),
            "closed_at": _iso(ask.closed_at),
            "recipients": [_recipient_dict(r) for r in ask.recipients.all()],
        }
        for ask in asks
    ]
    thanked = sorted(
        (r for ask in asks for r in ask.recipients.all() if r.thanked_at is not None),
        key=lambda r: (r.thanked_at, r.pk),
    )
    thanks = [
        {"person": r.person.name, "text": r.thanks_text, "thanked_at": _iso(r.thanked_at)}
        for r in thanked
    ]
    return exported, thanks


def export_json(owner: User) -> dict[str, Any]:
    """Everything the seeker owns, keyed by kind."""
    from helpwanted.clubs.exports import clubs_export  # clubs builds on the seeker's data

    people = [_person_dict(*row) for row in _people(owner)]
    targets = [
        {"company": t.company, "why": t.why, "notes": t.notes, "added": t.created_at.isoformat()}
        for t in Target.objects.filter(owner=owner).order_by("company", "id")
    ]
    circle = [
        {
            "name": m.person.name,
            "audience": m.audience,
            "invited_at": m.invited_at.isoformat() if m.invited_at else None,
            "left_at": m.left_at.isoformat() if m.left_at else None,
            "weekly_digest": m.digest_enabled,
        }
        for m in CircleMember.objects.filter(owner=owner)
        .select_related("person")
        .order_by("person__name", "id")
    ]
    asks, thanks = _asks(owner)
    help_given = [
        {"who": h.who, "what": h.what, "given_on": _iso(h.given_on)}
        for h in HelpGiven.objects.filter(owner=owner).order_by("given_on", "id")
    ]
    return {
        "people": people,
        "targets": targets,
        "circle": circle,
        "asks": asks,
        "thanks": thanks,
        "help_given": help_given,
        **_journey(owner),
        "clubs": clubs_export(owner),
        "work_search_added": _work_search_added(owner),
    }


def _work_search_added(owner: User) -> list[dict[str, Any]]:
    """The activities the seeker added to the work-search record by hand (one query)."""
    from helpwanted.elsewhere.models import WorkActivity

    return [
        {
            "date": _iso(a.on),
            "activity": a.method,
            "employer": a.employer,
            "employer_contact": a.employer_contact,
            "position": a.position,
            "contact": a.contact,
            "result": a.result,
        }
        for a in WorkActivity.objects.filter(owner=owner).order_by("on", "id")
    ]


def _journey(owner: User) -> dict[str, list[dict[str, Any]]]:
    """Opportunities with their stage history, updates with replies, and check-ins."""
    from helpwanted.journey.models import CheckIn, Opportunity, ThankYou, Update

    opportunities = [
        {
            "company": o.company,
            "role": o.role,
            "link": o.link,
            "source": o.source,
            "referred_by": o.referred_by.name if o.referred_by else None,
            "helpers": [p.name for p in o.helpers.all()],
            "notes": o.notes,
            "stage": o.stage,
            "stages": [
                {"stage": c.to_stage, "at": _iso(c.at), "note": c.note} for c in o.history.all()
            ],
            "dates": [
                {
                    "kind": i.kind,
                    "date": _iso(i.on),
                    "time": i.at.isoformat() if i.at else None,
                    "minutes": i.minutes,
                }
                for i in o.interviews.all()
            ],  # fmt: skip
        }
        for o in Opportunity.objects.filter(owner=owner)
        .select_related("referred_by")
        .prefetch_related("helpers", "history", "interviews")
        .order_by("created_at", "id")
    ]
    updates = [
        {
            "kind": u.kind,
            "audience": u.audience,
            "text": u.text,
            "at": _iso(u.created_at),
            "deleted": u.deleted_at is not None,
            "replies": [
                {
                    "from": r.member.person.name,
                    "kind": r.kind,
                    "reaction": r.reaction or None,
                    "text": r.text,
                    "at": _iso(r.created_at),
                }
                for r in u.replies.all()
            ],
        }
        for u in Update.objects.filter(owner=owner)
        .prefetch_related("replies__member__person")
        .order_by("created_at", "id")
    ]
    checkins = [
        {
            "date": _iso(c.day),
            "hope": c.hope,
            "energy": c.energy,
            "confidence": c.confidence,
            "note": c.note,
            "shared": c.shared,
        }
        for c in CheckIn.objects.filter(owner=owner).order_by("day")
    ]
    landing_thanks = [
        {"person": t.person.name, "text": t.text, "sent_at": _iso(t.sent_at)}
        for t in ThankYou.objects.filter(owner=owner).select_related("person")
    ]
    return {
        "opportunities": opportunities,
        "updates": updates,
        "checkins": checkins,
        "landing_thanks": landing_thanks,
    }


def export_csv(owner: User) -> str:
    """One row per person under a header row. Every cell goes through parsing.csv_safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for person, tags, member in _people(owner):
        row = [
            person.name,
            "; ".join(person.emails),
            "; ".join(person.phones),
            person.company,
            person.position,
            person.location,
            person.linkedin_url,
            person.get_relationship_display(),
            "" if person.closeness is None else str(person.closeness),
            "; ".join(tags),
            person.notes,
            person.how_we_know,
            person.connected_on.isoformat() if person.connected_on else "",
            "; ".join(person.sources),
            member.get_audience_display() if member else "",
            "yes" if person.archived_at else "",
        ]
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()


def export_vcard(owner: User) -> str:
    """vCard 3.0 of the people still in the seeker's network (archived people are left out)."""
    people = Person.objects.filter(owner=owner, archived_at__isnull=True).order_by("name", "id")
    return to_vcard(
        Contact(
            line=0,
            name=p.name,
            emails=list(p.emails),
            phones=list(p.phones),
            company=p.company,
            position=p.position,
            location=p.location,
            linkedin_url=p.linkedin_url,
            connected_on=p.connected_on,
            notes=p.notes,
        )
        for p in people.iterator(chunk_size=2000)
    )
