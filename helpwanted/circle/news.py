"""Hard news, right away: a shared rejection or setback reaches the members who chose to hear it.

Each consenting member whose audience may see the update, and whose news choice is "right away"
(the inner circle's default), gets one email per update through the outbox, keyed
`update:{update}:{member}` so it is never sent twice. The email offers a word of encouragement in
two taps: each reaction is a link to a page with it chosen (a GET changes nothing) and one Send.
Everyone else reads it in the weekly summary. Wins and progress wait for the summary.
"""

from django.db import transaction

from helpwanted.circle.actions import member_link
from helpwanted.circle.models import CircleMember
from helpwanted.circle.unsubscribe import unsubscribe_url
from helpwanted.journey.models import VISIBLE_TO, Reaction, Reply, Update, UpdateKind
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.replykeys import reply_headers, reply_key_issue

NEWS_KINDS = (UpdateKind.REJECTION, UpdateKind.SETBACK)
# The warm words offered as buttons in the email (pride fits a win, not a rejection).
EMAIL_REACTIONS = (Reaction.HEART, Reaction.STRONG, Reaction.HERE)


def news_recipients(update: Update) -> list[CircleMember]:
    audiences = [a for a, visible in VISIBLE_TO.items() if update.audience in visible]
    members = CircleMember.objects.filter(
        owner_id=update.owner_id,
        audience__in=audiences,
        consented_at__isnull=False,
        left_at__isnull=True,
        unsubscribed_at__isnull=True,
    ).select_related("person")
    return [m for m in members if m.news_right_away and m.person.can_email]


NEWS_TEMPLATE = "update-news"


def news_key(update_id: int, member_id: int) -> str:
    """One right-away email per update and member, ever."""
    return f"update:{update_id}:{member_id}"


def news_enqueue(*, update: Update) -> int:
    """Queue the right-away emails for a newly shared update. Returns how many."""
    if update.kind not in NEWS_KINDS or update.deleted_at is not None:
        return 0
    seeker = update.owner
    queued = 0
    with transaction.atomic():
        for member in news_recipients(update):
            link = member_link(member, f"u={update.pk}") or ""
            reply_to = reply_key_issue(member=member, kind="update", update=update)
            outbox_enqueue(
                key=news_key(update.pk, member.pk),
                template=NEWS_TEMPLATE,
                to_email=member.person.emails[0],
                user=seeker,
                unsubscribe_url=unsubscribe_url(member),
                headers=reply_headers(reply_to),
                context={
                    "reply_to": reply_to,
                    "seeker": seeker,
                    "person": member.person,
                    "update": update,
                    "link": link,
                    "reactions": [(r.value, r.label) for r in EMAIL_REACTIONS],
                },
            )
            queued += 1
    return queued


def encourage_send(*, update: Update, member: CircleMember, reaction: str, text: str) -> None:
    """A warm reaction and/or a few words, as replies to the update (each at most once)."""
    from helpwanted.journey.updates import reply_post  # journey.updates imports this module

    with transaction.atomic():
        if reaction:
            reply_post(
                update=update, member=member, kind=Reply.Kind.ENCOURAGEMENT, reaction=reaction
            )
        if text.strip():
            reply_post(update=update, member=member, kind=Reply.Kind.ENCOURAGEMENT, text=text)
