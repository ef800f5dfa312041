"""Everything that writes club rows: clubs, invitations, membership, buddies, sharing, meetings.

Keyword-friendly, typed, each in one transaction. Read-then-write on one row locks it
(select_for_update on PostgreSQL) or writes conditionally (SQLite runs IMMEDIATE transactions, so
a write transaction there is already serialised).
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from helpwanted.clubs import schedule
from helpwanted.clubs.models import (
    Club,
    Invitation,
    Meeting,
    Membership,
    SharedUpdate,
    WeekCheck,
)
from helpwanted.journey.models import Update

# How far ahead meeting rows exist: club_create/club_edit and the tick keep this window filled.
MEETINGS_AHEAD = timedelta(weeks=12)


def club_rhythm(club: Club) -> schedule.Rhythm:
    tz = schedule.zone(club.timezone)
    return schedule.Rhythm(
        weekday=club.meeting_weekday,
        at=club.meeting_time,
        minutes=club.meeting_minutes,
        every_weeks=club.every_weeks,
        timezone=club.timezone,
        since=club.created_at.astimezone(tz).date(),
    )


def meetings_ensure(club: Club, until: datetime, *, since: datetime | None = None) -> list[Meeting]:
    """Create the club's meetings from `since` (default now) to `until` that don't exist yet.

    Idempotent and safe on two servers at once: rows are inserted with ON CONFLICT DO NOTHING
    against the unique (club, starts_at) constraint, so a second caller inserts nothing. A start
    that exists but was cancelled (the rhythm changed) stays cancelled. Returns the meetings in
    the window that are not cancelled, in order.
    """
    since = since or timezone.now()
    if club.archived_at is None:
        slots = schedule.meetings_between(club_rhythm(club), since, until)
        Meeting.objects.bulk_create(
            [Meeting(club=club, starts_at=s, ends_at=e, place=club.place) for s, e in slots],
            ignore_conflicts=True,
        )
    return list(
        club.meetings.filter(starts_at__gte=since, starts_at__lt=until, cancelled_at__isnull=True)
    )


def meetings_ensure_all(*, now: datetime | None = None) -> int:
    """The tick's job: every open club has its meetings for the next MEETINGS_AHEAD. How many."""
    now = now or timezone.now()
    count = 0
    # Only clubs whose meetings run out within the window (a tick runs every minute).
    due = Club.objects.annotate(last=Max("meetings__starts_at")).filter(
        Q(last__isnull=True) | Q(last__lt=now + MEETINGS_AHEAD - timedelta(weeks=1)),
        archived_at__isnull=True,
    )
    for club in due.iterator():
        with transaction.atomic():
            count += len(meetings_ensure(club, now + MEETINGS_AHEAD, since=now))
    return count


class ClubError(Exception):
    """A club action refused, with a message for the person who tried it."""


RHYTHM_FIELDS = ("meeting_weekday", "meeting_time", "meeting_minutes", "every_weeks", "timezone")
CLUB_FIELDS = ("name", *RHYTHM_FIELDS, "place", "size_limit")


def club_create(*, facilitator: Any, fields: dict[str, Any]) -> Club:
    """A new club run by `facilitator`, with its next twelve weeks of meetings."""
    with transaction.atomic():
        club = Club.objects.create(
            facilitator=facilitator, **{k: fields[k] for k in CLUB_FIELDS if k in fields}
        )
        meetings_ensure(club, club.created_at + MEETINGS_AHEAD)
    return club


def club_edit(*, club: Club, fields: dict[str, Any]) -> Club:
    """Save the club. A new rhythm cancels the future meetings off it (their calendar entries say
    so, under the same UID) and makes the new ones; a new place moves the future meetings."""
    with transaction.atomic():
        locked = Club.objects.select_for_update().get(pk=club.pk)
        changed = [k for k in CLUB_FIELDS if k in fields and getattr(locked, k) != fields[k]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, fields[name])
        locked.save(update_fields=changed)
        now = timezone.now()
        if set(changed) & {*RHYTHM_FIELDS, "place"}:
            _reschedule(locked, now)
    return locked


