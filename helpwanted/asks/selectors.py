from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, HelpGiven, Recipient
from helpwanted.circle.models import CircleMember
from helpwanted.network.models import Person

Status = Recipient.Status


def asks_with_counts(owner: User) -> QuerySet[Ask]:
    return (
        Ask.objects.filter(owner=owner)
        .annotate(
            n_recipients=Count("recipients"),
            n_waiting=Count("recipients", filter=Q(recipients__status__in=Recipient.WAITING)),
            n_to_ask=Count("recipients", filter=Q(recipients__status=Status.TO_ASK)),
            n_yes=Count("recipients", filter=Q(recipients__status=Status.OFFERED)),
            n_answered=Count("recipients", filter=Q(recipients__answered_at__isnull=False)),
            n_thanked=Count("recipients", filter=Q(recipients__status=Status.THANKED)),
            n_club=Count("recipients", filter=Q(recipients__channel=Recipient.Channel.CLUB)),
        )
        .order_by("-created_at", "-id")
    )


def no_email_reason(recipient: Recipient, member: CircleMember | None) -> str:
    """Why sending this recipient their ask sends no email ("" when it does).

    `member` is the person's circle membership, None when they have none yet."""
    if not recipient.person.emails:
        return "there's no email address on their record"
    if recipient.person.email_bouncing:
        return "their email address bounced: check it on their page"
    if member is not None and member.unsubscribed_at is not None:
        return "they asked for no more emails"
    if member is not None and member.left_at is not None:
        return "they left your circle"
    if recipient.channel != Recipient.Channel.EMAIL:
        return "you chose to ask them in person"
    return ""


def gets_email(recipient: Recipient, member: CircleMember | None) -> bool:
    """Whether sending this recipient their ask sends an email (otherwise: ask in person)."""
    return not no_email_reason(recipient, member)


def ask_recipients(ask: Ask) -> list[Recipient]:
    """The ask's recipients; drafts carry `gets_email`, what pressing Send would do for them."""
    recipients: list[Recipient] = list(
        ask.recipients.select_related("person", "suggested_person", "club_offer").prefetch_related(
            Prefetch("events", to_attr="history")
        )
    )
    drafts = [r for r in recipients if r.status == Status.DRAFT]
    if drafts:
        members = {
            m.person_id: m
            for m in CircleMember.objects.filter(person_id__in=[r.person_id for r in drafts])
        }
        for r in drafts:
            r.no_email_reason = no_email_reason(r, members.get(r.person_id))
            r.gets_email = not r.no_email_reason
    return recipients


def follow_up_due(recipient: Recipient, now: datetime | None = None) -> bool:
    """No answer after the ask's follow-up days, and no follow-up yet."""
    now = now or timezone.now()
    return (
        recipient.is_waiting
        and recipient.followed_up_at is None
        and recipient.let_go_at is None
        and recipient.sent_at is not None
        and recipient.sent_at <= now - timedelta(days=recipient.ask.follow_up_days)
    )


def let_go_due(recipient: Recipient, now: datetime | None = None) -> bool:
    """Followed up once, still quiet: suggest letting it go. Never a third message."""
    now = now or timezone.now()
    return (
        recipient.is_waiting
        and recipient.followed_up_at is not None
        and recipient.let_go_at is None
        and recipient.followed_up_at <= now - timedelta(days=recipient.ask.follow_up_days)
    )


def recipients_needing_follow_up(owner: User, limit: int = 5) -> list[Recipient]:
    """The oldest quiet recipients first; a handful is plenty for a gentle nudge."""
    now = timezone.now()
    waiting = (
        Recipient.objects.filter(
            ask__owner=owner,
            ask__closed_at__isnull=True,
            status__in=Recipient.WAITING,
            let_go_at__isnull=True,
            sent_at__lte=now - timedelta(days=1),
        )
        .select_related("ask", "person")
        .order_by("sent_at")[:200]
    )
    due = [r for r in waiting if follow_up_due(r, now) or let_go_due(r, now)]
    return due[:limit]


def people_to_add(ask: Ask, query: str, limit: int = 10) -> list[Person]:
    query = query.strip()
    if not query:
        return []
    already = ask.recipients.values("person_id")
    return list(
        Person.objects.filter(owner=ask.owner, archived_at__isnull=True)
        .filter(Q(name__icontains=query) | Q(company__icontains=query))
        .exclude(pk__in=already)
        .order_by("name")[:limit]
    )


def ledger(owner: User) -> dict[str, object]:
    """The reciprocity ledger: asks, yeses, help received and thanks, per person."""
    people = (
        Person.objects.filter(
            owner=owner,
            ask_recipients__status__in=[
                Status.SENT,
                Status.OPENED,
                Status.OFFERED,
                Status.SUGGESTED,
                Status.NOT_NOW,
                Status.DECLINED,
                Status.DONE,
                Status.THANKED,
            ],
        )
        .annotate(
            n_asked=Count("ask_recipients", distinct=True),
            n_yes=Count(
                "ask_recipients",
                filter=Q(
                    ask_recipients__status__in=[
                        Status.OFFERED,
                        Status.SUGGESTED,
                        Status.DONE,
                        Status.THANKED,
                    ]
                ),
                distinct=True,
            ),
            n_helped=Count(
                "ask_recipients",
                filter=Q(
                    ask_recipients__status__in=[Status.DONE, Status.THANKED],
                    ask_recipients__answered_at__isnull=False,
                ),
                distinct=True,
            ),
            n_thanked=Count(
                "ask_recipients", filter=Q(ask_recipients__status=Status.THANKED), distinct=True
            ),
        )
        .order_by("-n_helped", "-n_yes", "name")
    )
    thanks_owed = list(
        Recipient.objects.filter(
            ask__owner=owner,
            status__in=[Status.OFFERED, Status.SUGGESTED, Status.DONE],
            thanked_at__isnull=True,
        ).select_related("person", "ask")
    )
    return {
        "people": list(people),
        "thanks_owed": thanks_owed,
        "help_given": list(HelpGiven.objects.filter(owner=owner)),
    }


def asks_for_helper(member: CircleMember) -> dict[str, list[Recipient]]:
    """What this helper sees: asks sent to them by this seeker, and the thanks they got."""
    mine = list(
        Recipient.objects.filter(person=member.person, ask__owner=member.owner)
        .exclude(status__in=Recipient.UNSENT)
        .select_related("ask")
        .order_by("-sent_at")
    )
    return {
        "open_asks": [r for r in mine if r.can_answer],
        "thanks": [r for r in mine if r.thanked_at is not None],
    }
