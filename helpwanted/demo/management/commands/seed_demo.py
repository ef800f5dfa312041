from django.core.management.base import BaseCommand

from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD, FACILITATOR_EMAIL
from helpwanted.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Create (or refresh) the demo seeker and their data. Safe to run twice."

    def handle(self, *args: object, **options: object) -> None:
        demo_seed()
        self.stdout.write(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"Job club facilitator's login: {FACILITATOR_EMAIL} / {DEMO_PASSWORD}")
