"""The reciprocity round (docs/how-it-works.md, "The round"): requests, offers, and their figures.

In each round every member may make one request, written with the asks coach; fellow members and
alumni offer help in one tap. When the requester accepts an offer it becomes a normal ask of
theirs, to the offerer as a Person in their own network, through the club: no email goes
anywhere, and the ask's usual lifecycle (answered, followed up, outcome, thanks) applies. An
offer is "fulfilled" when that recipient is done or thanked; that is read, never stored twice.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks import coach
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.clubs.actions import meetings_ensure
from helpwanted.clubs.models import Club, ClubRequest, Meeting, Membership, Offer, Round
from helpwanted.network.models import Person, Relationship, Source

State = Offer.State
# Offers that count: made and not taken back (declined ones were still offers).
LIVE = (State.OFFERED, State.ACCEPTED, State.DECLINED)
FULFILLED = (Recipient.Status.DONE, Recipient.Status.THANKED)


class RoundError(Exception):
    """Something the member can fix or should know; str(e) says what, kindly."""


def member_name(user: User) -> str:
    """How a member appears to the club: the name they gave, never their email address."""
    return user.display_name.strip() or "A club member"


# --- the current round ---------------------------------------------------------------------


def _next_meeting(club: Club, now: datetime) -> Meeting | None:
    return (
        club.meetings.filter(ends_at__gt=now, cancelled_at__isnull=True)
        .order_by("starts_at", "id")
        .first()
    )


def round_current(club: Club, *, now: datetime | None = None) -> Round | None:
    """The round of the club's next meeting (the one not yet over), opened on first use.

    None when the club has no meeting ahead (it is archived). Reads only, once the round is open.
    Safe on two servers: meetings are inserted with ON CONFLICT DO NOTHING, and a round's meeting
    is unique (get_or_create re-reads).
    """
    now = now or timezone.now()
    meeting = _next_meeting(club, now)
    if meeting is None:  # the tick keeps meetings ahead; this covers a club it hasn't reached
        meetings_ensure(club, now + timedelta(weeks=club.every_weeks + 1), since=now)
        meeting = _next_meeting(club, now)
    if meeting is None:
        return None
    found = Round.objects.filter(meeting=meeting).first()
    if found is None:
        with transaction.atomic():
            found, _ = Round.objects.get_or_create(meeting=meeting)
    found.meeting = meeting
    return found


def round_is_open(round_: Round, *, now: datetime | None = None) -> bool:
    """Requests are made until the meeting ends; offers and accepting go on after it."""
    now = now or timezone.now()
    return round_.closed_at is None and round_.meeting.ends_at > now


# --- requests ------------------------------------------------------------------------------


def smart_score(fields: dict[str, Any], today: date) -> int:
    return coach.review(
        kind=fields.get("kind") or "other",
        request=fields.get("text") or "",
        why=fields.get("why") or "",
        needed_by=fields.get("needed_by"),
        today=today,
    ).score


def _check_can_request(membership: Membership, round_: Round) -> None:
    if membership.left_at is not None:
        raise RoundError("You've left this club, so you can't make requests in it.")
    if membership.role == Membership.Role.ALUMNUS:
        raise RoundError(
            "Alumni offer help rather than make requests. Thank you for staying on to help."
        )
    if not round_is_open(round_):
        raise RoundError("This round is over. You can make a request in the next one.")


def request_post(
    *, membership: Membership, round_: Round, fields: dict[str, Any], today: date
) -> ClubRequest:
    """The member's one request in this round. A second post edits the first (a double click, or
    after withdrawing), so there is never more than one."""
    fields = {k: fields.get(k) for k in ("kind", "text", "why", "needed_by")}
    fields["text"] = (fields["text"] or "").strip()
    fields["why"] = (fields["why"] or "").strip()
    if not fields["text"]:
        raise RoundError("Write what you'd like help with. One sentence is enough.")
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_can_request(locked, round_)
        score = smart_score(fields, today)
        existing = ClubRequest.objects.filter(round=round_, membership=membership).first()
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.smart_score, existing.withdrawn_at = score, None
            existing.save(update_fields=[*fields, "smart_score", "withdrawn_at"])
            return existing
        try:
            with transaction.atomic():
                return ClubRequest.objects.create(
                    round=round_, membership=membership, smart_score=score, **fields
                )
        except IntegrityError:  # two servers at once: the other one made it
            return ClubRequest.objects.get(round=round_, membership=membership)


def request_withdraw(*, club_request: ClubRequest) -> bool:
    """Take a request back; offers on it stay as they were. False when it was already withdrawn."""
    return bool(
        ClubRequest.objects.filter(pk=club_request.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    )


# --- offers --------------------------------------------------------------------------------


def offer_make(
    *, membership: Membership, club_request: ClubRequest, kind: str, note: str = ""
) -> Offer:
    """One tap to offer help (any kind, an optional note). Offering again edits the offer."""
    if kind not in Offer.Kind.values:
        raise RoundError("Choose what kind of help you're offering.")
    note = " ".join(note.split())[:500]
    with transaction.atomic():
        request_row = ClubRequest.objects.select_for_update().get(pk=club_request.pk)
        if membership.left_at is not None:
            raise RoundError("You've left this club, so you can't offer help in it.")
        if request_row.membership_id == membership.pk:
            raise RoundError("This is your own request: your fellow members will offer on it.")
        if request_row.withdrawn_at is not None:
            raise RoundError("This request was withdrawn, so it isn't taking offers.")
        offer = Offer.objects.filter(request=request_row, membership=membership).first()
        if offer is None:
            return Offer.objects.create(
                request=request_row, membership=membership, kind=kind, note=note
            )
        if offer.state in (State.ACCEPTED, State.DECLINED):
            raise RoundError("Your offer has had its answer already. Thank you for offering.")
        offer.kind, offer.note = kind, note
        fields = ["kind", "note"]
        if offer.state == State.WITHDRAWN:  # offered again: it is news again
            offer.state, offer.notified_at, offer.created_at = State.OFFERED, None, timezone.now()
            fields += ["state", "notified_at", "created_at"]
        offer.save(update_fields=fields)
        return offer


def offer_withdraw(*, offer: Offer) -> None:
    done = Offer.objects.filter(pk=offer.pk, state=State.OFFERED).update(state=State.WITHDRAWN)
    if not done:
        offer.refresh_from_db(fields=["state"])
        if offer.state == State.ACCEPTED:
            raise RoundError(
                "They've accepted your offer, so it's an ask of theirs now. If you can't help "
                "after all, tell them: it's fine to say so."
            )


def offer_decline(*, offer: Offer) -> None:
    """'Not this time': the offerer sees it kindly; nothing else happens."""
    done = Offer.objects.filter(pk=offer.pk, state=State.OFFERED).update(state=State.DECLINED)
    if not done:
        offer.refresh_from_db(fields=["state"])
        if offer.state == State.ACCEPTED:
            raise RoundError("You've accepted this offer: it's one of your asks now.")


def _offerer_person(owner: User, offerer: User, club: Club) -> Person:
    """The offerer in the requester's people: found by their account email, or added."""
    email = offerer.email.strip().lower()
    person = Person.objects.filter(owner=owner, email_key=email).order_by("id").first()
    if person is not None:
        if Source.CLUB not in person.sources:
            person.sources = [*person.sources, Source.CLUB]
            person.save(update_fields=["sources"])
        return person
    person = Person(
        owner=owner,
        name=member_name(offerer) if offerer.display_name.strip() else email.split("@")[0],
        emails=[email],
        relationship=Relationship.ACQUAINTANCE,
        how_we_know=f"A fellow member of {club.name}"[:300],
        sources=[Source.CLUB],
    )
    person.refresh_keys()
    person.save()
    return person