def _reschedule(club: Club, now: datetime) -> None:
    until = now + MEETINGS_AHEAD
    slots = dict(schedule.meetings_between(club_rhythm(club), now, until))
    for meeting in club.meetings.select_for_update().filter(starts_at__gte=now):
        update: dict[str, Any] = {}
        if meeting.starts_at not in slots:
            if meeting.cancelled_at is None:
                update["cancelled_at"] = now
        else:
            wanted = {"ends_at": slots[meeting.starts_at], "place": club.place}
            if meeting.cancelled_at is not None:
                wanted["cancelled_at"] = None
            update = {k: v for k, v in wanted.items() if getattr(meeting, k) != v}
        if update:
            update["sequence"] = meeting.sequence + 1  # calendars take the change
            Meeting.objects.filter(pk=meeting.pk).update(**update)
    meetings_ensure(club, until, since=now)


# --- Invitations ----------------------------------------------------------------------------

INVITATION_LIFETIME = timedelta(days=30)
INVITATIONS_A_DAY = 30  # per club, re-invites included


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _members_count(club: Club) -> int:
    return club.memberships.filter(left_at__isnull=True).count()


def invitation_send(*, club: Club, email: str, invited_by: Any) -> tuple[Invitation, str]:
    """Email an invitation with a fresh token (only its SHA-256 is kept).

    Inviting the same address again is a re-invite: the older links for it stop, so one live
    link exists per address. The club row is locked, so two invitations at once queue one after
    the other.
    """
    email = email.strip().lower()
    with transaction.atomic():
        locked = Club.objects.select_for_update().get(pk=club.pk)
        if locked.memberships.filter(user__email__iexact=email, left_at__isnull=True).exists():
            raise ClubError(f"{email} is already in {locked.name}.")
        if _members_count(locked) >= locked.size_limit:
            raise ClubError(
                f"{locked.name} is full ({locked.size_limit} people). Raise the size limit "
                "in the club's settings to invite someone else."
            )
        now = timezone.now()
        sent_today = locked.invitations.filter(created_at__gte=now - timedelta(days=1)).count()
        if sent_today >= INVITATIONS_A_DAY:
            # An invitation is an email to anyone: a cap keeps a club from becoming a spam cannon.
            raise ClubError(
                f"That's {INVITATIONS_A_DAY} invitations in a day for this club. "
                "You can send more tomorrow."
            )
        locked.invitations.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            club=locked,
            email=email,
            token_hash=hash_token(token),
            invited_by=invited_by,
            expires_at=now + INVITATION_LIFETIME,
        )
        from helpwanted.clubs.emails import invitation_email

        invitation_email(invitation, token)
    return invitation, token


def invitation_resend(*, invitation: Invitation) -> tuple[Invitation, str]:
    """Invite the same address again with a new link (the old one stops)."""
    if invitation.accepted_at is not None:
        raise ClubError(f"{invitation.email} has already joined.")
    return invitation_send(
        club=invitation.club, email=invitation.email, invited_by=invitation.invited_by
    )


def invitation_revoke(*, invitation: Invitation) -> bool:
    """Stop the invitation's link, unless it was already used. True if it was live."""
    return bool(
        Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    )


def invitation_lookup(token: str) -> Invitation | None:
    """The live invitation for a token from an email, or None (unknown, used, revoked, expired)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("club", "club__facilitator", "invited_by")
        .filter(
            token_hash=hash_token(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            club__archived_at__isnull=True,
        )
        .first()
    )


def invitation_accept(*, invitation_id: int, user: Any) -> Membership:
    """Join the club with this account. Once per invitation; never past the size limit.

    The club row is locked first, so two acceptances at once (two tabs, or two invitees for the
    last seat) are counted one after the other; the invitation is claimed with a conditional
    update, so the same one can't be used twice.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_related("club").get(pk=invitation_id)
        club = Club.objects.select_for_update().get(pk=invitation.club_id)
        if club.facilitator_id == user.pk:
            raise ClubError("You run this club, so you're already part of it.")
        existing = club.memberships.filter(user=user).first()
        if existing is not None and existing.left_at is None:
            return existing  # already in (a second tab): nothing more to do
        if club.archived_at is not None:
            raise ClubError("This club has closed.")
        if _members_count(club) >= club.size_limit:
            raise ClubError(
                f"{club.name} is full just now. Ask the facilitator about the next opening."
            )
        now = timezone.now()
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).update(accepted_at=now, accepted_by=user)
        if not claimed:
            raise ClubError("This invitation has already been used or has stopped working.")
        if existing is not None:  # back after leaving: a fresh start, nothing old comes back
            existing.left_at = None
            existing.joined_at = now
            existing.landed_at = None
            existing.role = Membership.Role.MEMBER
            existing.last_active_at = now
            existing.save(
                update_fields=["left_at", "joined_at", "landed_at", "role", "last_active_at"]
            )
            return existing
        return Membership.objects.create(club=club, user=user, joined_at=now, last_active_at=now)


