"""Asks: compose, send one personal email each, answer, follow up, record, thank."""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks import thanks
from helpwanted.asks.models import Ask, HelpGiven, Recipient, RecipientEvent
from helpwanted.asks.selectors import gets_email
from helpwanted.circle.actions import member_link
from helpwanted.circle.models import Audience, CircleMember
from helpwanted.circle.unsubscribe import unsubscribe_url
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.replykeys import reply_headers, reply_key_issue
from helpwanted.network.models import Person, Source
from helpwanted.network.parsing import normalise_email, normalise_name

Status = Recipient.Status


class AskError(Exception):
    """Something the seeker can fix; str(e) says what, kindly."""


def _event(recipient: Recipient, status: str, note: str = "") -> None:
    RecipientEvent.objects.create(recipient=recipient, status=status, note=note[:200])


def ask_create(*, owner: User, fields: dict[str, Any], people: Sequence[Person] = ()) -> Ask:
    """The draft ask and its first recipients, all or nothing: every person is checked first."""
    with transaction.atomic():
        problems = [problem for person in people if (problem := _cannot_ask(owner.pk, person))]
        if problems:
            raise AskError(" ".join(problems))
        ask = Ask.objects.create(owner=owner, **fields)
        for person in people:
            _draft_for(ask, person)
    return ask


