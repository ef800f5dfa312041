"""A test SMTP sink on loopback: `python -m loadtest.sink PORT LOGFILE`.

Every message it accepts becomes one JSON line in LOGFILE: its Message-ID, recipient, subject
and the helper links in its text (the two-tap answer links of an ask email), so the load test's
helpers can answer and the verifier can count deliveries per Message-ID.
"""

import asyncio
import email
import json
import re
import signal
import sys
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s]+/h/[\w-]+/\?r=\d+")


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode("utf-8", "replace")
    return ""


class Recorder:
    def __init__(self, path: str) -> None:
        self.file = open(path, "a", buffering=1)  # noqa: SIM115  one line per message, flushed

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.original_content)
        links = sorted(set(LINK.findall(_text(message))))
        record = {
            "message_id": message.get("Message-ID", ""),
            "to": list(envelope.rcpt_tos),
            "subject": message.get("Subject", ""),
            "links": links,
        }
        self.file.write(json.dumps(record) + "\n")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
