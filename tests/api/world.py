"""alice's things, made through the real actions, for the API's access and schema tests."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.circle.actions import circle_add
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.opportunities import opportunity_create
from helpwanted.journey.updates import update_post
from helpwanted.network.actions import person_create
from helpwanted.network.targets import target_add


@dataclass
class Things:
    ids: dict[str, int]


def alices_things(alice: User, copy: str = "") -> Things:
    """One of everything (`copy` tells a second set apart)."""
    priya = person_create(
        owner=alice,
        fields={"name": "Priya Shah", "emails": ["priya@example.org"], "company": "Lumen Labs"},
        tags=["design"],
    )
    bob = person_create(
        owner=alice, fields={"name": "Bob Lindqvist", "emails": [f"bob{copy}@example.org"]}
    )
    sam = person_create(owner=alice, fields={"name": "Sam Whitfield"})
    member = circle_add(person=bob, audience="inner")
    target = target_add(owner=alice, company=f"Lumen Labs{copy}", why="Their design team.")
    sent = ask_create(
        owner=alice,
        fields={"kind": "introduction", "request": "Would you introduce me to their design lead?"},
        people=[priya],
    )
    ask_send(ask=sent)
    draft = ask_create(
        owner=alice,
        fields={
            "kind": "advice",
            "request": "Could we have a coffee next week?",
            "needed_by": timezone.localdate() + timedelta(days=10),
            "target": target,
        },
        people=[bob],
    )
    draft_recipient = recipient_add(ask=draft, person=sam)
    opportunity = opportunity_create(
        owner=alice, fields={"company": "Lumen Labs", "role": "Senior Product Designer"}
    )
    update = update_post(owner=alice, kind="progress", text=f"Two interviews this week.{copy}")
    day = timezone.localdate() - timedelta(days=len(copy))
    checkin, _ = checkin_save(owner=alice, day=day, hope=3, energy=3, confidence=3)
    return Things(
        ids={
            "person_id": priya.pk,
            "other_person_id": sam.pk,
            "member_id": member.pk,
            "target_id": target.pk,
            "ask_id": draft.pk,
            "recipient_id": draft_recipient.pk,
            "opportunity_id": opportunity.pk,
            "update_id": update.pk,
            "checkin_id": checkin.pk,
        }
    )
