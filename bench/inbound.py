"""Replies by email for `make bench`, one `name: value` a line.

- inbound_replies_per_s: `inbound_process` on REPLIES replies to ask emails (Gmail-shaped: a
  text and an HTML part, the ask quoted below the helper's words), each recorded, stripped and
  suggested: key lookup, parse, cut and strip, rate limits, the row, the recipient's update.
- inbound_parse_per_s: the standard library's `email` parser alone on the same messages
  (`BytesParser(policy=default)`, then the text body read, which is what any handler must do).
- inbound_ratio: the first over the second, measured in the same run. Target: at least 0.3.

`bench_inbound()` expects Django set up on a scratch database (bench/__main__.py does it);
`python -m bench.inbound` runs it alone on a temporary SQLite file.
"""

from __future__ import annotations

import email.policy
import sys
import tempfile
import time
from email.parser import BytesParser
from pathlib import Path

REPLIES = 10_000
HELPERS = 100
TEXTS = [
    "Happy to! Thursday at 4pm works for me.",
    "Sorry, I can't help with this one, I don't know anyone there any more.",
    "Not right now, we're launching next week. Ask me again in January?",
    "You should talk to Priya in their recruiting team instead.",
    "Let me think about it and get back to you tomorrow.",
]


def seed() -> list[tuple[str, str, str, str]]:
    """A seeker who asked HELPERS people by email: (reply address, helper, text, subject)."""
    from helpwanted.accounts.models import User
    from helpwanted.asks.actions import ask_create, ask_send
    from helpwanted.mail.models import OutboxMessage
    from helpwanted.network.actions import person_create

    seeker = User.objects.create_user(
        email="inbound-seeker@example.org", password=None, display_name="Inbound Seeker"
    )
    people = [
        person_create(
            owner=seeker,
            fields={"name": f"Helper {n} Example", "emails": [f"helper{n}@example.com"]},
        )
        for n in range(HELPERS)
    ]
    ask = ask_create(
        owner=seeker,
        fields={
            "kind": "introduction",
            "request": "Would you introduce me to someone on the design team at Lumen Labs?",
            "why": "I'm applying for their Senior Product Designer role next week.",
        },
        people=people,
    )
    ask_send(ask=ask)
    return [
        (row.headers["Reply-To"], row.to_email, row.body_text, row.subject)
        for row in OutboxMessage.objects.filter(kind="ask", user=seeker)
    ]


def messages(emails: list[tuple[str, str, str, str]]) -> list[tuple[bytes, str, str]]:
    from helpwanted.mail.inbound.compose import reply_bytes

    out = []
    for n in range(REPLIES):
        reply_to, sender, body, subject = emails[n % len(emails)]
        raw = reply_bytes(
            text=f"{TEXTS[n % len(TEXTS)]} ({n})",
            from_address=sender,
            reply_to=reply_to,
            subject=subject,
            original_text=body,
            html=True,
        )
        out.append((raw, reply_to, sender))
    return out


def bench_inbound() -> None:
    from django.conf import settings

    from helpwanted.mail.inbound.process import inbound_process
    from helpwanted.mail.models import InboundMessage

    # Ten thousand replies from a hundred helpers within the hour: lift the rate limits, which
    # would (rightly) stop them, so every message does the whole of the work.
    settings.INBOUND_LIMIT_PER_KEY = settings.INBOUND_LIMIT_PER_SENDER = REPLIES * 2
    batch = messages(seed())
    parser = BytesParser(policy=email.policy.default)
    start = time.perf_counter()
    for raw, _, _ in batch:
        message = parser.parsebytes(raw)
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            body.get_content()
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    outcomes: dict[str, int] = {}
    for raw, rcpt, sender in batch:
        outcome = inbound_process(raw, rcpt, sender)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    process_s = time.perf_counter() - start
    assert InboundMessage.objects.count() == REPLIES, outcomes
    print(f"inbound_replies_per_s: {REPLIES / process_s:.0f}")
    print(f"inbound_parse_per_s: {REPLIES / parse_s:.0f}")
    print(f"inbound_ratio: {parse_s / process_s:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    from bench.__main__ import setup_django

    setup_django(Path(tempfile.mkdtemp(prefix="helpwanted-bench-inbound-")))
    bench_inbound()
