"""Reply addresses: `Reply-To: <REPLY_LOCAL>+<key>@<REPLY_DOMAIN>` on every email that invites
an answer (an ask, its follow-up, an update shared right away, a thank-you).

The key is 160 random bits in lowercase base32 (32 characters: MTAs and people may change the
case of a local part, base32 doesn't care), and only its SHA-256 is stored, like the helper
link's token. "reply+" and the key make 38 characters, inside RFC 5321's 64 for a local part.
A key is tied to the helper's live link (HelperGrant): it expires with it, and dies when the
seeker switches the link off or a new invitation replaces it. See docs/security.md.
"""

import base64
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings

from helpwanted.circle.actions import grant_for_member
from helpwanted.circle.models import CircleMember
from helpwanted.mail.models import ReplyKey

KEY_BYTES = 20  # 160 bits
KEY_LENGTH = 32  # base32 of 20 bytes, no padding
_KEY = re.compile(r"[a-z2-7]{32}")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.lower().encode()).hexdigest()


def new_key() -> str:
    return base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode().lower().rstrip("=")


def reply_address(key: str) -> str:
    return f"{settings.REPLY_LOCAL}+{key}@{settings.REPLY_DOMAIN}"


def reply_key_issue(*, member: CircleMember, kind: str, **target: Any) -> str:
    """A new reply address for one email to this member about `target` (recipient=, update=
    or thank_you=), or "" when the member's link is off (then the email carries no link and no
    way to reply either)."""
    if member.links_off_at is not None or member.left_at is not None:
        return ""
    grant, _ = grant_for_member(member=member)
    key = new_key()
    ReplyKey.objects.create(key_hash=hash_key(key), kind=kind, grant=grant, member=member, **target)
    return reply_address(key)


def reply_headers(address: str) -> dict[str, str]:
    """The headers an email carrying this reply address needs (none without one)."""
    return {"Reply-To": address} if address else {}


def split_rcpt(rcpt: str) -> tuple[str, str]:
    """("reply", "abc…") from "reply+abc…@domain"; ("", "") when there is no plus part."""
    local, _, domain = rcpt.strip().strip("<>").rpartition("@")
    if not local or "+" not in local:
        return "", ""
    base, _, tag = local.partition("+")
    return base.lower(), tag


def key_from_rcpt(rcpt: str) -> str | None:
    """The reply key in an address to our reply domain, or None when it isn't one of ours."""
    _, _, domain = rcpt.strip().strip("<>").rpartition("@")
    base, tag = split_rcpt(rcpt)
    if base != settings.REPLY_LOCAL.lower() or domain.lower() != settings.REPLY_DOMAIN.lower():
        return None
    tag = tag.lower()
    return tag if _KEY.fullmatch(tag) else None


# What processing a reply reads of the key, its link and its helper: one narrow query.
_LOOKUP_FIELDS = (
    "kind", "recipient_id", "update_id", "thank_you_id", "notice_sent_at", "grant__revoked_at",
    "grant__expires_at", "member__owner_id", "member__left_at", "member__links_off_at",
    "member__unsubscribed_at", "member__person__name", "member__person__emails",
    "member__person__owner_id",
)  # fmt: skip


def reply_key_lookup(rcpt: str) -> ReplyKey | None:
    """The live key an address names, or None (unknown, malformed, expired or switched off)."""
    key = key_from_rcpt(rcpt)
    if key is None:
        return None
    found = (
        ReplyKey.objects.select_related("grant", "member__person")
        .only(*_LOOKUP_FIELDS)
        .filter(key_hash=hash_key(key))
        .first()
    )
    return found if found is not None and found.is_live else None


def is_bounce_rcpt(rcpt: str) -> bool:
    """An address on the bounce helper's VERP return path (`<BOUNCE_LOCAL>+…@REPLY_DOMAIN`)."""
    bounce_local = getattr(settings, "BOUNCE_LOCAL", "")
    base, _ = split_rcpt(rcpt)
    return bool(bounce_local) and base == bounce_local.lower()


def verp_valid(rcpt: str) -> bool:
    """A signed bounce address the bounce module knows (False while that module is absent)."""
    try:
        from helpwanted.mail.bounces import verp_outbox_id  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return False
    return verp_outbox_id(rcpt) is not None
