"""The SMTP listener's handler (aiosmtpd): refuse at RCPT TO, process at DATA.

RCPT TO is answered from the address alone: a live reply key (or a signed bounce address) is
accepted; anything else gets a 550 with a plain reason, so the sending server bounces it to its
sender at once and we never hold mail for nobody. DATA hands the bytes to `inbound_process`,
in a thread (it uses the database, which is blocking), and answers 451 when the database is
away, so the sender retries later.
"""

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import DatabaseError, connections

from helpwanted.mail.inbound.process import Outcome, inbound_process
from helpwanted.mail.replykeys import is_bounce_rcpt, reply_key_lookup, verp_valid

log = logging.getLogger("helpwanted.mail.inbound")


def rcpt_refusal(address: str) -> str:
    """The SMTP reply refusing this recipient, or "" when we take mail for it."""
    try:
        if is_bounce_rcpt(address):
            return "" if verp_valid(address) else "550 5.1.1 No such bounce address here"
        if reply_key_lookup(address) is not None:
            return ""
    except DatabaseError:
        return "451 4.3.0 Please try again later"
    finally:
        # Each call runs in a pool thread: close its connection, so none is left idle (or
        # broken, after a database restart) for the next message that thread takes.
        connections.close_all()
    return "550 5.1.1 This reply address is unknown or has expired"


def _process(raw: bytes, rcpt: str, mail_from: str) -> str:
    try:
        return inbound_process(raw, rcpt, mail_from)
    finally:
        connections.close_all()


class ReplyHandler:
    async def handle_RCPT(  # noqa: N802  (aiosmtpd's API)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        refusal = await asyncio.to_thread(rcpt_refusal, address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw: Any = envelope.original_content or b""
        mail_from = envelope.mail_from or ""
        if len(raw) > settings.INBOUND_MAX_BYTES:
            return "552 5.3.4 Message too big"
        try:
            for rcpt in envelope.rcpt_tos:
                outcome = await asyncio.to_thread(_process, raw, rcpt, mail_from)
                log.info("inbound message: %s", outcome)
        except DatabaseError:
            log.exception("inbound message: database unavailable")
            return "451 4.3.0 Please try again later"
        if outcome == Outcome.TOO_BIG:
            return "552 5.3.4 Message too big"
        return "250 OK"
