"""What the home page reads: a calm summary of the search, in a constant number of queries."""

from typing import Any

from django.db.models import Count, Q

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.journey.models import ACTIVE_STAGES, CheckIn, Opportunity, Reply, Search
from helpwanted.network.models import Person
from helpwanted.nudges.steps import home_steps


def home_summary(owner: User) -> dict[str, Any]:
    has_people = Person.objects.filter(owner=owner).exists()
    if not has_people:
        return {"has_people": False}
    answers = list(
        Recipient.objects.filter(ask__owner=owner, answered_at__isnull=False)
        .select_related("person", "ask")
        .order_by("-answered_at")[:5]
    )
    replies = list(
        Reply.objects.filter(update__owner=owner, update__deleted_at__isnull=True)
        .select_related("member__person", "update")
        .order_by("-created_at")[:5]
    )
    open_asks = list(
        Ask.objects.filter(owner=owner, closed_at__isnull=True)
        .annotate(
            n_waiting=Count("recipients", filter=Q(recipients__status__in=Recipient.WAITING)),
            n_to_ask=Count("recipients", filter=Q(recipients__status=Recipient.Status.TO_ASK)),
            n_recipients=Count("recipients"),
        )
        .order_by("-created_at")[:3]
    )
    moving = list(
        Opportunity.objects.filter(owner=owner, stage__in=ACTIVE_STAGES).order_by(
            "-stage_changed_at"
        )[:5]
    )
    return {
        "has_people": True,
        "search": Search.objects.filter(owner=owner).first(),
        "news": sorted(
            [("answer", r.answered_at, r) for r in answers if r.answered_at is not None]
            + [("reply", r.created_at, r) for r in replies],
            key=lambda item: item[1],
            reverse=True,
        )[:6],
        "open_asks": open_asks,
        "moving": moving,
        "last_checkin": CheckIn.objects.filter(owner=owner).order_by("-day").first(),
        **home_steps(owner),  # next_steps, early_ask
    }
