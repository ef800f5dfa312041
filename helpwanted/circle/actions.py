import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpwanted.circle.models import CircleMember, HelperGrant, hash_token
from helpwanted.mail.actions import outbox_enqueue
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


def circle_remove(*, member: CircleMember) -> None:
    with transaction.atomic():
        member.grants.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        member.delete()


def grant_issue(*, member: CircleMember) -> tuple[HelperGrant, str]:
    """A new personal link. The token exists only in the email; we keep its hash."""
    token = secrets.token_urlsafe(32)
    grant = HelperGrant.objects.create(
        member=member, token_hash=hash_token(token), expires_at=HelperGrant.default_expiry()
    )
    return grant, token


def circle_invite(*, member: CircleMember, email: str, message: str = "") -> HelperGrant:
    """Email the member their personal link, revoking any earlier link."""
    with transaction.atomic():
        now = timezone.now()
        member.grants.filter(revoked_at__isnull=True).update(revoked_at=now)
        person = member.person
        if email.lower() not in [e.lower() for e in person.emails]:
            person.emails = [email.lower(), *person.emails]
            person.email_key = person.emails[0]
            person.save(update_fields=["emails", "email_key"])
        grant, token = grant_issue(member=member)
        member.invited_at = now
        member.left_at = None
        member.save(update_fields=["invited_at", "left_at"])
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
                "link": settings.SITE_URL + reverse("circle:helper_link", args=[token]),
                "expires_at": grant.expires_at,
            },
        )
    return grant


def grant_revoke(*, member: CircleMember) -> int:
    return member.grants.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


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


def helper_set_preferences(*, member: CircleMember, digest_enabled: bool, pause: bool) -> None:
    member.digest_enabled = digest_enabled
    member.digest_paused_until = (timezone.localdate() + timedelta(weeks=4)) if pause else None
    member.save(update_fields=["digest_enabled", "digest_paused_until"])


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
