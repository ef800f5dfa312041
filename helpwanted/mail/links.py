"""Short signed values for links in email headers.

`List-Unsubscribe` must stay a plain `<https://…>` URL: past 78 characters the email package
encodes the header as an RFC 2047 word, and mail clients no longer see a link. Django's signing
values are too long for that, so these carry only the id and a 16-hex-digit HMAC, salted per use.
"""

import hmac

from django.utils.crypto import salted_hmac


def short_sign(value: str, salt: str) -> str:
    return f"{value}-{salted_hmac(salt, value, algorithm='sha256').hexdigest()[:16]}"


def short_unsign(signed: str, salt: str) -> str | None:
    value, _, signature = signed.rpartition("-")
    if not value or not hmac.compare_digest(short_sign(value, salt), signed):
        return None
    return value