# --- Membership -----------------------------------------------------------------------------


def _lock_memberships(*ids: int) -> dict[int, Membership]:
    """Lock the rows in primary-key order (two pairings at once can't deadlock)."""
    rows = Membership.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {m.pk: m for m in rows}


def membership_leave(*, membership: Membership) -> bool:
    """Leave the club (or be removed by its facilitator). Access ends at the next request:
    every club page re-reads the membership, and shows only current members' things.
    True if they were still in."""
    with transaction.atomic():
        now = timezone.now()
        left = Membership.objects.filter(pk=membership.pk, left_at__isnull=True).update(
            left_at=now, buddy=None, buddy_wanted=None
        )
        if not left:
            return False
        # Their buddy is free again; nobody is left waiting on them.
        Membership.objects.filter(buddy=membership.pk).update(buddy=None)
        Membership.objects.filter(buddy_wanted=membership.pk).update(buddy_wanted=None)
        membership.left_at = now
        membership.buddy = None
        membership.buddy_wanted = None
    return True


def membership_alumnus(*, membership: Membership) -> bool:
    """They landed a job and stay on to help: an alumnus offers, and makes no more requests."""
    now = timezone.now()
    changed = Membership.objects.filter(
        pk=membership.pk, left_at__isnull=True, role=Membership.Role.MEMBER
    ).update(role=Membership.Role.ALUMNUS, landed_at=now)
    if changed:
        membership.role = Membership.Role.ALUMNUS
        membership.landed_at = now
    return bool(changed)


SHARE_FIELDS = ("share_asks", "share_applications", "share_interviews", "share_checkins")


def sharing_save(*, membership: Membership, fields: dict[str, Any]) -> list[str]:
    """Save what this member shares with the club (and whether they get club emails).

    Compared with the row as stored (a bound ModelForm has already set the new values on the
    instance it was given), so a save with nothing changed writes nothing."""
    stored = Membership.objects.get(pk=membership.pk)
    changed = [
        k
        for k in (*SHARE_FIELDS, "club_emails")
        if k in fields and getattr(stored, k) != bool(fields[k])
    ]
    for name in changed:
        setattr(membership, name, bool(fields[name]))
    if changed:
        Membership.objects.filter(pk=membership.pk).update(**{k: bool(fields[k]) for k in changed})
    return changed


def membership_touch(*, membership: Membership) -> None:
    """Note club activity (the facilitator's "no club activity" reads it)."""
    Membership.objects.filter(pk=membership.pk).update(last_active_at=timezone.now())


# --- Buddies --------------------------------------------------------------------------------


def buddy_pair(*, first: Membership, second: Membership) -> None:
    """Pair two current members of the same club, both sides in step, under a lock.

    Refused when either already has another buddy: unpair first, so nobody loses a buddy
    without seeing it. Pairing two who are already buddies changes nothing.
    """
    if first.pk == second.pk:
        raise ClubError("Pick someone else: a buddy is another member.")
    with transaction.atomic():
        rows = _lock_memberships(first.pk, second.pk)
        a, b = rows.get(first.pk), rows.get(second.pk)
        if a is None or b is None or a.club_id != b.club_id:
            raise ClubError("Both buddies need to be in the same club.")
        if a.left_at is not None or b.left_at is not None:
            raise ClubError("Both buddies need to be in the club still.")
        if a.buddy_id == b.pk and b.buddy_id == a.pk:
            return
        for m in (a, b):
            if m.buddy_id is not None:
                raise ClubError(f"{_name(m)} already has a buddy. Unpair them first.")
        # Conditional writes too (SQLite has no row locks): each side only if still free.
        for m, other in ((a, b), (b, a)):
            done = Membership.objects.filter(pk=m.pk, buddy__isnull=True).update(
                buddy=other.pk, buddy_wanted=None
            )
            if not done:
                raise ClubError(f"{_name(m)} was just paired with someone else.")
        Membership.objects.filter(buddy_wanted__in=[a.pk, b.pk]).update(buddy_wanted=None)
    first.buddy_id, second.buddy_id = second.pk, first.pk


