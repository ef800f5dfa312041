"""Reading a bounce: delivery status notifications (RFC 3464) and the common non-standard ones.

Pure: the standard library's `email` package only, no Django. helpwanted/mail/bounces.py
decides what a bounce does; this module only says what the bounce says.
"""

import re
from dataclasses import dataclass
from email.message import Message

PERMANENT = "permanent"
TEMPORARY = "temporary"
IGNORED = "ignored"

DETAIL_CAP = 500  # OutboxMessage.bounce_detail
_TEXT_CAP = 64 * 1024  # how much of a non-standard bounce's text is searched for a status

# An RFC 3463 enhanced status code: class 4 or 5 (2 is success), subject and detail. Exchange
# writes three-digit details ("5.1.10"). Not inside a longer dotted number ("5.1.2024").
_STATUS = re.compile(r"(?<![\d.])([45])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
# A bare SMTP reply code at the start of a line or after "smtp;" ("550 User unknown").
_SMTP_CODE = re.compile(r"(?:^|;\s*|\n\s*)([45])\d\d[ -]", re.MULTILINE)
# What a non-standard bounce looks like from the outside: who sent it, or what it's called.
_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery (sub)?system", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (status|failure|has failed|failed|notification)"
    r"|mail delivery failed|returned mail|failure notice|could not be delivered|non-?delivery",
    re.IGNORECASE,
)


