"""Keep secrets out of logs: the helper token in /h/<token>/, unsubscribe and pause values,
check-in reminder switches, calendar feed URLs and password-reset links are replaced with "[redacted]".

`redact(text)` is pure and works on any line (a request line, a full URL, a traceback).
`RedactSecretsFilter` applies it to a log record in place, so every handler after it (the console,
a file, pytest's caplog) sees only the clean text. settings.LOGGING attaches it to the console
handler and to django.request, django.server, django.security and helpwanted;
helpwanted.lib.gunicornlog does the same for gunicorn's access and error logs.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_SEGMENT = r"[^/\s?#\"'<>]+"

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # /h/<token>/ and everything a helper link grows (/h/<token>/answer/yes/ …)
    (re.compile(rf"(/h/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # helper and digest unsubscribe links: /u/<value>/, /journey/digest/u/<value>/
    (re.compile(rf"(/u/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # /journey/digest/pause/<value>/
    (re.compile(rf"(/pause/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # the calendar feed's secret URL: /cal/<token>.ics
    (re.compile(rf"(/cal/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # a job-club invitation (/clubs/join/<token>/) and a club email's stop link
    (re.compile(rf"(/clubs/join/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    (re.compile(rf"(/emails-off/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # /circle/removed/<value>/undo/: a signed undo of a removal
    (re.compile(rf"(/removed/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # /journey/checkins/reminder/off/<value>/
    (re.compile(rf"(/reminder/off/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # /account/reset/<uidb64>/<token>/ (but not /account/reset/sent/ or /complete/)
    (
        re.compile(rf"(/reset/)(?!sent/|complete/){_SEGMENT}/{_SEGMENT}"),
        rf"\g<1>{REDACTED}/{REDACTED}",
    ),
    # ?token=…, &key=… in a query string
    (
        re.compile(r"([?&](?:token|key|signature|sig|value|code)=)[^&\s#\"'<>]+", re.IGNORECASE),
        rf"\g<1>{REDACTED}",
    ),
)


def redact(text: str) -> str:
    """The text with every secret path segment and query value replaced by "[redacted]"."""
    if "/" not in text and "=" not in text:
        return text
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """A logging filter that rewrites the record's message (and traceback) without its secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