def ask_update(*, ask: Ask, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(ask, name, value)
    ask.save(update_fields=list(fields))


def open_asks_to(person: Person, *, excluding: Ask | None = None) -> int:
    recipients = Recipient.objects.filter(
        person=person, status__in=Recipient.CAPPED, ask__closed_at__isnull=True
    )
    if excluding is not None:
        recipients = recipients.exclude(ask=excluding)
    return recipients.count()


def _cannot_ask(owner_id: int, person: Person, excluding: Ask | None = None) -> str:
    """Why this seeker can't add this person to an ask now, or "" when they can."""
    if person.owner_id != owner_id:
        return "You can only ask people from your own list."
    cap = settings.ASK_OPEN_CAP
    if open_asks_to(person, excluding=excluding) >= cap:
        return (
            f"{person.name} already has {cap} open asks from you. Giving people room keeps "
            "them glad to help: close or thank one of those first, or ask someone new."
        )
    return ""


def _draft_for(ask: Ask, person: Person, personal_line: str = "") -> Recipient:
    member = CircleMember.objects.filter(person=person).first()
    by_email = person.can_email and (member is None or member.unsubscribed_at is None)
    recipient, _ = Recipient.objects.get_or_create(
        ask=ask,
        person=person,
        defaults={
            "personal_line": personal_line.strip()[:500],
            "channel": Recipient.Channel.EMAIL if by_email else Recipient.Channel.IN_PERSON,
        },
    )
    return recipient


def recipient_add(*, ask: Ask, person: Person, personal_line: str = "") -> Recipient:
    with transaction.atomic():
        problem = _cannot_ask(ask.owner_id, person, excluding=ask)
        if problem:
            raise AskError(problem)
        return _draft_for(ask, person, personal_line)


def _check_channel(recipient: Recipient, channel: str) -> None:
    if channel not in Recipient.Channel.values:
        raise AskError(
            f"Choose how you'll ask {recipient.person.name}: by email, or in person or by phone."
        )
    if channel == Recipient.Channel.EMAIL and not recipient.person.emails:
        raise AskError(
            f"We don't have an email for {recipient.person.name}. Add one to their record, or "
            "ask them in person and track the answer here."
        )
    if channel == Recipient.Channel.EMAIL and recipient.person.email_bouncing:
        raise AskError(
            f"{recipient.person.name}'s email address bounced. Check it on their page, or ask "
            "them in person and track the answer here."
        )


def recipient_update(*, recipient: Recipient, personal_line: str, channel: str) -> None:
    _check_channel(recipient, channel)
    recipient.personal_line = personal_line.strip()[:500]
    recipient.channel = channel
    recipient.save(update_fields=["personal_line", "channel"])


def drafts_save(
    *, ask: Ask, lines: Mapping[int, str], channels: Mapping[int, str] | None = None
) -> list[Recipient]:
    """What the seeker typed for each draft recipient, saved together (typed text is never lost).

    Ids that are not drafts of this ask are ignored. A bad channel saves nothing (AskError).
    """
    channels = channels or {}
    with transaction.atomic():
        # Locked, so a Send at the same moment waits and then finds them no longer drafts.
        drafts = list(
            ask.recipients.filter(status=Status.DRAFT)
            .select_related("person")
            .select_for_update(of=("self",))
        )
        for recipient in drafts:
            if recipient.pk in channels:
                _check_channel(recipient, channels[recipient.pk])
        for recipient in drafts:
            line = lines.get(recipient.pk, recipient.personal_line).strip()[:500]
            channel = channels.get(recipient.pk, recipient.channel)
            if (line, channel) != (recipient.personal_line, recipient.channel):
                recipient.personal_line, recipient.channel = line, channel
                recipient.save(update_fields=["personal_line", "channel"])
    return drafts


def recipient_remove(*, recipient: Recipient) -> None:
    gone = "This ask has already gone to them, so it stays on the record."
    if recipient.status != Status.DRAFT:
        raise AskError(gone)
    with transaction.atomic():  # locked: a Send at the same moment goes first or waits
        row = Recipient.objects.select_for_update().filter(pk=recipient.pk).first()
        if row is None:
            return  # a double click: the first one removed them
        if row.status != Status.DRAFT:
            raise AskError(gone)
        row.delete()


def recipient_mark_asked(*, recipient: Recipient) -> None:
    """The seeker asked this person face to face or by phone: now it waits for their answer."""
    if recipient.status != Status.TO_ASK:
        raise AskError(f"{recipient.person.name} already has this ask.")
    with transaction.atomic():
        updated = Recipient.objects.filter(pk=recipient.pk, status=Status.TO_ASK).update(
            status=Status.SENT, sent_at=timezone.now(), channel=Recipient.Channel.IN_PERSON
        )
        if not updated:  # a double click: the first one did it
            return
        recipient.refresh_from_db(fields=["status", "sent_at", "channel"])
        _event(recipient, Status.SENT, "asked in person")
        Person.objects.filter(pk=recipient.person_id).update(asks_count=F("asks_count") + 1)


def _helper_link(member: CircleMember, recipient: Recipient) -> str:
    """The member's one live link, opening this ask; "" when the seeker switched it off."""
    return member_link(member, f"r={recipient.pk}") or ""


def _ensure_member(person: Person) -> CircleMember:
    """Someone asked personally joins the circle as 'network': they see only their own asks."""
    member, _ = CircleMember.objects.get_or_create(
        person=person, defaults={"owner": person.owner, "audience": Audience.NETWORK}
    )
    return member


def ask_send(
    *, ask: Ask, lines: Mapping[int, str] | None = None, channels: Mapping[int, str] | None = None
) -> list[Recipient]:
    """Email each draft recipient their own message, never one group email, with the personal
    lines typed on the send screen saved first. Whoever can't be emailed (no address,
    unsubscribed, left, or asked in person by choice) is "to ask in person", never "sent".

    The ask's row is locked first, so two Sends at once are one Send: the second waits, finds no
    drafts left and returns [] (nothing new went out).
    """
    with transaction.atomic():
        locked = Ask.objects.select_for_update().only("sent_at").get(pk=ask.pk)
        ask.sent_at = locked.sent_at
        drafts = drafts_save(ask=ask, lines=lines or {}, channels=channels)
        if not drafts and ask.sent_at is not None:
            return []
        if not drafts:
            raise AskError("Choose at least one person to ask.")
        now = timezone.now()
        for recipient in drafts:
            person = recipient.person
            member = _ensure_member(person)
            emailable = gets_email(recipient, member)
            if emailable:
                reply_to = reply_key_issue(member=member, kind="ask", recipient=recipient)
                outbox_enqueue(
                    key=f"ask:{recipient.pk}:sent",
                    template="ask",
                    to_email=person.emails[0],
                    user=ask.owner,
                    unsubscribe_url=unsubscribe_url(member),
                    headers=reply_headers(reply_to),
                    context={
                        "ask": ask,
                        "recipient": recipient,
                        "person": person,
                        "seeker": ask.owner,
                        "link": _helper_link(member, recipient),
                        "reply_to": reply_to,
                    },
                )
            elif recipient.channel == Recipient.Channel.EMAIL:
                recipient.channel = Recipient.Channel.IN_PERSON
            recipient.status = Status.SENT if emailable else Status.TO_ASK
            recipient.sent_at = now if emailable else None
            recipient.save(update_fields=["status", "sent_at", "channel"])
            _event(recipient, recipient.status, "by email" if emailable else "")
        emailed = [r.person_id for r in drafts if r.status == Status.SENT]
        Person.objects.filter(pk__in=emailed).update(asks_count=F("asks_count") + 1)
        if ask.sent_at is None:
            ask.sent_at = now
            ask.save(update_fields=["sent_at"])
    return drafts


def helper_opened(*, member: CircleMember) -> int:
    """The helper pressed Continue on their link: their sent asks are now 'opened'.

    Each row moves only while still 'sent' (a conditional update), so two presses at once
    record one "opened" each.
    """
    with transaction.atomic():
        waiting = list(
            Recipient.objects.filter(
                person_id=member.person_id, status=Status.SENT, ask__owner_id=member.owner_id
            )
        )
        now = timezone.now()
        opened = 0
        for recipient in waiting:
            if Recipient.objects.filter(pk=recipient.pk, status=Status.SENT).update(
                status=Status.OPENED, opened_at=now
            ):
                recipient.status, recipient.opened_at = Status.OPENED, now
                _event(recipient, Status.OPENED)
                opened += 1
    return opened


ANSWERS = {
    "yes": Status.OFFERED,
    "suggest": Status.SUGGESTED,
    "not_now": Status.NOT_NOW,
    "no": Status.DECLINED,
}


def _suggested_person(recipient: Recipient, suggestion: dict[str, str]) -> Person:
    """'I can't, but try …' becomes a second-degree lead in the seeker's people."""
    owner = recipient.ask.owner
    name = " ".join(suggestion.get("name", "").split())
    email = normalise_email(suggestion.get("email", ""))
    company = " ".join(suggestion.get("company", "").split())
    existing = None
    if email:
        existing = Person.objects.filter(owner=owner, email_key=email).first()
    if existing is None:
        existing = Person.objects.filter(owner=owner, name_key=normalise_name(name)).first()
    if existing is not None:
        return existing
    helper = recipient.person
    _check_suggestion_caps(recipient)
    person = Person(
        owner=owner,
        name=name,
        emails=[email] if email else [],
        company=company,
        relationship="acquaintance",
        how_we_know=f"Suggested by {helper.name}",
        notes=suggestion.get("note", "").strip(),
        sources=[Source.SUGGESTED],
        suggested_by=helper,
    )
    person.refresh_keys()
    person.save()
    _event(recipient, Status.SUGGESTED, SUGGESTED_NEW)
    return person


# One helper link must not be a way to fill a seeker's people: new people suggested per answer,
# and per helper in a day. Suggesting someone already in the seeker's people never counts.
SUGGESTED_NEW = "suggested someone new"
SUGGESTIONS_PER_ANSWER = 3
SUGGESTIONS_PER_DAY = 10


def _check_suggestion_caps(recipient: Recipient) -> None:
    seeker = recipient.ask.owner.first_name or "they"
    made = RecipientEvent.objects.filter(note=SUGGESTED_NEW)
    if made.filter(recipient=recipient).count() >= SUGGESTIONS_PER_ANSWER:
        raise AskError(
            f"Thank you! You've already suggested {SUGGESTIONS_PER_ANSWER} people for this ask, "
            f"which gives {seeker} plenty to go on. If there's someone else, tell {seeker} "
            "about them in your message."
        )
    since = timezone.now() - timedelta(days=1)
    today = made.filter(recipient__person=recipient.person, at__gte=since).count()
    if today >= SUGGESTIONS_PER_DAY:
        raise AskError(
            f"Thank you for so many suggestions today! You can suggest more people tomorrow; "
            f"for now, tell {seeker} about them in your message."
        )


def recipient_answer(
    *,
    recipient: Recipient,
    answer: str,
    message: str = "",
    offer_when: str = "",
    suggestion: dict[str, str] | None = None,
) -> bool:
    """Record the helper's answer. Returns False when nothing changed (a double submit)."""
    status = ANSWERS[answer]
    message = message.strip()
    with transaction.atomic():
        recipient = (
            Recipient.objects.select_for_update()
            .select_related("ask", "person")
            .get(pk=recipient.pk)
        )
        if not recipient.can_answer:
            raise AskError("This ask is finished, so answers are closed. Thank you all the same.")
        if (recipient.status, recipient.answer_message, recipient.offer_when) == (
            status,
            message,
            offer_when.strip(),
        ) and (status != Status.SUGGESTED or recipient.suggested_person_id):
            return False
        first_answer = recipient.answered_at is None
        recipient.status = status
        recipient.answer_message = message
        recipient.offer_when = offer_when.strip() if status == Status.OFFERED else ""
        if status == Status.SUGGESTED and suggestion:
            recipient.suggested_person = _suggested_person(recipient, suggestion)
        recipient.answered_at = timezone.now()
        recipient.answer_notified_at = None
        recipient.save(
            update_fields=[
                "status",
                "answer_message",
                "offer_when",
                "suggested_person",
                "answered_at",
                "answer_notified_at",
            ]
        )
        _event(recipient, status, "changed their answer" if not first_answer else "")
        if first_answer:
            Person.objects.filter(pk=recipient.person_id).update(
                answers_count=F("answers_count") + 1
            )
    return True


def recipient_record_answer(*, recipient: Recipient, answer: str, message: str = "") -> bool:
    """The seeker records by hand an answer given in person or by phone."""
    if recipient.status == Status.TO_ASK:  # an answer means they were asked
        recipient_mark_asked(recipient=recipient)
    return recipient_answer(recipient=recipient, answer=answer, message=message)


def follow_up_text(recipient: Recipient) -> str:
    first = recipient.person.name.split()[0] if recipient.person.name else "there"
    date_line = ""
    if recipient.ask.needed_by:
        date_line = f" It would help most by {recipient.ask.needed_by:%A %-d %B}."
    return (
        f"Hi {first}, I'm bringing this back to the top of your inbox in case it got buried: "
        f"{recipient.ask.request.strip()}{date_line} If now isn't a good time, that's completely "
        "fine; just tap “Not right now” and I'll know."
    )


def _locked(recipient: Recipient) -> Recipient:
    """The recipient's row, locked until the transaction ends, copied onto `recipient`.

    Call inside transaction.atomic(): a second request for the same row waits here, then sees
    what the first one wrote.
    """
    row = Recipient.objects.select_for_update().get(pk=recipient.pk)
    for field in Recipient._meta.concrete_fields:
        setattr(recipient, field.attname, getattr(row, field.attname))
    return recipient


def recipient_follow_up(*, recipient: Recipient, text: str) -> bool:
    """One gentle follow-up, sent by the seeker. Never a second one, even from a double submit.

    Returns True when it went by email; False when it is only recorded (the seeker follows up
    in person, or we may not email them), so the page never claims an email that didn't go.
    """
    with transaction.atomic():
        _locked(recipient)
        if recipient.followed_up_at is not None:
            raise AskError(
                f"You've already followed up with {recipient.person.name}. "
                "It's kind to let it go now."
            )
        if not recipient.is_waiting:
            raise AskError(f"{recipient.person.name} has already answered.")
        # A club offer's recipient is a fellow member, never emailed from here (clubs/rounds.py).
        club = recipient.channel == Recipient.Channel.CLUB
        member = None if club else _ensure_member(recipient.person)
        emailed = bool(
            member is not None
            and recipient.channel == Recipient.Channel.EMAIL
            and recipient.person.can_email
            and member.unsubscribed_at is None
        )
        if emailed and member is not None:
            reply_to = reply_key_issue(member=member, kind="ask", recipient=recipient)
            outbox_enqueue(
                key=f"ask:{recipient.pk}:followup",
                template="ask-follow-up",
                to_email=recipient.person.emails[0],
                user=recipient.ask.owner,
                unsubscribe_url=unsubscribe_url(member),
                headers=reply_headers(reply_to),
                context={
                    "recipient": recipient,
                    "ask": recipient.ask,
                    "seeker": recipient.ask.owner,
                    "text": text.strip(),
                    "link": _helper_link(member, recipient),
                    "reply_to": reply_to,
                },
            )
        recipient.followed_up_at = timezone.now()
        recipient.save(update_fields=["followed_up_at"])
        _event(recipient, recipient.status, "followed up" if emailed else "followed up in person")
    return emailed


def recipient_let_go(*, recipient: Recipient) -> None:
    with transaction.atomic():
        now = timezone.now()
        if Recipient.objects.filter(pk=recipient.pk, let_go_at__isnull=True).update(let_go_at=now):
            recipient.let_go_at = now
            _event(recipient, recipient.status, "let it go")


def recipient_done(*, recipient: Recipient, outcome: str, led_to: str) -> None:
    """Record what the help led to. The same outcome sent twice (a double submit) is one."""
    with transaction.atomic():
        _locked(recipient)
        if (recipient.status, recipient.outcome, recipient.led_to) == (
            Status.DONE,
            outcome.strip(),
            led_to,
        ):
            return
        recipient.status = Status.DONE
        recipient.outcome = outcome.strip()
        recipient.led_to = led_to
        recipient.done_at = timezone.now()
        recipient.save(update_fields=["status", "outcome", "led_to", "done_at"])
        _event(recipient, Status.DONE, recipient.get_led_to_display())


def thanks_text(recipient: Recipient) -> str:
    """The prepared thank-you, naming the help in plain words (see asks/thanks.py)."""
    return thanks.thanks_message(recipient.person.greeting_name, thanks.Help.of(recipient))


class Thanked(StrEnum):
    """What recipient_thank did, so the page says only what happened."""

    EMAILED = "emailed"
    ALREADY_EMAILED = "already_emailed"  # new words saved; their first thank-you went already
    NOT_EMAILED = "not_emailed"  # no address, or they asked for no more email: thank in person
    IN_CLUB = "in_club"  # a job-club offer: recorded; no email goes from here (clubs/rounds.py)


def recipient_thank(*, recipient: Recipient, text: str) -> Thanked:
    text = text.strip()
    if not text:
        raise AskError("Write a line or two of thanks. The prepared text is a good start.")
    with transaction.atomic():
        _locked(recipient)
        key = f"ask:{recipient.pk}:thanks"
        emailed_before = OutboxMessage.objects.filter(key=key).exists()
        club = recipient.channel == Recipient.Channel.CLUB
        if recipient.status == Status.THANKED and recipient.thanks_text == text:
            # A double submit: thanked once, one email.
            if club:
                return Thanked.IN_CLUB
            return Thanked.ALREADY_EMAILED if emailed_before else Thanked.NOT_EMAILED
        recipient.thanks_text = text
        recipient.thanked_at = timezone.now()
        if recipient.status != Status.THANKED:
            if recipient.done_at is None:
                recipient.done_at = recipient.thanked_at
            recipient.status = Status.THANKED
        recipient.save(update_fields=["thanks_text", "thanked_at", "status", "done_at"])
        _event(recipient, Status.THANKED)
        if club:
            return Thanked.IN_CLUB
        if emailed_before:
            return Thanked.ALREADY_EMAILED
        member = _ensure_member(recipient.person)
        if not (recipient.person.can_email and member.unsubscribed_at is None):
            return Thanked.NOT_EMAILED
        reply_to = reply_key_issue(member=member, kind="thanks", recipient=recipient)
        outbox_enqueue(
            key=key,
            template="ask-thanks",
            to_email=recipient.person.emails[0],
            user=recipient.ask.owner,
            unsubscribe_url=unsubscribe_url(member),
            headers=reply_headers(reply_to),
            context={
                "recipient": recipient,
                "seeker": recipient.ask.owner,
                "text": text,
                "link": _helper_link(member, recipient),
                "reply_to": reply_to,
            },
        )
    return Thanked.EMAILED


def ask_close(*, ask: Ask) -> None:
    ask.closed_at = timezone.now()
    ask.save(update_fields=["closed_at"])


def ask_reopen(*, ask: Ask) -> None:
    ask.closed_at = None
    ask.save(update_fields=["closed_at"])


def help_given_add(*, owner: User, who: str, what: str, given_on: date) -> HelpGiven:
    return HelpGiven.objects.create(
        owner=owner, who=who.strip(), what=what.strip(), given_on=given_on
    )


def answers_notify() -> int:
    """Tell seekers about new answers, at most one email per seeker per 15 minutes."""
    minutes = settings.ANSWER_EMAIL_MINUTES
    now = timezone.now()
    bucket = int(now.timestamp() // (minutes * 60))
    pending = (
        Recipient.objects.filter(answered_at__isnull=False, answer_notified_at__isnull=True)
        .select_related("ask__owner", "person")
        .order_by("answered_at")
    )
    by_seeker: dict[int, list[Recipient]] = {}
    for recipient in pending:
        by_seeker.setdefault(recipient.ask.owner_id, []).append(recipient)
    sent = 0
    for answers in by_seeker.values():
        seeker = answers[0].ask.owner
        key = f"answers:{seeker.pk}:{bucket}"
        if OutboxMessage.objects.filter(key=key).exists():
            continue  # this window's email is already written; these wait for the next one
        with transaction.atomic():
            outbox_enqueue(
                key=key,
                template="answers",
                to_email=seeker.email,
                user=seeker,
                context={
                    "seeker": seeker,
                    "answers": answers,
                    "asks_url": settings.SITE_URL + reverse("asks:list"),
                },
            )
            Recipient.objects.filter(pk__in=[r.pk for r in answers]).update(answer_notified_at=now)
            sent += 1
    return sent
