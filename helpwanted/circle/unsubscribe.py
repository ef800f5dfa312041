"""One-click unsubscribe links (RFC 8058). Signed, scoped to one helper of one seeker.

The signature's salt keeps these values useless as any other kind of token.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from helpwanted.circle.models import CircleMember

SALT = "helpwanted.circle.unsubscribe"


def unsubscribe_url(member: CircleMember) -> str:
    value = signing.dumps({"m": member.pk}, salt=SALT, compress=True)
    return settings.SITE_URL + reverse("circle:unsubscribe", args=[value])


def member_from_value(value: str) -> CircleMember | None:
    try:
        data = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    return CircleMember.objects.select_related("person", "owner").filter(pk=data.get("m")).first()
