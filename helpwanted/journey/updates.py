"""Updates to the circle: access checks, selectors and actions.

The seeker posts an update with an audience; helpers see the ones meant for their audience and
reply with encouragement (a message or a warm reaction) or an offer of help, which the seeker can
accept as an ask-like thread.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from helpwanted.accounts.http import AuthedRequest
from helpwanted.accounts.models import User
from helpwanted.asks.actions import AskError, ask_create, recipient_add
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.circle.news import news_enqueue
from helpwanted.journey.models import (
    VISIBLE_TO,
    Opportunity,
    Reaction,
    Reply,
    Update,
    UpdateAudience,
    UpdateKind,
)
from helpwanted.journey.opportunities import get_opportunity_for_seeker
from helpwanted.lib.ids import parse_id
from helpwanted.network.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

TEXT_MAX = 2000
MESSAGE_MAX = 500
# The same post sent twice within this window (a double tap, a resubmitted form) is one post.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)
# Kinds that go to the inner circle unless the seeker chooses otherwise.
INNER_BY_DEFAULT = (UpdateKind.FEELINGS, UpdateKind.REJECTION)


class UpdateError(Exception):
    """Something the person can fix, or already done; str(e) says what, kindly."""


# --- Access: one check per object type, on each side ---------------------------------------


def get_update_for_seeker(
    request: AuthedRequest, update_id: int, *, deleted: bool = False
) -> Update:
    """The seeker's own update, or 404; with `deleted=True`, only one they took down (for Undo)."""
    return get_object_or_404(
        Update.objects.select_related("opportunity"),
        pk=update_id,
        owner=request.user,
        deleted_at__isnull=not deleted,
    )


def get_reply_for_seeker(request: AuthedRequest, reply_id: int) -> Reply:
    return get_object_or_404(
        Reply.objects.select_related("update", "member__person"),
        pk=reply_id,
        update__owner=request.user,
        update__deleted_at__isnull=True,
    )


def get_update_for_helper(grant: HelperGrant, update_id: int) -> Update:
    """Only this grant's seeker's updates, meant for this helper's audience.

    A deleted update is still returned (so a late reply gets a clear message, not a 404);
    reply_post refuses it.
    """
    member = grant.member
    return get_object_or_404(
        Update,
        pk=update_id,
        owner_id=member.owner_id,
        audience__in=VISIBLE_TO.get(member.audience, ()),
    )


def get_opportunity_for_update(
    request: AuthedRequest, opportunity_id: str | None
) -> Opportunity | None:
    """The opportunity an update is about: the seeker's own, or 404. Blank or junk ids mean none."""
    pk = parse_id(opportunity_id)
    if pk is None:
        return None
    return get_opportunity_for_seeker(request, pk)


# --- Selectors ---------------------------------------------------------------------------


def updates_visible_to(member: CircleMember, *, since: datetime | None = None) -> QuerySet[Update]:
    """Every live update of member's seeker meant for member's audience, newest first.

    The one rule for what a helper may see; the helper page and the weekly digest both use it.
    A member who has left the circle sees nothing.
    """
    if member.left_at is not None:
        return Update.objects.none()
    updates = Update.objects.filter(
        owner_id=member.owner_id,
        audience__in=VISIBLE_TO.get(member.audience, ()),
        deleted_at__isnull=True,
    )
    if since is not None:
        updates = updates.filter(created_at__gt=since)
    return updates.order_by("-created_at", "-id")


def helper_updates(member: CircleMember, *, limit: int = 20) -> dict[str, object]:
    """Context for the helper's page: the latest updates for them, each with their own replies."""
    mine = Reply.objects.filter(member=member).order_by("created_at", "id")
    updates = list(
        updates_visible_to(member).prefetch_related(
            Prefetch("replies", queryset=mine, to_attr="my_replies")
        )[:limit]
    )
    for update in updates:
        update.my_reactions = {r.reaction for r in update.my_replies if r.reaction}
    return {"updates": updates, "reactions": Reaction.choices}


@dataclass
class ReplyGroup:
    """One helper's replies to one update."""

    member: CircleMember
    replies: list[Reply] = field(default_factory=list)

    @property
    def reactions(self) -> list[Reply]:
        return [r for r in self.replies if r.reaction]

    @property
    def messages(self) -> list[Reply]:
        return [r for r in self.replies if not r.reaction]