def offer_accept(*, offer: Offer) -> Offer:
    """The requester takes up an offer: in one transaction, exactly once (a double click or two
    servers: the offer row is locked and moved conditionally), it becomes an ask of theirs with
    the offerer as its one recipient, through the club. No email goes anywhere.

    Offers accepted on the same request share one ask (one request, several helpers).
    """
    with transaction.atomic():
        row = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("request__round__meeting__club", "request__membership__user")
            .select_related("membership__user")
            .get(pk=offer.pk)
        )
        if row.state == State.ACCEPTED:
            return row  # a double click: the first one did it
        if row.state != State.OFFERED:
            raise RoundError("This offer was withdrawn or declined, so it can't be accepted now.")
        request_row = ClubRequest.objects.select_for_update().get(pk=row.request_id)
        if request_row.withdrawn_at is not None:
            raise RoundError("You withdrew this request, so its offers can't be accepted now.")
        now = timezone.now()
        if not Offer.objects.filter(pk=row.pk, state=State.OFFERED).update(
            state=State.ACCEPTED, accepted_at=now
        ):
            return Offer.objects.get(pk=row.pk)
        requester = row.request.membership.user
        club = row.request.round.meeting.club
        sibling = (
            Offer.objects.filter(request=request_row, ask__isnull=False)
            .exclude(pk=row.pk)
            .select_related("ask")
            .first()
        )
        ask = sibling.ask if sibling is not None and sibling.ask is not None else None
        if ask is None:
            ask = Ask.objects.create(
                owner=requester,
                kind=request_row.kind,
                request=request_row.text,
                why=request_row.why,
                needed_by=request_row.needed_by,
                created_at=now,
                sent_at=now,
            )
        person = _offerer_person(requester, row.membership.user, club)
        recipient, _ = Recipient.objects.get_or_create(
            ask=ask,
            person=person,
            defaults={
                "channel": Recipient.Channel.CLUB,
                "status": Recipient.Status.SENT,
                "sent_at": now,
            },
        )
        RecipientEvent.objects.create(
            recipient=recipient,
            status=Recipient.Status.SENT,
            note=f"offered through {club.name}"[:200],
            at=now,
        )
        row.state, row.accepted_at, row.ask, row.recipient = State.ACCEPTED, now, ask, recipient
        row.save(update_fields=["ask", "recipient"])
    return row


