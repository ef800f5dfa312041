"""The weekly digest: one email a week for each helper, covering every seeker they help.

A helper is known by email (the first address of the Person behind each CircleMember, lowercased)
and has one Helper row holding their digest preferences. Once a week, on their day and hour (in
their timezone if known, else the first seeker's), they get one email with a section per seeker:
the updates that seeker shared with that member's audience, the asks to them still open, and the
thanks sent to them. Nothing new, no email.

`digests_enqueue()` is a tick job. It reads everything in a handful of batched queries, renders
outside any transaction, then writes in chunks: each chunk locks its Helper rows, drops keys that
already exist, and inserts the outbox rows, the helper links they carry and `last_digest_at`
together. Each section links with the member's one live grant (made only if missing). The key `digest:{helper}:{iso_year}-W{iso_week}` is unique in the outbox, so two ticks,
two workers or a killed worker never queue a week's digest twice.
"""

from __future__ import annotations

import hashlib
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from helpwanted.accounts.models import User
from helpwanted.asks.models import Kind, Recipient
from helpwanted.circle.actions import _new_grant, derive_token
from helpwanted.circle.models import CircleMember, HelperGrant, hash_token
from helpwanted.circle.news import NEWS_TEMPLATE, news_key
from helpwanted.clubs.jobs import club_weeks, week_monday, weekly_claim
from helpwanted.journey.models import VISIBLE_TO, Helper, Update, UpdateKind
from helpwanted.mail.actions import render_email
from helpwanted.mail.links import short_sign, short_unsign
from helpwanted.mail.models import OutboxMessage

log = logging.getLogger("helpwanted.digest")

TEMPLATE = "digest"
SALT = "helpwanted.journey.digest"
# A missed tick still sends the week's digest if the worker is back within this long.
CATCH_UP = timedelta(hours=24)
# With no digest yet, "new" means the last 7 days; never look back further than 5 weeks.
FIRST_LOOKBACK = timedelta(days=7)
MAX_LOOKBACK = timedelta(weeks=5)
PAUSE = timedelta(weeks=4)
WRITE_CHUNK = 500  # helpers per write transaction: short locks, and a killed tick loses little
IN_CHUNK = 2000  # values per IN (...) list, well under SQLite's variable limit


# --- Signed links: unsubscribe and pause -------------------------------------------------


def _sign(helper_id: int, action: str) -> str:
    return short_sign(f"{helper_id}.{action}", SALT)


def helper_from_value(value: str, action: str) -> Helper | None:
    """The helper a signed digest link belongs to, or None if it was tampered with."""
    signed = short_unsign(value, SALT)
    helper_id, _, signed_action = (signed or "").partition(".")
    if not helper_id.isdigit() or signed_action != action:
        return None
    return Helper.objects.filter(pk=int(helper_id)).first()


def unsubscribe_url(helper_id: int) -> str:
    return settings.SITE_URL + reverse("journey:digest_unsubscribe", args=[_sign(helper_id, "u")])


def pause_url(helper_id: int) -> str:
    return settings.SITE_URL + reverse("journey:digest_pause", args=[_sign(helper_id, "p")])


def digest_unsubscribe(*, helper: Helper) -> bool:
    """No more digests to this address. Idempotent: returns whether anything changed."""
    return (
        Helper.objects.filter(pk=helper.pk, digest_unsubscribed_at=None).update(
            digest_unsubscribed_at=timezone.now()
        )
        == 1
    )


def digest_resubscribe(*, helper: Helper) -> None:
    Helper.objects.filter(pk=helper.pk).update(digest_unsubscribed_at=None)


def digest_pause(*, helper: Helper) -> date:
    """Pause digests for 4 weeks from today. Pausing again moves the date, never shortens it."""
    until = timezone.localdate() + PAUSE
    if helper.digest_paused_until is None or helper.digest_paused_until < until:
        helper.digest_paused_until = until
        helper.save(update_fields=["digest_paused_until"])
    return helper.digest_paused_until


def digest_resume(*, helper: Helper) -> None:
    helper.digest_paused_until = None
    helper.save(update_fields=["digest_paused_until"])


# --- Planning: who is due, and what is new for them -------------------------------------


@dataclass(frozen=True)
class _Member:
    id: int
    owner_id: int
    person_id: int
    audience: str
    links_off: bool = False


