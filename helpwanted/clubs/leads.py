"""Shared leads (Azrin's lead list): a member passes on a job lead that is not for them.

Any current member other than the giver may add it to their opportunities in one tap; the
opportunity keeps where it came from (source "club", and a LeadTaken row on both sides), and the
giver sees that it was taken.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from helpwanted.clubs.models import Club, Lead, LeadTaken, Membership
from helpwanted.clubs.rounds import member_name
from helpwanted.journey.models import Opportunity, OpportunitySource
from helpwanted.journey.opportunities import opportunity_create


class LeadError(Exception):
    """Something the member can fix or should know; str(e) says what, kindly."""


def lead_post(*, giver: Membership, fields: dict[str, Any]) -> Lead:
    """`fields`: company, role, link, note, for_member (a current Membership of the club or None)."""
    if giver.left_at is not None:
        raise LeadError("You've left this club, so you can't pass on leads in it.")
    for_member = fields.get("for_member")
    if for_member is not None and (
        for_member.club_id != giver.club_id or for_member.left_at is not None
    ):
        raise LeadError("Choose someone who is in this club.")
    if for_member is not None and for_member.pk == giver.pk:
        raise LeadError("A lead here is one for someone else. Add your own to your opportunities.")
    return Lead.objects.create(
        club_id=giver.club_id,
        giver=giver,
        for_member=for_member,
        company=" ".join((fields.get("company") or "").split()),
        role=" ".join((fields.get("role") or "").split()),
        link=(fields.get("link") or "").strip(),
        note=(fields.get("note") or "").strip()[:500],
    )


def lead_withdraw(*, lead: Lead) -> None:
    Lead.objects.filter(pk=lead.pk, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def lead_take(*, lead: Lead, membership: Membership) -> Opportunity:
    """Add the lead to the member's opportunities, once: a second take (a double click, two
    servers) finds the first one's opportunity and raises LeadError saying so."""
    if lead.giver_id == membership.pk:
        raise LeadError("You passed this lead on, so it's for someone else.")
    if lead.withdrawn_at is not None:
        raise LeadError("This lead was taken down by the member who shared it.")
    with transaction.atomic():
        locked = Lead.objects.select_for_update().select_related("giver__user", "club")
        row = locked.get(pk=lead.pk)
        if LeadTaken.objects.filter(lead=row, membership=membership).exists():
            raise LeadError("It's already in your opportunities.")
        giver = member_name(row.giver.user)
        notes = f"A lead from {giver} in {row.club.name}." + (f"\n{row.note}" if row.note else "")
        opportunity = opportunity_create(
            owner=membership.user,
            fields={
                "company": row.company,
                "role": row.role,
                "link": row.link,
                "source": OpportunitySource.CLUB,
                "notes": notes,
            },
        )
        try:
            with transaction.atomic():
                LeadTaken.objects.create(lead=row, membership=membership, opportunity=opportunity)
        except IntegrityError:
            raise LeadError("It's already in your opportunities.") from None
    return opportunity


def club_leads(club: Club, *, limit: int | None = None) -> list[Lead]:
    """Live leads from current members, with who they are for and who took them (2 queries).

    Each lead carries `taken_by` (LeadTaken rows of current members) and `taker_ids`."""
    found = (
        Lead.objects.filter(club=club, withdrawn_at__isnull=True, giver__left_at__isnull=True)
        .select_related("giver__user", "for_member__user")
        .prefetch_related(
            Prefetch(
                "takers",
                queryset=LeadTaken.objects.filter(membership__left_at__isnull=True)
                .select_related("membership__user")
                .order_by("taken_at", "id"),
                to_attr="taken_by",
            )
        )
        .order_by("-created_at", "-id")
    )
    shown = list(found[:limit] if limit else found)
    for lead in shown:
        lead.taker_ids = [t.membership_id for t in lead.taken_by]
    return list[Lead](shown)