def buddy_unpair(*, membership: Membership) -> bool:
    """Unpair a member and their buddy, both sides. True if they had one."""
    with transaction.atomic():
        locked = _lock_memberships(membership.pk).get(membership.pk)
        if locked is None or locked.buddy_id is None:
            return False
        partner_id = locked.buddy_id
        _lock_memberships(partner_id)
        Membership.objects.filter(pk__in=[locked.pk, partner_id]).update(buddy=None)
    membership.buddy_id = None
    return True


def buddy_want(*, membership: Membership, other: Membership) -> bool:
    """A member picks another as their buddy. When the other has picked them too, they're
    paired (True); until then the other sees the wish and can say yes."""
    if other.pk == membership.pk or other.club_id != membership.club_id:
        raise ClubError("Pick another member of this club.")
    with transaction.atomic():
        rows = _lock_memberships(membership.pk, other.pk)
        me, them = rows[membership.pk], rows[other.pk]
        if me.buddy_id is not None:
            raise ClubError("You already have a buddy. Unpair first to pick someone else.")
        if them.left_at is not None or them.buddy_id is not None:
            raise ClubError(f"{_name(them)} already has a buddy. Pick someone else.")
        if them.buddy_wanted_id == me.pk:
            buddy_pair(first=me, second=them)
            return True
        Membership.objects.filter(pk=me.pk).update(buddy_wanted=them.pk)
    membership.buddy_wanted_id = other.pk
    return False


def _name(membership: Membership) -> str:
    user = membership.user
    return str(user.display_name or "This member")


# --- The weekly check for one's buddy -------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_check_save(*, membership: Membership, text: str, today: date) -> WeekCheck:
    """This week's "How did your week go?" (one a week: a second save edits it)."""
    text = text.strip()
    if not text:
        raise ClubError("Write a line about your week first.")
    monday = week_of(today)
    with transaction.atomic():
        check = WeekCheck.objects.filter(membership=membership, week_of=monday).first()
        if check is None:
            try:
                with transaction.atomic():
                    check = WeekCheck.objects.create(
                        membership=membership, week_of=monday, text=text
                    )
            except IntegrityError:  # the same save from another tab a moment ago
                check = WeekCheck.objects.get(membership=membership, week_of=monday)
        if check.text != text:
            check.text = text
            check.save(update_fields=["text"])
        Membership.objects.filter(pk=membership.pk).update(last_active_at=timezone.now())
    return check


# --- Updates shared with the club -----------------------------------------------------------


def update_share(*, membership: Membership, update: Update) -> SharedUpdate:
    """Share one of the member's own updates with this club (once; sharing again is a no-op)."""
    if update.owner_id != membership.user_id or update.deleted_at is not None:
        raise ClubError("You can share only your own updates.")
    try:
        with transaction.atomic():
            shared, _ = SharedUpdate.objects.get_or_create(
                club_id=membership.club_id, update=update
            )
    except IntegrityError:  # the same share from another tab a moment ago
        shared = SharedUpdate.objects.get(club_id=membership.club_id, update=update)
    Membership.objects.filter(pk=membership.pk).update(last_active_at=timezone.now())
    return shared


def update_unshare(*, membership: Membership, update_id: int) -> bool:
    """Take one of the member's updates off the club's pages. True if it was shared."""
    deleted, _ = SharedUpdate.objects.filter(
        club_id=membership.club_id, update_id=update_id, update__owner_id=membership.user_id
    ).delete()
    return bool(deleted)