@dataclass
class Group:
    """One seeker's section of a digest: only what that seeker shared with this helper."""

    seeker: User
    member_id: int
    links_off: bool = False
    token: str = ""
    updates: list[dict[str, Any]] = field(default_factory=list)
    asks: list[dict[str, Any]] = field(default_factory=list)
    thanks: list[dict[str, Any]] = field(default_factory=list)
    link: str = ""
    text: str = ""
    html: str = ""


@dataclass
class _Due:
    helper: Helper
    email: str
    key: str
    since: datetime
    members: list[_Member]
    groups: list[Group] = field(default_factory=list)
    message: OutboxMessage | None = None
    # A helper who is also in a job club gets the club's week here rather than in a second email
    # (clubs/jobs.py): the sections, whose user they are, and the message without them, sent if
    # another email claimed this week's club summary first.
    start: datetime | None = None  # this week's slot, in the helper's timezone
    club_user_id: int | None = None
    club_monday: date | None = None
    club_weeks: list[Any] = field(default_factory=list)
    message_without_club: OutboxMessage | None = None
    # The helper links: each member's live grant is reused; only missing ones are made.
    new_grants: list[HelperGrant] = field(default_factory=list)
    live_grant_ids: list[int] = field(default_factory=list)
    retired_grant_ids: list[int] = field(default_factory=list)
    rehashed: list[tuple[int, str]] = field(default_factory=list)


