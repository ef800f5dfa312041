import base64
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from helpwanted.circle.models import CircleMember, Consent, HelperGrant, NewsTiming, hash_token
from helpwanted.mail.actions import outbox_enqueue
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person


def circle_add(*, person: Person, audience: str) -> CircleMember:
    """Put a person in the circle, or change what they see. Coming back after leaving is fine."""
    with transaction.atomic():
        member, created = CircleMember.objects.get_or_create(
            person=person, defaults={"owner": person.owner, "audience": audience}
        )
        if not created:
            member.audience = audience
            member.save(update_fields=["audience"])
    return member


# What Undo needs to put a removed member back as they were (their old links stay dead).
_KEPT = (
    "audience", "invited_at", "digest_enabled", "digest_paused_until", "left_at",
    "unsubscribed_at", "consented_at", "consent_via", "news_timing", "links_off_at", "created_at",
)  # fmt: skip


def circle_remove(*, member: CircleMember) -> dict[str, object]:
    """Take someone out of the circle. Returns what circle_restore needs to undo it."""
    snapshot: dict[str, object] = {"person": member.person_id}
    for name in _KEPT:
        value = getattr(member, name)
        snapshot[name] = value.isoformat() if hasattr(value, "isoformat") else value
    with transaction.atomic():
        member.grants.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        member.delete()
    return snapshot


def circle_restore(*, person: Person, snapshot: dict[str, object]) -> CircleMember:
    """Undo a removal: the same audience, consent and choices. A new link goes with the next email."""
    fields: dict[str, object] = {}
    for name in _KEPT:
        value = snapshot.get(name)
        field = CircleMember._meta.get_field(name)
        if isinstance(value, str) and field.get_internal_type() in ("DateTimeField", "DateField"):
            parsed = datetime.fromisoformat(value)
            value = parsed.date() if field.get_internal_type() == "DateField" else parsed
        fields[name] = value
    with transaction.atomic():
        member, _ = CircleMember.objects.get_or_create(
            person=person, defaults={"owner": person.owner, **fields}
        )
    return member


TOKEN_SALT = "helpwanted.circle.helper-link"