def group_replies(replies: Iterable[Reply]) -> list[ReplyGroup]:
    """Replies from one helper to one update sit together, in the order the first one came."""
    groups: dict[int, ReplyGroup] = {}
    for reply in replies:
        groups.setdefault(reply.member_id, ReplyGroup(member=reply.member)).replies.append(reply)
    return list(groups.values())


class _AllReplies(TypedDict):
    all_replies: list[Reply]


def seeker_updates(owner: User) -> "QuerySet[WithAnnotations[Update, _AllReplies]]":
    """The seeker's live updates, newest first, with every reply and who sent it (2 queries)."""
    replies = Reply.objects.select_related("member__person").order_by("created_at", "id")
    return (
        Update.objects.filter(owner=owner, deleted_at__isnull=True)
        .select_related("opportunity")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="all_replies"))
        .order_by("-created_at", "-id")
    )


def with_reply_groups[U: Iterable["WithAnnotations[Update, _AllReplies]"]](updates: U) -> U:
    for update in updates:
        update.reply_groups = group_replies(update.all_replies)
    return updates


def update_with_replies(update: Update) -> Update:
    replies = update.replies.select_related("member__person").order_by("created_at", "id")
    update.reply_groups = group_replies(replies)
    return update


def rejection_counts(owner: User) -> dict[str, int]:
    """Rejections shared, and the encouragement that came back to them. One query."""
    return Update.objects.filter(owner=owner, deleted_at__isnull=True).aggregate(
        rejections=Count("id", filter=Q(kind=UpdateKind.REJECTION), distinct=True),
        encouragements=Count(
            "replies",
            filter=Q(kind=UpdateKind.REJECTION, replies__kind=Reply.Kind.ENCOURAGEMENT),
            distinct=True,
        ),
    )


def rejection_text(opportunity: Opportunity | None) -> str:
    """The prepared words for sharing a rejection. The seeker can change every one of them."""
    if opportunity is None:
        return "Didn't get the role I was hoping for. Disappointed, still going."
    return (
        f"Didn't get the {opportunity.role} role at {opportunity.company}. "
        "Disappointed, still going."
    )


def default_audience(kind: str) -> str:
    return UpdateAudience.INNER if kind in INNER_BY_DEFAULT else UpdateAudience.SUPPORTERS


def composer_initial(*, kind: str, opportunity: Opportunity | None) -> dict[str, str]:
    kind = kind if kind in UpdateKind.values else UpdateKind.PROGRESS
    if opportunity is not None:
        kind = UpdateKind.REJECTION
    initial = {"kind": kind}
    if kind in INNER_BY_DEFAULT:
        # Preselected and said so. Otherwise the audience is left unchosen, so a feelings post
        # written on the plain composer still falls back to the inner circle (see update_post).
        initial["audience"] = UpdateAudience.INNER
    if kind == UpdateKind.REJECTION:
        initial["text"] = rejection_text(opportunity)
    return initial


# --- Actions -----------------------------------------------------------------------------


def _clean_text(text: str, *, limit: int, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise UpdateError(empty)
    if len(text) > limit:
        raise UpdateError(
            f"Please keep it under {limit:,} characters (it's {len(text):,} now). "
            "Short notes are easier to answer."
        )
    return text


def update_post(
    *,
    owner: User,
    kind: str,
    text: str,
    audience: str = "",
    opportunity: Opportunity | None = None,
) -> Update:
    """Share an update. Posting the same words twice in a row gives back the first post."""
    if kind not in UpdateKind.values:
        raise UpdateError("Choose what kind of update this is.")
    audience = audience or default_audience(kind)
    if audience not in UpdateAudience.values:
        raise UpdateError("Choose who sees this: your inner circle, supporters, or everyone.")
    text = _clean_text(text, limit=TEXT_MAX, empty="Write a line or two for your circle.")
    if opportunity is not None and opportunity.owner_id != owner.pk:
        raise UpdateError("That opportunity isn't one of yours.")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=owner.pk).first()  # one post at a time
        now = timezone.now()
        fields = {"kind": kind, "audience": audience, "text": text, "opportunity": opportunity}
        same = Update.objects.filter(
            owner=owner,
            deleted_at__isnull=True,
            created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
            **fields,
        ).first()
        if same is not None:
            return same
        update = Update.objects.create(owner=owner, created_at=now, **fields)
        news_enqueue(update=update)  # hard news, right away, to those who chose it (circle.news)
        return update


