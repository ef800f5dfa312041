"""A seeker's job clubs in their data export ("clubs" in export_data; docs/data-formats.md).

Only the seeker's own part of each club: their membership, their requests and the offers made on
them, their own offers, goals and week checks, the leads they gave and took, and, for a club they
run, their own notes. Nothing of what other members keep private: for a fellow member, only the
name the club already shows beside an offer or a lead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch

from helpwanted.clubs.models import (
    Club,
    ClubRequest,
    FacilitatorNote,
    Goal,
    Lead,
    LeadTaken,
    Membership,
    Offer,
    WeekCheck,
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user: Any) -> str:
    return str(user.display_name or "A member")


def _offer(offer: Offer) -> dict[str, Any]:
    return {
        "from": _name(offer.membership.user),
        "kind": offer.kind,
        "note": offer.note,
        "state": offer.state,
        "offered_at": _iso(offer.created_at),
        "accepted_at": _iso(offer.accepted_at),
    }


def clubs_export(user: Any) -> list[dict[str, Any]]:
    """Each club the user is or was in, then each they run, in a constant number of queries."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("club")
        .prefetch_related(
            Prefetch(
                "requests",
                queryset=ClubRequest.objects.select_related("round__meeting").prefetch_related(
                    Prefetch("offers", queryset=Offer.objects.select_related("membership__user"))
                ),
            ),
            Prefetch("offers", queryset=Offer.objects.select_related("request")),
            Prefetch("goals", queryset=Goal.objects.select_related("meeting")),
            Prefetch("checks", queryset=WeekCheck.objects.order_by("week_of", "id")),
            Prefetch("leads_given", queryset=Lead.objects.select_related("for_member__user")),
            Prefetch("leads_taken", queryset=LeadTaken.objects.select_related("lead__giver__user")),
        )
        .order_by("joined_at", "id")
    )
    given_ids = [lead.pk for m in memberships for lead in m.leads_given.all()]
    taken_counts: dict[int, int] = {}
    for lead_id in LeadTaken.objects.filter(lead_id__in=given_ids).values_list(
        "lead_id", flat=True
    ):
        taken_counts[lead_id] = taken_counts.get(lead_id, 0) + 1
    clubs: list[dict[str, Any]] = []
    for m in memberships:
        clubs.append(
            {
                "name": m.club.name,
                "role": m.role,
                "joined": _iso(m.joined_at),
                "left": _iso(m.left_at),
                "landed": _iso(m.landed_at),
                "requests": [
                    {
                        "text": r.text,
                        "why": r.why,
                        "kind": r.kind,
                        "needed_by": _iso(r.needed_by),
                        "smart_score": r.smart_score,
                        "meeting": _iso(r.round.meeting.starts_at),
                        "made_at": _iso(r.created_at),
                        "withdrawn": r.withdrawn_at is not None,
                        "offers": [_offer(o) for o in r.offers.all()],
                    }
                    for r in m.requests.all()
                ],
                "offers_made": [
                    {
                        "on": o.request.text,
                        "kind": o.kind,
                        "note": o.note,
                        "state": o.state,
                        "offered_at": _iso(o.created_at),
                    }
                    for o in m.offers.all()
                ],
                "goals": [
                    {
                        "text": g.text,
                        "meeting": _iso(g.meeting.starts_at),
                        "done": g.done_at is not None,
                        "done_at": _iso(g.done_at),
                    }
                    for g in m.goals.all()
                ],
                "week_checks": [
                    {"week_of": _iso(c.week_of), "text": c.text} for c in m.checks.all()
                ],
                "leads_given": [
                    {
                        "company": lead.company,
                        "role": lead.role,
                        "link": lead.link,
                        "note": lead.note,
                        "for": _name(lead.for_member.user) if lead.for_member else None,
                        "given_at": _iso(lead.created_at),
                        "withdrawn": lead.withdrawn_at is not None,
                        "taken": taken_counts.get(lead.pk, 0),
                    }
                    for lead in m.leads_given.all()
                ],
                "leads_taken": [
                    {
                        "company": t.lead.company,
                        "role": t.lead.role,
                        "link": t.lead.link,
                        "from": _name(t.lead.giver.user),
                        "taken_at": _iso(t.taken_at),
                    }
                    for t in m.leads_taken.all()
                ],
            }
        )
    for club in Club.objects.filter(facilitator=user).prefetch_related(
        Prefetch(
            "meetings__notes",
            queryset=FacilitatorNote.objects.filter(author=user),
            to_attr="own_notes",
        )
    ):
        clubs.append(
            {
                "name": club.name,
                "role": "facilitator",
                "joined": _iso(club.created_at),
                "left": _iso(club.archived_at),
                "notes": [
                    {
                        "meeting": _iso(meeting.starts_at),
                        "visibility": note.visibility,
                        "text": note.text,
                        "at": _iso(note.created_at),
                    }
                    for meeting in club.meetings.all()
                    for note in meeting.own_notes  # type: ignore[attr-defined]
                ],
            }
        )
    return clubs
