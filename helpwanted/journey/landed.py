"""'I got the job': close asks kindly, thank everyone who helped, post a win, pay it forward."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.circle.actions import grant_issue
from helpwanted.circle.models import CircleMember
from helpwanted.circle.unsubscribe import unsubscribe_url
from helpwanted.journey.models import (
    Opportunity,
    Reply,
    Search,
    Stage,
    StageChange,
    ThankYou,
    Update,
    UpdateAudience,
    UpdateKind,
)
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.network.models import Person

HELPED = (
    Recipient.Status.OFFERED,
    Recipient.Status.SUGGESTED,
    Recipient.Status.DONE,
    Recipient.Status.THANKED,
)


def search_for(owner: User) -> Search:
    search, _ = Search.objects.get_or_create(owner=owner)
    return search


def _emailable(person: Person) -> CircleMember | None:
    member = CircleMember.objects.filter(person=person).first()
    if not person.emails or member is None or member.unsubscribed_at or member.left_at:
        return None
    return member


def search_land(*, owner: User, opportunity: Opportunity) -> Search:
    """Close the search around an accepted offer. Nothing is deleted; it can be reopened."""
    with transaction.atomic():
        now = timezone.now()
        if opportunity.stage != Stage.ACCEPTED:
            StageChange.objects.create(
                opportunity=opportunity,
                from_stage=opportunity.stage,
                to_stage=Stage.ACCEPTED,
                note="I got the job!",
            )
            opportunity.stage = Stage.ACCEPTED
            opportunity.stage_changed_at = now
            opportunity.save(update_fields=["stage", "stage_changed_at"])
        search = search_for(owner)
        already = search.landed_at is not None
        search.landed_at = search.landed_at or now
        search.landed_opportunity = opportunity
        search.save(update_fields=["landed_at", "landed_opportunity"])
        if already:
            return search
        for recipient in Recipient.objects.filter(
            ask__owner=owner, ask__closed_at__isnull=True, status__in=Recipient.OPEN
        ).select_related("person", "ask"):
            member = _emailable(recipient.person)
            if member is not None:
                outbox_enqueue(
                    key=f"ask:{recipient.pk}:landed",
                    template="ask-landed",
                    to_email=recipient.person.emails[0],
                    user=owner,
                    unsubscribe_url=unsubscribe_url(member),
                    context={"recipient": recipient, "seeker": owner, "opportunity": opportunity},
                )
        Ask.objects.filter(owner=owner, closed_at__isnull=True).update(closed_at=now)
        Update.objects.create(
            owner=owner,
            kind=UpdateKind.WIN,
            audience=UpdateAudience.EVERYONE,
            text=(
                f"I got the job! I'm joining {opportunity.company} as {opportunity.role}. "
                "Thank you for being in my corner."
            ),
            opportunity=opportunity,
        )
        for person, reasons in helpers_to_thank(owner).items():
            ThankYou.objects.get_or_create(
                owner=owner,
                person=person,
                defaults={"text": thanks_draft(person, reasons, opportunity)},
            )
    return search


def search_reopen(*, owner: User) -> Search:
    search = search_for(owner)
    search.landed_at = None
    search.save(update_fields=["landed_at"])
    return search


def helpers_to_thank(owner: User) -> dict[Person, list[str]]:
    """Everyone who helped: offers, suggestions, referrals, introductions, encouragement."""
    reasons: dict[Person, list[str]] = {}
    for r in Recipient.objects.filter(ask__owner=owner, status__in=HELPED).select_related(
        "person", "ask"
    ):
        reasons.setdefault(r.person, []).append(
            "pointing me to someone"
            if r.status == Recipient.Status.SUGGESTED
            else f"your help with {r.ask.get_kind_display().lower()}"
        )
    for o in (
        Opportunity.objects.filter(owner=owner)
        .filter(Q(referred_by__isnull=False) | Q(helpers__isnull=False))
        .select_related("referred_by")
        .prefetch_related("helpers")
        .distinct()
    ):
        if o.referred_by:
            reasons.setdefault(o.referred_by, []).append(f"referring me to {o.company}")
        for person in o.helpers.all():
            reasons.setdefault(person, []).append(f"helping with {o.company}")
    for reply in Reply.objects.filter(update__owner=owner).select_related("member__person"):
        reasons.setdefault(reply.member.person, []).append("your encouragement")
    return {p: list(dict.fromkeys(r)) for p, r in reasons.items()}


def thanks_draft(person: Person, reasons: list[str], opportunity: Opportunity) -> str:
    first = person.name.split()[0] if person.name else ""
    what = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
    return (
        f"Dear {first}, I got the job: I'm joining {opportunity.company} as {opportunity.role}. "
        f"Thank you for {what}. It made a real difference, and I won't forget it."
    )


def thank_you_send(*, thank_you: ThankYou, text: str) -> bool:
    """Send one landing thank-you. Returns False if there was no way to email them."""
    with transaction.atomic():
        thank_you.text = text.strip() or thank_you.text
        thank_you.sent_at = thank_you.sent_at or timezone.now()
        thank_you.save(update_fields=["text", "sent_at"])
        member = _emailable(thank_you.person)
        if member is None:
            return False
        _, token = grant_issue(member=member)
        outbox_enqueue(
            key=f"landed-thanks:{thank_you.pk}",
            template="landed-thanks",
            to_email=thank_you.person.emails[0],
            user=thank_you.owner,
            unsubscribe_url=unsubscribe_url(member),
            context={
                "seeker": thank_you.owner,
                "text": thank_you.text,
                "link": settings.SITE_URL + reverse("circle:helper_link", args=[token]),
            },
        )
    return True


def landing_thanks_for_helper(member: CircleMember) -> list[ThankYou]:
    return list(
        ThankYou.objects.filter(owner=member.owner, person=member.person, sent_at__isnull=False)
    )
