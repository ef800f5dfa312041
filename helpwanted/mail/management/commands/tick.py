from django.core.management.base import BaseCommand

from helpwanted.mail.tick import run_tick


class Command(BaseCommand):
    help = "Enqueue due digests, reminders and follow-ups once. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        for name, count in run_tick().items():
            self.stdout.write(f"{name}: {count}")
