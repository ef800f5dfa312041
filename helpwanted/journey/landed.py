"""'I got the job': close asks kindly, thank everyone who helped, post a win, pay it forward."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.asks.thanks import Help, help_words, join_reasons
from helpwanted.circle.actions import member_link
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
from helpwanted.mail.replykeys import reply_headers, reply_key_issue
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


def _reachable(person: Person, member: CircleMember | None) -> CircleMember | None:
    """The member to email, if the person has an address and still hears from the seeker."""
    if not person.can_email or member is None or member.unsubscribed_at or member.left_at:
        return None
    return member


def _emailable(person: Person) -> CircleMember | None:
    return _reachable(person, CircleMember.objects.filter(person=person).first())


def search_land(*, owner: User, opportunity: Opportunity) -> Search:
    """Close the search around an accepted offer. Nothing is deleted; it can be reopened.

    The search's row (then the opportunity's) is locked first: "I got the job" pressed twice at
    once closes the search once, with one win and one stage change.
    """
    search_for(owner)
    with transaction.atomic():
        search = Search.objects.select_for_update().get(owner=owner)
        now = timezone.now()
        locked = Opportunity.all_objects.select_for_update().only("stage")
        stage = locked.get(pk=opportunity.pk).stage
        if stage != Stage.ACCEPTED:
            StageChange.objects.create(
                opportunity=opportunity,
                from_stage=stage,
                to_stage=Stage.ACCEPTED,
                note="I got the job!",
            )
            opportunity.stage_changed_at = now
            opportunity.stage = Stage.ACCEPTED
            opportunity.save(update_fields=["stage", "stage_changed_at"])
        opportunity.stage = Stage.ACCEPTED
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
        "person", "ask__target", "suggested_person"
    ):
        reasons.setdefault(r.person, []).append(help_words(Help.of(r)))
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
            reasons.setdefault(person, []).append(f"helping me with {o.company}")
    for reply in Reply.objects.filter(update__owner=owner).select_related("member__person"):
        reasons.setdefault(reply.member.person, []).append("cheering me on")
    return {p: list(dict.fromkeys(r)) for p, r in reasons.items()}


def thanks_draft(person: Person, reasons: list[str], opportunity: Opportunity) -> str:
    """The note for one helper, naming what they did in plain words (asks/thanks.py)."""
    hello = f"Hi {person.greeting_name}, " if person.greeting_name else "Hi, "
    what = join_reasons(reasons) or "being in my corner"
    return (
        f"{hello}I got the job: I'm joining {opportunity.company} as {opportunity.role}. "
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
        reply_to = reply_key_issue(member=member, kind="thanks", thank_you=thank_you)
        outbox_enqueue(
            key=f"landed-thanks:{thank_you.pk}",
            template="landed-thanks",
            to_email=thank_you.person.emails[0],
            user=thank_you.owner,
            unsubscribe_url=unsubscribe_url(member),
            headers=reply_headers(reply_to),
            context={
                "reply_to": reply_to,
                "seeker": thank_you.owner,
                "text": thank_you.text,
                "link": member_link(member) or "",  # none if the seeker switched it off
            },
        )
    return True


def unsent_thank_yous(owner: User) -> list[ThankYou]:
    """The drafts still to send, each marked with whether it can go by email."""
    drafts = list(
        ThankYou.objects.filter(owner=owner, sent_at__isnull=True).select_related("person")
    )
    members = {  # one membership a person at most
        m.person_id: m
        for m in CircleMember.objects.filter(person__in=[t.person_id for t in drafts])
    }
    for thank_you in drafts:
        member = members.get(thank_you.person_id)
        thank_you.gets_email = _reachable(thank_you.person, member) is not None
    return drafts


@dataclass
class SendAll:
    emailed: list[str] = field(default_factory=list)  # names of the people an email went to
    in_person: list[str] = field(default_factory=list)  # marked thanked; no email went
    kept: int = 0  # drafts saved but left unsent


def thank_yous_send(*, owner: User, texts: dict[int, str], chosen: set[int]) -> SendAll:
    """Send the thank-yous the seeker read on the review page, as they left them.

    `texts` holds the note shown for each draft (by id); only the ids in `chosen` are sent, and
    the rest keep their edited note. Drafts not shown on the page are left alone, and each
    email goes once (its outbox key is the thank-you's id).
    """
    result = SendAll()
    with transaction.atomic():
        # Locked: a second press at the same moment waits, then finds them sent and sends none.
        for thank_you in (
            ThankYou.objects.filter(owner=owner, sent_at__isnull=True, pk__in=list(texts))
            .select_related("person", "owner")
            .select_for_update(of=("self",))
        ):
            text = texts[thank_you.pk].strip()[:2000]
            if thank_you.pk not in chosen:
                if text and text != thank_you.text:
                    thank_you.text = text
                    thank_you.save(update_fields=["text"])
                result.kept += 1
            elif thank_you_send(thank_you=thank_you, text=text):
                result.emailed.append(thank_you.person.name)
            else:
                result.in_person.append(thank_you.person.name)
    return result


def landing_thanks_for_helper(member: CircleMember) -> list[ThankYou]:
    return list(
        ThankYou.objects.filter(owner=member.owner, person=member.person, sent_at__isnull=False)
    )