def is_fulfilled(offer: Offer) -> bool:
    return offer.recipient is not None and offer.recipient.status in FULFILLED


# --- what the round page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    requests: int
    offered: int  # requests with at least one offer
    offers: int
    accepted: int
    fulfilled_offers: int
    fulfilled: int  # requests with at least one fulfilled offer

    @property
    def share_offered(self) -> int | None:
        """Percent of requests that received an offer: half the headline."""
        return round(100 * self.offered / self.requests) if self.requests else None

    @property
    def share_fulfilled(self) -> int | None:
        return round(100 * self.fulfilled / self.requests) if self.requests else None


def _counted_requests(rounds: QuerySet[Round]) -> QuerySet[ClubRequest]:
    # Leaving removes what a member shared from the club's pages, and so from its figures.
    return ClubRequest.objects.filter(
        round__in=rounds, withdrawn_at__isnull=True, membership__left_at__isnull=True
    )


def figures(rounds: QuerySet[Round]) -> Figures:
    """The round's (or a club's, given all its rounds) figures, in two queries."""
    live = Q(offers__state__in=LIVE, offers__membership__left_at__isnull=True)
    done = Q(
        offers__state=State.ACCEPTED,
        offers__membership__left_at__isnull=True,
        offers__recipient__status__in=FULFILLED,
    )
    made = _counted_requests(rounds).aggregate(
        requests=Count("id", distinct=True),
        offered=Count("id", filter=live, distinct=True),
        fulfilled=Count("id", filter=done, distinct=True),
    )
    given = Offer.objects.filter(
        request__in=_counted_requests(rounds),
        state__in=LIVE,
        membership__left_at__isnull=True,
    ).aggregate(
        offers=Count("id"),
        accepted=Count("id", filter=Q(state=State.ACCEPTED)),
        fulfilled_offers=Count(
            "id", filter=Q(state=State.ACCEPTED, recipient__status__in=FULFILLED)
        ),
    )
    return Figures(**made, **given)


def round_requests(round_: Round) -> list[ClubRequest]:
    """The round's requests from current members, each with `shown_offers` (two queries)."""
    requests = list(
        _counted_requests(Round.objects.filter(pk=round_.pk))
        .select_related("membership__user")
        .order_by("created_at", "id")
    )
    by_id = {r.pk: r for r in requests}
    for r in requests:
        r.shown_offers = []
    offers = (
        Offer.objects.filter(
            request_id__in=list(by_id), state__in=LIVE, membership__left_at__isnull=True
        )
        .select_related("membership__user", "recipient")
        .order_by("created_at", "id")
    )
    for offer in offers:
        offer.fulfilled = is_fulfilled(offer)
        by_id[offer.request_id].shown_offers.append(offer)
    return requests
