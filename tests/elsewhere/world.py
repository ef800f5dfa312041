"""Shared builders for the elsewhere tests: alice's interviews, asks and offers."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_answer
from helpwanted.asks.models import Ask, Recipient
from helpwanted.journey.models import Interview, Opportunity
from helpwanted.journey.opportunities import opportunity_create, opportunity_move
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person
from helpwanted.network.targets import target_add

PRIVATE = "PRIVATE-MARKER-7f3a"


def opportunity(
    owner: User, company: str = "Lumen Labs", role: str = "Designer", stage: str = "idea", **fields
) -> Opportunity:
    return opportunity_create(
        owner=owner,
        fields={"company": company, "role": role, "notes": PRIVATE, **fields},
        stage=stage,
    )


def interview(
    opp: Opportunity, on: date, at: time | None = None, kind: str = "interview"
) -> Interview:
    return Interview.objects.create(opportunity=opp, on=on, at=at, kind=kind)


def person(owner: User, name: str, email: str = "") -> Person:
    fields: dict[str, object] = {"name": name, "notes": PRIVATE}
    if email:
        fields["emails"] = [email]
    return person_create(owner=owner, fields=fields)


def sent_ask(owner: User, people: list[Person], *, target: str = "", **fields) -> Ask:
    values: dict[str, object] = {
        "kind": "advice",
        "request": f"Could we talk? {PRIVATE}",
        "why": PRIVATE,
        **fields,
    }
    if target:
        values["target"] = target_add(owner=owner, company=target, why=PRIVATE)
    ask = ask_create(owner=owner, fields=values)
    for p in people:
        recipient_add(ask=ask, person=p)
    ask_send(ask=ask)
    return ask


def offer(recipient: Recipient, when: str, answered_at: datetime | None = None) -> Recipient:
    recipient_answer(recipient=recipient, answer="yes", message=PRIVATE, offer_when=when)
    if answered_at is not None:
        Recipient.objects.filter(pk=recipient.pk).update(answered_at=answered_at)
    recipient.refresh_from_db()
    return recipient


def move(opp: Opportunity, stage: str) -> None:
    opportunity_move(opportunity=opp, stage=stage)


def now() -> datetime:
    return timezone.now()
