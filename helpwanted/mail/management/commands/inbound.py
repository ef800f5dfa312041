"""`helpwanted inbound < message.eml`: for an MTA's pipe transport (Postfix, Exim).

Exit codes an MTA understands (sysexits.h): 0 taken (recorded, held, dropped as noise or a
duplicate), 67 EX_NOUSER for an unknown or expired reply address (the MTA bounces it), 75
EX_TEMPFAIL when the database is away (the MTA keeps it and tries again later).
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from helpwanted.mail.inbound.process import Outcome, inbound_process

EX_OK = 0
EX_NOUSER = 67
EX_TEMPFAIL = 75
EX_DATAERR = 65


def exit_code(outcome: str) -> int:
    if outcome == Outcome.UNKNOWN:
        return EX_NOUSER
    if outcome == Outcome.TOO_BIG:
        return EX_DATAERR
    return EX_OK


class Command(BaseCommand):
    help = "Take one message on stdin (an MTA's pipe transport) and record it as a reply."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rcpt", default="", help="The envelope recipient (Postfix: ${original_recipient})."
        )
        parser.add_argument(
            "--sender", default="", help="The envelope sender (Postfix: ${sender})."
        )

    def handle(self, *args: object, rcpt: str, sender: str, **options: object) -> None:
        raw = sys.stdin.buffer.read(settings.INBOUND_MAX_BYTES + 1)
        try:
            outcome = inbound_process(raw, rcpt, sender)
        except DatabaseError as error:
            self.stderr.write(f"Try again later: {error.__class__.__name__}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(outcome)
        code = exit_code(outcome)
        if code:
            sys.exit(code)