def _chunks(values: Iterable[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def digest_key(helper_id: int, day: date) -> str:
    iso = day.isocalendar()
    return f"digest:{helper_id}:{iso.year}-W{iso.week:02d}"


def due_slot(helper: Helper, tz: zoneinfo.ZoneInfo, now: datetime) -> tuple[str, datetime] | None:
    """The week's key and scheduled time if `now` falls in this helper's sending window."""
    local = now.astimezone(tz)
    weekday = min(max(helper.digest_weekday, 0), 6)
    hour = min(max(helper.digest_hour, 0), 23)
    monday = local.date() - timedelta(days=local.weekday())
    for weeks_back in (0, 1):  # a Sunday-night slot's window runs into Monday
        day = monday - timedelta(weeks=weeks_back) + timedelta(days=weekday)
        start = datetime.combine(day, time(hour=hour), tzinfo=tz)
        if start <= now < start + CATCH_UP:
            return digest_key(helper.pk, day), start
    return None


def _eligible_members(today: date) -> dict[str, list[_Member]]:
    """Every circle member who agreed to hear and would like digests, by helper email (one query).

    Someone only asked (no consent recorded) is a member for their link's sake, but gets no digest.
    """
    rows = (
        CircleMember.objects.filter(
            left_at=None,
            unsubscribed_at=None,
            digest_enabled=True,
            owner__is_active=True,
            consented_at__isnull=False,
        )
        .filter(Q(digest_paused_until=None) | Q(digest_paused_until__lte=today))
        .order_by("id")
        .values_list(
            "id",
            "owner_id",
            "person_id",
            "audience",
            "person__emails",
            "links_off_at",
            "person__bounced_email",
            "person__email_key",
        )
    )
    by_email: dict[str, list[_Member]] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        member_id, owner_id, person_id, audience, emails, off, bounced, email_key = row
        if not emails or not isinstance(emails, list):
            continue
        if bounced and bounced == email_key:  # Person.email_bouncing: no email till it's fixed
            continue
        email = str(emails[0]).strip().lower()
        if "@" not in email:
            continue
        by_email[email].append(_Member(member_id, owner_id, person_id, audience, off is not None))
    return by_email


def _helpers_for(emails: Iterable[str]) -> dict[str, Helper]:
    """Helper rows for these emails, created on first sight (safe against a concurrent tick)."""
    emails = list(emails)
    found: dict[str, Helper] = {}
    for chunk in _chunks(emails):
        found.update((h.email, h) for h in Helper.objects.filter(email__in=chunk))
    missing = [e for e in emails if e not in found]
    if missing:
        Helper.objects.bulk_create(
            [Helper(email=e) for e in missing], batch_size=500, ignore_conflicts=True
        )
        for chunk in _chunks(missing):
            found.update((h.email, h) for h in Helper.objects.filter(email__in=chunk))
    return found


def _existing_keys(keys: Iterable[str]) -> set[str]:
    existing: set[str] = set()
    for chunk in _chunks(keys):
        existing.update(OutboxMessage.objects.filter(key__in=chunk).values_list("key", flat=True))
    return existing


def _plan(now: datetime) -> list[_Due]:
    by_email = _eligible_members(timezone.localdate(now))
    if not by_email:
        return []
    helpers = _helpers_for(by_email)
    first_seekers = {members[0].owner_id for members in by_email.values()}
    seeker_zones: dict[int, str] = {}
    for chunk in _chunks(first_seekers):
        seeker_zones.update(User.objects.filter(pk__in=chunk).values_list("pk", "timezone"))
    due: list[_Due] = []
    for email, members in by_email.items():
        helper = helpers.get(email)
        if helper is None or helper.digest_unsubscribed_at is not None:
            continue
        tz = (
            _zone(helper.timezone)
            or _zone(seeker_zones.get(members[0].owner_id, ""))
            or zoneinfo.ZoneInfo("UTC")
        )
        if helper.digest_paused_until and helper.digest_paused_until > now.astimezone(tz).date():
            continue
        slot = due_slot(helper, tz, now)
        if slot is None:
            continue
        key, start = slot
        last = helper.last_digest_at
        if last is not None and last > start - timedelta(days=6):
            continue  # already had one this week (say, before a change of timezone)
        since = max(last or now - FIRST_LOOKBACK, now - MAX_LOOKBACK)
        due.append(
            _Due(helper=helper, email=email, key=key, since=since, members=members, start=start)
        )
    existing = _existing_keys(d.key for d in due)
    return [d for d in due if d.key not in existing]


def _collect(due: list[_Due], now: datetime) -> None:
    """Fill each due digest's groups, in a few batched queries for everyone at once."""
    seeker_ids = {m.owner_id for d in due for m in d.members}
    person_ids = {m.person_id for d in due for m in d.members}
    oldest = min(d.since for d in due)

    seekers: dict[int, User] = {}
    for chunk in _chunks(seeker_ids):
        seekers.update(
            (u.pk, u) for u in User.objects.filter(pk__in=chunk).only("id", "email", "display_name")
        )
    updates: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for chunk in _chunks(seeker_ids):
        for row in (
            Update.objects.filter(
                owner_id__in=chunk, deleted_at=None, created_at__gt=oldest, created_at__lte=now
            )
            .order_by("created_at", "id")
            .values("id", "owner_id", "kind", "audience", "text", "created_at")
        ):
            updates[row["owner_id"]].append(row)
    # Hard news a member already had by email, right away, isn't repeated in their digest.
    emailed: set[str] = set()
    for chunk in _chunks(seeker_ids):
        emailed.update(
            OutboxMessage.objects.filter(
                user_id__in=chunk, kind=NEWS_TEMPLATE, created_at__gt=oldest
            ).values_list("key", flat=True)
        )
    asks: dict[int, list[dict[str, Any]]] = defaultdict(list)
    thanks: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fields = ("id", "person_id", "sent_at", "thanked_at", "thanks_text", "status")
    ask_fields = ("ask__owner_id", "ask__kind", "ask__request", "ask__needed_by")
    for chunk in _chunks(person_ids):
        for row in (
            Recipient.objects.filter(person_id__in=chunk)
            .filter(
                Q(status__in=Recipient.OPEN, ask__closed_at=None, ask__sent_at__isnull=False)
                | Q(thanked_at__gt=oldest, thanked_at__lte=now)
            )
            .order_by("id")
            .values(*fields, *ask_fields)
        ):
            if row["status"] in Recipient.OPEN:
                asks[row["person_id"]].append(row)
            if row["thanked_at"] is not None and row["thanked_at"] > oldest:
                thanks[row["person_id"]].append(row)

    kinds = dict(UpdateKind.choices)
    ask_kinds = dict(Kind.choices)
    for d in due:
        by_seeker: dict[int, Group] = {}
        seen: set[tuple[str, int]] = set()
        new = False
        for m in d.members:
            seeker = seekers.get(m.owner_id)
            if seeker is None:
                continue
            group = by_seeker.get(m.owner_id) or Group(
                seeker=seeker, member_id=m.id, links_off=m.links_off
            )
            visible = VISIBLE_TO.get(m.audience, ())
            for u in updates.get(m.owner_id, ()):
                if (
                    u["created_at"] > d.since
                    and u["audience"] in visible
                    and ("u", u["id"]) not in seen
                    and news_key(u["id"], m.id) not in emailed
                ):
                    seen.add(("u", u["id"]))
                    group.updates.append({**u, "kind_label": kinds.get(u["kind"], "")})
            for r in asks.get(m.person_id, ()):
                # The ask must be this seeker's own: a person record belongs to one seeker.
                if r["ask__owner_id"] == m.owner_id and ("a", r["id"]) not in seen:
                    seen.add(("a", r["id"]))
                    r_new = r["sent_at"] is not None and r["sent_at"] > d.since
                    new |= r_new
                    group.asks.append(
                        {**r, "new": r_new, "kind_label": ask_kinds.get(r["ask__kind"], "")}
                    )
            for r in thanks.get(m.person_id, ()):
                if (
                    r["ask__owner_id"] == m.owner_id
                    and r["thanked_at"] > d.since
                    and ("t", r["id"]) not in seen
                ):
                    seen.add(("t", r["id"]))
                    group.thanks.append(r)
            if group.updates or group.asks or group.thanks:
                by_seeker[m.owner_id] = group
        d.groups = list(by_seeker.values())
        new |= any(g.updates or g.thanks for g in d.groups)
        if not new:
            d.groups = []


def _links(due: list[_Due], now: datetime) -> None:
    """Each section's personal link: the member's one live grant, reused (see circle.actions).

    One query per IN-chunk reads the live grants of every member in these digests; a grant is
    made only for members who have none (or whose grant expired). Switched-off links get none.
    """
    wanted = {g.member_id for d in due for g in d.groups if not g.links_off}
    live: dict[int, tuple[int, int, str, str, datetime]] = {}
    for chunk in _chunks(wanted):
        for found in (
            HelperGrant.objects.filter(member_id__in=chunk, revoked_at=None)
            .exclude(nonce="")
            .values_list("id", "member_id", "nonce", "token_hash", "expires_at")
        ):
            live[found[1]] = found
    expires_at = now + timedelta(days=settings.HELPER_LINK_DAYS)
    for d in due:
        for group in d.groups:
            if group.links_off:
                continue
            row = live.get(group.member_id)
            if row is not None and row[4] > now:
                group.token = derive_token(row[2])
                d.live_grant_ids.append(row[0])
                if hash_token(group.token) != row[3]:  # SECRET_KEY rotated
                    d.rehashed.append((row[0], hash_token(group.token)))
                continue
            if row is not None:
                d.retired_grant_ids.append(row[0])
            grant, group.token = _new_grant(group.member_id, expires_at)
            d.new_grants.append(grant)


LINK = "@@digest-link@@"


class _Renderer:
    """Renders digests fast: each seeker's section is rendered once per distinct content.

    Helpers of one seeker in one audience mostly see the same section; only the personal link
    differs, and it is put in afterwards. Signed URLs reuse one reversed prefix.
    """

    def __init__(self) -> None:
        self.text = get_template("emails/digest-body-text.html#section")
        self.html = get_template("emails/digest-body-html.html#section")
        self.sections: dict[tuple[Any, ...], tuple[str, str]] = {}
        self.link = settings.SITE_URL + reverse("circle:helper_link", args=[LINK])
        self.unsubscribe = settings.SITE_URL + reverse("journey:digest_unsubscribe", args=[LINK])
        self.pause = settings.SITE_URL + reverse("journey:digest_pause", args=[LINK])

    def section(self, group: Group) -> tuple[str, str]:
        signature = (
            group.seeker.pk,
            group.links_off,
            tuple(u["id"] for u in group.updates),
            tuple((a["id"], a["new"]) for a in group.asks),
            tuple(t["id"] for t in group.thanks),
        )
        rendered = self.sections.get(signature)
        if rendered is None:
            context = {"group": group, "link": "" if group.links_off else LINK}
            rendered = (self.text.render(context), self.html.render(context))
            self.sections[signature] = rendered
        return rendered

    def __call__(self, d: _Due) -> None:
        """The outbox row (not saved yet), with each seeker's section's personal link."""
        for group in d.groups:
            group.link = self.link.replace(LINK, group.token) if group.token else ""
            text, html = self.section(group)
            group.text = text.replace(LINK, group.link)
            group.html = mark_safe(html.replace(LINK, group.link))  # noqa: S308  rendered above
        if d.club_weeks:
            d.message_without_club = self.message(d, [])
        d.message = self.message(d, d.club_weeks)

    def message(self, d: _Due, club_weeks: list[Any]) -> OutboxMessage:
        unsubscribe = self.unsubscribe.replace(LINK, _sign(d.helper.pk, "u"))
        seekers = [g.seeker for g in d.groups]
        subject, text, html = render_email(
            TEMPLATE,
            {
                "groups": d.groups,
                "seekers": seekers,
                "unsubscribe_url": unsubscribe,
                "pause_url": self.pause.replace(LINK, _sign(d.helper.pk, "p")),
                "club_weeks": club_weeks,
            },
        )
        return OutboxMessage(
            key=d.key,
            kind=TEMPLATE,
            user=seekers[0] if len(seekers) == 1 else None,
            to_email=d.email,
            subject=subject[:300],
            body_text=text,
            body_html=html,
            headers={
                "Message-ID": f"<{hashlib.sha256(d.key.encode()).hexdigest()[:32]}@helpwanted>",
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def _write(chunk: list[_Due], now: datetime) -> int:
    """Queue one chunk, exactly once: the outbox rows, their links and last_digest_at together."""
    with transaction.atomic():
        # Lock these helpers in id order (PostgreSQL; SQLite's IMMEDIATE transactions serialise
        # writers anyway), so a concurrent tick waits here, then sees our keys and skips them.
        list(
            Helper.objects.select_for_update()
            .filter(pk__in=[d.helper.pk for d in chunk])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        existing = _existing_keys(d.key for d in chunk)
        fresh = [d for d in chunk if d.key not in existing]
        if not fresh:
            return 0
        _write_links(fresh, now)
        for d in fresh:  # the club's week rides here only if no other email carried it
            if d.club_user_id and d.club_monday and not weekly_claim(d.club_user_id, d.club_monday):
                d.message = d.message_without_club
        OutboxMessage.objects.bulk_create(
            [d.message for d in fresh if d.message is not None],
            batch_size=200,
            ignore_conflicts=True,
        )
        Helper.objects.filter(pk__in=[d.helper.pk for d in fresh]).update(last_digest_at=now)
    return len(fresh)


def _write_links(fresh: list[_Due], now: datetime) -> None:
    """Retire expired grants, make the missing ones, slide the rest's expiry to this email's."""
    retired = [pk for d in fresh for pk in d.retired_grant_ids]
    for chunk in _chunks(retired):
        HelperGrant.objects.filter(pk__in=chunk, revoked_at=None).update(revoked_at=now)
    HelperGrant.objects.bulk_create([g for d in fresh for g in d.new_grants], batch_size=500)
    expires_at = now + timedelta(days=settings.HELPER_LINK_DAYS)
    for chunk in _chunks(pk for d in fresh for pk in d.live_grant_ids):
        HelperGrant.objects.filter(pk__in=chunk, expires_at__lt=expires_at).update(
            expires_at=expires_at
        )
    for pk, token_hash in (pair for d in fresh for pair in d.rehashed):
        HelperGrant.objects.filter(pk=pk).update(token_hash=token_hash)


def _club_weeks(due: list[_Due], now: datetime) -> None:
    """The job-club week of each due helper who is a club member (by their account's email)."""
    users = dict(
        User.objects.filter(
            email__in=[d.email for d in due], is_active=True, club_memberships__left_at=None
        )
        .distinct()
        .values_list("email", "pk")
    )
    if not users:
        return
    weeks = club_weeks(users.values(), now)
    for d in due:
        pk = users.get(d.email)
        if pk is not None and weeks.get(pk):
            d.club_user_id, d.club_weeks = pk, weeks[pk]
            d.club_monday = week_monday((d.start or now).date())


def digests_enqueue(*, now: datetime | None = None) -> int:
    """Tick job: queue every digest that has come due. Returns how many were queued."""
    now = now or timezone.now()
    due = _plan(now)
    if not due:
        return 0
    _collect(due, now)
    due = [d for d in due if d.groups]
    if not due:
        return 0
    _links(due, now)
    _club_weeks(due, now)
    render = _Renderer()
    for d in due:
        render(d)
    queued = 0
    for start in range(0, len(due), WRITE_CHUNK):
        queued += _write(due[start : start + WRITE_CHUNK], now)
    if queued:
        log.info("queued %s digests", queued)
    return queued
