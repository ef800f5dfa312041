import logging
import signal
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.tick import run_tick

log = logging.getLogger("helpwanted.worker")


class Command(BaseCommand):
    help = "Run background work: deliver the outbox, run queued tasks, and tick periodically."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Idle sleep, seconds.")
        parser.add_argument("--once", action="store_true", help="Do one round, then exit.")

    def handle(self, *args: object, interval: float, once: bool, **options: object) -> None:
        self.running = True
        worker_id = get_random_string(24)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(f"Worker {worker_id} started.")
        last_tick = 0.0
        while self.running:
            close_old_connections()
            busy = False
            if time.monotonic() - last_tick >= settings.TICK_SECONDS:
                run_tick()
                last_tick = time.monotonic()
            busy |= outbox_deliver(worker_id=worker_id) > 0
            busy |= self._run_one_task(worker_id)
            if once:
                break
            if not busy and self.running:
                time.sleep(interval)
        self.stdout.write("Worker stopped.")

    def _run_one_task(self, worker_id: str) -> bool:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks > 0

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        # Finish the email or task in hand, then leave: a claimed row is never half-sent by us.
        self.running = False