# Where a plain-text bounce starts quoting our own email (Exim, qmail, Postfix's old style).
_COPY_MARKER = re.compile(
    r"^\s*-{2,}.*(copy of the message|original message|returned message|message headers)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Bounce:
    """What one bounce says about the one recipient it is about."""

    status: str  # "5.1.1"
    detail: str  # the server's words, capped ("550 5.1.1 <jo@example.com>: User unknown")
    recipient: str = ""  # Final-Recipient, lower case, "" if the bounce didn't say

    @property
    def outcome(self) -> str:
        return classify(self.status)


def classify(status: str) -> str:
    """ "permanent" for 5.x.x, "temporary" for 4.x.x and for 5.4.4 (no route to the host, which
    is most often a DNS hiccup, so it counts as temporary), "ignored" for anything else."""
    if status == "5.4.4":
        return TEMPORARY
    if status.startswith("5."):
        return PERMANENT
    if status.startswith("4."):
        return TEMPORARY
    return IGNORED


_DIAGNOSTIC_TYPE = re.compile(r"^[A-Za-z][\w-]*;\s*")  # "smtp; ", "X-Postfix; "
_CONTINUATION = re.compile(r"\s[2-5]\d\d-[245]\.\d{1,3}\.\d{1,3}\s")  # Gmail's " 550-5.1.1 "


def _clean(text: str) -> str:
    return " ".join(str(text).split())[:DETAIL_CAP]


def _diagnostic(value: object) -> str:
    """A Diagnostic-Code as the server said it: without its type, and a multi-line reply's
    repeated codes ("550-5.1.1 ... 550-5.1.1 ...") said once."""
    text = _DIAGNOSTIC_TYPE.sub("", " ".join(str(value or "").split()), count=1)
    head, _, tail = text.partition(" ")
    return _clean(f"{head} {_CONTINUATION.sub(' ', ' ' + tail + ' ').strip()}".strip())


def _status_in(text: str) -> str:
    """The first enhanced status code in the text, else "5.0.0"/"4.0.0" from an SMTP reply code."""
    match = _STATUS.search(text)
    if match:
        return ".".join(match.groups())
    code = _SMTP_CODE.search(text)
    return f"{code.group(1)}.0.0" if code else ""


def _address(value: object) -> str:
    """'rfc822; Jo@Example.com' -> 'jo@example.com'."""
    value = str(value or "")
    value = value.split(";", 1)[1] if ";" in value else value
    return value.strip().strip("<>").strip().lower()[:254]


def _recipient_blocks(report: Message) -> list[Message]:
    """The per-recipient field groups of a message/delivery-status part.

    The email package parses the part's body as a list of header blocks: the first is about the
    message, the rest one per recipient.
    """
    payload = report.get_payload()
    if not isinstance(payload, list):
        return []
    blocks = [b for b in payload if isinstance(b, Message)]
    return [b for b in blocks if b.get("Status") or b.get("Final-Recipient")]


def _from_report(message: Message, sent_to: str) -> Bounce | None:
    for part in message.walk():
        if part.get_content_type() not in (
            "message/delivery-status",
            "message/global-delivery-status",
        ):
            continue
        failed: list[Bounce] = []
        for block in _recipient_blocks(part):
            action = str(block.get("Action", "")).strip().lower()
            status = _status_in(str(block.get("Status", "")))
            diagnostic = _diagnostic(block.get("Diagnostic-Code"))
            if action in ("delivered", "relayed", "expanded") or not status:
                continue
            recipient = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
            # A "Status: 5.0.0" with a more exact code in the server's words: take the exact one.
            exact = _status_in(diagnostic)
            if status.endswith(".0.0") and exact[:1] == status[:1] and exact != status[:1] + ".0.0":
                status = exact
            failed.append(
                Bounce(status=status, detail=diagnostic or f"Status: {status}", recipient=recipient)
            )
        if failed:
            about = [b for b in failed if sent_to and b.recipient == sent_to.lower()]
            return (about or failed)[0]
    return None


def _text_of(message: Message) -> str:
    """The readable text of a non-standard bounce: its text parts, not the returned message's."""
    texts: list[str] = []
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            break  # the copy of our own email starts here; its words are ours, not the server's
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                try:
                    texts.append(payload.decode(charset, "replace"))
                except LookupError:
                    texts.append(payload.decode("utf-8", "replace"))
        if sum(map(len, texts)) > _TEXT_CAP:
            break
    text = "\n".join(texts)[:_TEXT_CAP]
    marker = _COPY_MARKER.search(text)
    return text[: marker.start()] if marker else text


def _looks_like_bounce(message: Message) -> bool:
    sender = str(message.get("From", "")) + " " + str(message.get("Return-Path", ""))
    return bool(
        _DAEMON.search(sender)
        or _BOUNCE_SUBJECT.search(str(message.get("Subject", "")))
        or message.get("X-Failed-Recipients")
        or message.get_content_type() == "multipart/report"
    )


def _from_text(message: Message) -> Bounce | None:
    """A bounce that isn't a proper report (qmail, old Exim, some hosted servers): find
    "Status: 5.1.1" or "550 5.1.1" in its words. Only for a message that looks like a bounce:
    an out-of-office reply to the return path saying "back on 4.5.26" is not one."""
    if not _looks_like_bounce(message):
        return None
    text = _text_of(message)
    status = _status_in(text)
    if not status:
        return None
    # The server's words: the line the status was found on, else the first that names a code.
    line = next((ln for ln in text.splitlines() if status in ln), "")
    if not line:
        line = next((ln for ln in text.splitlines() if _SMTP_CODE.search("\n" + ln)), "")
    failed = str(message.get("X-Failed-Recipients", "")).split(",")[0]
    return Bounce(
        status=status, detail=_clean(line) or f"Status: {status}", recipient=_address(failed)
    )


def parse_bounce(message: Message, sent_to: str = "") -> Bounce | None:
    """What this bounce says about `sent_to` (the address the email went to), or None if it says
    nothing we can use (a success notice, an auto-reply, junk)."""
    return _from_report(message, sent_to) or _from_text(message)


def parse_status_text(text: str) -> str:
    """The status code in a provider's words about a bounce ("550 5.1.1 no such user"), or ""."""
    return _status_in(str(text or "")[:_TEXT_CAP])


# What the seeker reads: the status in plain words. The server's own words follow on the page.
_PLAIN = {
    "5.1.1": "there's no mailbox at that address",
    "5.1.10": "there's no mailbox at that address",
    "5.1.2": "the part after the @ doesn't take email",
    "5.1.3": "the address isn't written the way addresses are",
    "5.1.6": "the mailbox has moved",
    "5.2.1": "the mailbox is switched off",
    "5.2.2": "their mailbox is full",
    "5.4.4": "their mail server couldn't be reached",
    "4.2.2": "their mailbox is full for now",
}
_PLAIN_SUBJECT = {
    "5.1": "the address isn't right",
    "5.2": "the mailbox can't take email",
    "5.4": "their mail server couldn't be reached",
    "5.7": "their mail server refused it",
}


def plain_reason(status: str) -> str:
    """The bounce's status in words a seeker can act on."""
    if status in _PLAIN:
        return _PLAIN[status]
    if status[:3] in _PLAIN_SUBJECT:
        return _PLAIN_SUBJECT[status[:3]]
    if status.startswith("4."):
        return "their mail server couldn't take it for now"
    return "their mail server said it can't be delivered"