def update_delete(*, update: Update) -> bool:
    """Take an update down. Helpers stop seeing it; replies already sent stay with it."""
    with transaction.atomic():
        now = timezone.now()
        changed = Update.objects.filter(pk=update.pk, deleted_at__isnull=True).update(
            deleted_at=now
        )
        if changed:
            update.deleted_at = now
        return bool(changed)


def update_restore(*, update: Update) -> bool:
    """Undo a take-down: helpers see it again, with its replies. Nothing is emailed again."""
    with transaction.atomic():
        changed = Update.objects.filter(pk=update.pk, deleted_at__isnull=False).update(
            deleted_at=None
        )
    update.deleted_at = None
    return bool(changed)


def reply_post(
    *,
    update: Update,
    member: CircleMember,
    kind: str,
    reaction: str = "",
    text: str = "",
) -> tuple[Reply, bool]:
    """A helper's reply: a warm reaction, a short message, or an offer of help.

    Returns (reply, created). Sending the same reaction or the same words twice is one reply.
    """
    if update.owner_id != member.owner_id or update.audience not in VISIBLE_TO.get(
        member.audience, ()
    ):
        raise UpdateError("This update isn't one you can reply to.")
    if update.deleted_at is not None:
        name = update.owner.first_name or "They"
        raise UpdateError(
            f"{name} has taken this update down, so it can't take replies now. "
            "Thank you for wanting to answer."
        )
    if kind == Reply.Kind.ENCOURAGEMENT and reaction:
        if reaction not in Reaction.values:
            raise UpdateError("Choose one of the reactions on the page.")
        text = ""
    elif kind == Reply.Kind.ENCOURAGEMENT:
        reaction = ""
        text = _clean_text(
            text, limit=MESSAGE_MAX, empty="Write a few words, or tap one of the reactions."
        )
    elif kind == Reply.Kind.OFFER:
        reaction = ""
        text = _clean_text(
            text, limit=TEXT_MAX, empty="Say what you could help with, in a line or two."
        )
    else:
        raise UpdateError("Choose encouragement or an offer of help.")
    with transaction.atomic():
        # Lock the helper's row so a double tap can't make two replies.
        CircleMember.objects.select_for_update().filter(pk=member.pk).first()
        return Reply.objects.get_or_create(
            update=update, member=member, kind=kind, reaction=reaction, text=text
        )


def accepted_ask(reply: Reply) -> Ask | None:
    """The ask an accepted offer became (the newest that matches), for a second tap on Accept."""
    return (
        Ask.objects.filter(
            owner_id=reply.update.owner_id,
            request=reply.text,
            recipients__person_id=reply.member.person_id,
            recipients__status=Recipient.Status.OFFERED,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def offer_accept(*, reply: Reply) -> Ask:
    """Accept a helper's offer: it becomes an ask-like thread with them, already answered yes."""
    if reply.kind != Reply.Kind.OFFER:
        raise UpdateError("Only an offer of help can be accepted.")
    if reply.update.deleted_at is not None:
        raise UpdateError("This update was taken down, so its offers are closed.")
    person = reply.member.person
    with transaction.atomic():
        now = timezone.now()
        claimed = Reply.objects.filter(pk=reply.pk, accepted_at__isnull=True).update(
            accepted_at=now
        )
        if not claimed:
            raise UpdateError(f"You've already accepted {person.name}'s offer.")
        try:
            ask = ask_create(
                owner=reply.update.owner,
                fields={"kind": "other", "request": reply.text, "sent_at": now},
            )
            recipient = recipient_add(ask=ask, person=person)
        except AskError as error:
            raise UpdateError(str(error)) from error
        recipient.status = Recipient.Status.OFFERED
        recipient.answer_message = reply.text
        recipient.sent_at = now
        recipient.answered_at = now
        recipient.answer_notified_at = now  # the seeker knows: they accepted it themselves
        recipient.save(
            update_fields=[
                "status",
                "answer_message",
                "sent_at",
                "answered_at",
                "answer_notified_at",
            ]
        )
        RecipientEvent.objects.create(
            recipient=recipient,
            status=Recipient.Status.OFFERED,
            note="offered in reply to an update",
        )
        Person.objects.filter(pk=person.pk).update(
            asks_count=F("asks_count") + 1, answers_count=F("answers_count") + 1
        )
        reply.accepted_at = now
    return ask
