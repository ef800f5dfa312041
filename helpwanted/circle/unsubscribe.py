"""One-click unsubscribe links (RFC 8058). Signed, scoped to one helper of one seeker.

The signature's salt keeps these values useless as any other kind of token.
"""

from django.conf import settings
from django.urls import reverse

from helpwanted.circle.models import CircleMember
from helpwanted.mail.links import short_sign, short_unsign

SALT = "helpwanted.circle.unsubscribe"


def unsubscribe_url(member: CircleMember) -> str:
    return settings.SITE_URL + reverse(
        "circle:unsubscribe", args=[short_sign(str(member.pk), SALT)]
    )


def member_from_value(value: str) -> CircleMember | None:
    member_id = short_unsign(value, SALT)
    if member_id is None or not member_id.isdigit():
        return None
    return CircleMember.objects.select_related("person", "owner").filter(pk=int(member_id)).first()
