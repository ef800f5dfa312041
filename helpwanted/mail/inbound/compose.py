"""A reply as a helper's mail client would write it: for the demo's "Reply as this helper" and
for tests. A real RFC 5322 message: the helper's words on top, then an attribution line and the
original email quoted below with "> ", the way Gmail and Thunderbird quote."""

import email.policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.utils import timezone


def reply_bytes(
    *,
    text: str,
    from_address: str,
    reply_to: str,
    subject: str,
    original_text: str,
    original_message_id: str = "",
    html: bool = False,
) -> bytes:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = from_address
    message["To"] = reply_to
    message["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    now = timezone.now()
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or "localhost")
    if original_message_id:
        message["In-Reply-To"] = original_message_id
        message["References"] = original_message_id
    attribution = f"On {now:%a, %d %b %Y at %H:%M}, {settings.DEFAULT_FROM_EMAIL} wrote:"
    quoted = "\n".join(f"> {line}".rstrip() for line in original_text.splitlines())
    message.set_content(f"{text.strip()}\n\n{attribution}\n{quoted}\n")
    if html:
        from html import escape

        body = "<br>".join(escape(line) for line in text.strip().splitlines())
        original = "<br>".join(escape(line) for line in original_text.splitlines())
        message.add_alternative(
            f'<div dir="ltr">{body}</div><br><div class="gmail_quote">'
            f'<div class="gmail_attr">{escape(attribution)}<br></div>'
            f'<blockquote class="gmail_quote">{original}</blockquote></div>',
            subtype="html",
        )
    return message.as_bytes()