def derive_token(nonce: str) -> str:
    """The link token for a grant's nonce: HMAC-SHA256 keyed from SECRET_KEY, URL-safe.

    Only sha256(token) is stored, as before; the nonce alone gives nothing without SECRET_KEY.
    """
    digest = salted_hmac(TOKEN_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def link_for(token: str, query: str = "") -> str:
    path = reverse("circle:helper_link", args=[token])
    return f"{settings.SITE_URL}{path}{'?' + query if query else ''}"


def _new_grant(member_id: int, expires_at: datetime) -> tuple[HelperGrant, str]:
    nonce = secrets.token_urlsafe(32)
    token = derive_token(nonce)
    grant = HelperGrant(
        member_id=member_id, nonce=nonce, token_hash=hash_token(token), expires_at=expires_at
    )
    return grant, token


def live_grant(member: CircleMember) -> HelperGrant | None:
    return (
        HelperGrant.objects.filter(member=member, revoked_at__isnull=True)
        .exclude(nonce="")
        .order_by("-created_at")
        .first()
    )


def grant_for_member(*, member: CircleMember) -> tuple[HelperGrant, str]:
    """The member's one live grant and its token, made if needed, good for HELPER_LINK_DAYS more.

    Every email reuses it, so a link from an older email keeps working, and the expiry slides
    forward with each new email. Does not look at links_off_at: callers use member_link.
    """
    now = timezone.now()
    expires_at = now + timedelta(days=settings.HELPER_LINK_DAYS)
    for _ in range(2):
        grant = live_grant(member)
        if grant is not None and grant.expires_at <= now:
            # Expired: retire it, so the next one is the member's only live grant.
            HelperGrant.objects.filter(pk=grant.pk).update(revoked_at=now)
            grant = None
        if grant is None:
            grant, token = _new_grant(member.pk, expires_at)
            try:
                with transaction.atomic():
                    grant.save()
            except IntegrityError:
                continue  # another request made it at the same moment: use theirs
            return grant, token
        token = derive_token(grant.nonce)
        changes: dict[str, object] = {}
        if hash_token(token) != grant.token_hash:
            # SECRET_KEY was rotated: the link changes now, and links in older emails stop.
            changes["token_hash"] = hash_token(token)
        if grant.expires_at < expires_at:
            changes["expires_at"] = expires_at
        if changes:
            HelperGrant.objects.filter(pk=grant.pk).update(**changes)
            for name, value in changes.items():
                setattr(grant, name, value)
        return grant, token
    raise RuntimeError("Could not settle on one live helper link.")  # pragma: no cover


def member_link(member: CircleMember, query: str = "") -> str | None:
    """The link to put in an email to this member, or None when the seeker switched it off."""
    if member.links_off_at is not None or member.left_at is not None:
        return None
    _, token = grant_for_member(member=member)
    return link_for(token, query)


def grant_issue(*, member: CircleMember) -> tuple[HelperGrant, str]:
    """The member's live link (kept for callers that want the grant and token)."""
    return grant_for_member(member=member)


INVITE_AGAIN_AFTER = timedelta(minutes=2)


def _recent_invite(
    member: CircleMember, email: str, message: str, *, since: datetime
) -> HelperGrant | None:
    """The live grant of an invitation just sent to this address with these words (a double
    submit), or None."""
    if member.invited_at is None or member.invited_at < since or member.links_off_at:
        return None
    grant = live_grant(member)
    if grant is None:
        return None
    sent = OutboxMessage.objects.filter(
        key=f"invite:{member.pk}:{grant.pk}", to_email__iexact=email
    ).first()
    words = f'In their words: "{message.strip()}"' if message.strip() else "In their words:"
    if sent is None or (words in sent.body_text) != bool(message.strip()):
        return None
    return grant


def circle_invite(*, member: CircleMember, email: str, message: str = "") -> HelperGrant:
    """Email the member a fresh personal link. Older links stop; a switched-off link is back on.

    The member's row is locked first, so two invitations at once are made one after the other,
    and the same invitation pressed twice within INVITE_AGAIN_AFTER is one email, one link.
    """
    with transaction.atomic():
        locked = CircleMember.objects.select_for_update().get(pk=member.pk)
        now = timezone.now()
        same = _recent_invite(locked, email, message, since=now - INVITE_AGAIN_AFTER)
        if same is not None:
            return same
        member.grants.filter(revoked_at__isnull=True).update(revoked_at=now)
        person = member.person
        if email.lower() not in [e.lower() for e in person.emails]:
            person.emails = [email.lower(), *person.emails]
            person.email_key = person.emails[0]
            person.save(update_fields=["emails", "email_key"])
        member.invited_at = now
        member.left_at = None
        member.links_off_at = None
        member.save(update_fields=["invited_at", "left_at", "links_off_at"])
        grant, token = grant_for_member(member=member)
        seeker = member.owner
        outbox_enqueue(
            key=f"invite:{member.pk}:{grant.pk}",
            template="circle-invite",
            to_email=email,
            user=seeker,
            context={
                "seeker": seeker,
                "person": person,
                "member": member,
                "message": message.strip(),
                "link": link_for(token, "join=1"),
                "look_link": link_for(token),
                "expires_at": grant.expires_at,
            },
        )
    return grant


def grant_revoke(*, member: CircleMember) -> int:
    """Switch the member's link off, and keep it off: no email carries a link until re-invited.

    Only a link that is on is switched off (a conditional update), so a second press at the
    same moment changes nothing and Undo still finds the grants this switch-off revoked.
    """
    with transaction.atomic():
        now = timezone.now()
        switched = CircleMember.objects.filter(pk=member.pk, links_off_at__isnull=True).update(
            links_off_at=now
        )
        if not switched:
            member.refresh_from_db(fields=["links_off_at"])
            return 0
        member.links_off_at = now
        return member.grants.filter(revoked_at__isnull=True).update(revoked_at=now)


def grant_revoke_undo(*, member: CircleMember) -> bool:
    """Turn the same link back on, if it was this switch-off that turned it off."""
    with transaction.atomic():
        off = CircleMember.objects.select_for_update().get(pk=member.pk).links_off_at
        if off is None:
            member.links_off_at = None
            return False
        member.grants.filter(revoked_at=off).update(revoked_at=None)
        member.links_off_at = None
        member.save(update_fields=["links_off_at"])
    return True


def member_consent(*, member: CircleMember, via: str) -> bool:
    """They said yes to hearing about the search. Returns whether anything changed.

    Written only while not yet given (a conditional update): two yeses at once are one.
    """
    now, consent_via = timezone.now(), Consent(via)
    with transaction.atomic():
        said = CircleMember.objects.filter(pk=member.pk, consented_at__isnull=True).update(
            consented_at=now, consent_via=consent_via
        )
    if not said:
        member.refresh_from_db(fields=["consented_at", "consent_via"])
        return False
    member.consented_at, member.consent_via = now, consent_via
    return True


def member_withdraw_consent(*, member: CircleMember) -> None:
    member.consented_at = None
    member.consent_via = ""
    member.save(update_fields=["consented_at", "consent_via"])


def grant_lookup(*, token: str) -> HelperGrant | None:
    """The usable grant for a token, changing nothing (GETs: mail scanners follow links)."""
    grant = (
        HelperGrant.objects.select_related("member__person", "member__owner")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return grant if grant is not None and grant.is_usable else None


def grant_exchange(*, token: str) -> HelperGrant | None:
    """Trade a token for its grant, if the link is still good. Only ever called on POST."""
    grant = (
        HelperGrant.objects.select_related("member__person", "member__owner")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if grant is None or not grant.is_usable:
        return None
    HelperGrant.objects.filter(pk=grant.pk).update(last_used_at=timezone.now())
    return grant


def helper_set_preferences(
    *, member: CircleMember, digest_enabled: bool, pause: bool, news_timing: str = ""
) -> None:
    # Saved unchanged, the form changes nothing: a pause already running keeps its end date,
    # and the default news timing stays a default (it follows the audience if that changes).
    member.digest_enabled = digest_enabled
    if not pause:
        member.digest_paused_until = None
    elif not member.digest_paused:
        member.digest_paused_until = timezone.localdate() + timedelta(weeks=4)
    fields = ["digest_enabled", "digest_paused_until"]
    if news_timing in NewsTiming.values and news_timing != member.news_choice:
        member.news_timing = news_timing
        fields.append("news_timing")
    member.save(update_fields=fields)


def helper_leave(*, member: CircleMember) -> None:
    """The helper steps out. Their links stop working; the seeker keeps the person record."""
    with transaction.atomic():
        member.left_at = timezone.now()
        member.save(update_fields=["left_at"])
        member.grants.filter(revoked_at__isnull=True).update(revoked_at=member.left_at)


def helper_unsubscribe(*, member: CircleMember) -> None:
    """Stop every email to this helper from this seeker. Idempotent."""
    if member.unsubscribed_at is None:
        member.unsubscribed_at = timezone.now()
        member.save(update_fields=["unsubscribed_at"])


def helper_resubscribe(*, member: CircleMember) -> None:
    member.unsubscribed_at = None
    member.save(update_fields=["unsubscribed_at"])
