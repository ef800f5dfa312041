"""A real SMTP server on loopback for delivery tests (aiosmtpd)."""

import asyncio
import email
import secrets
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.queue_ids: list[str] = []  # what each 250 reply to DATA called the message
        # Set `hold_at` to n: the n-th message is stored, then its 250 reply waits until
        # `release` is set (`holding` tells the test it is there). For the in-flight window.
        self.hold_at = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(  # noqa: N802  (aiosmtpd's API)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        # DATA comes after MAIL FROM, and aiosmtpd has read the content before calling this.
        assert envelope.mail_from is not None and envelope.original_content is not None
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content))
        # Like Postfix: the reply names the queue id the message got here.
        self.queue_ids.append(secrets.token_hex(5).upper())
        if len(self.messages) == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return f"250 2.0.0 Ok: queued as {self.queue_ids[-1]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def mailer(self) -> dict:
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
        }
