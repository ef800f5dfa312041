import signal
import threading
from types import FrameType

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpwanted.mail.inbound.smtp import ReplyHandler


def parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind wants host:port, like 127.0.0.1:2526 (got {bind!r}).")
    return host.strip("[]"), int(port)


def make_controller(host: str, port: int) -> Controller:
    return Controller(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.INBOUND_MAX_BYTES,
        server_hostname=settings.REPLY_DOMAIN,
        ident="helpwanted inbound",
    )


class Command(BaseCommand):
    help = "Receive replies by SMTP: refuse unknown reply addresses at RCPT TO, record the rest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:2526", help="host:port to listen on.")

    def handle(self, *args: object, bind: str, **options: object) -> None:
        host, port = parse_bind(bind)
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        controller = make_controller(host, port)
        controller.start()
        self.stdout.write(f"Listening for replies on {host}:{port}.")
        try:
            stop.wait()
        finally:
            controller.stop()
        self.stdout.write("Stopped.")
