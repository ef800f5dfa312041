"""The demo seeker and their world. Idempotent: seeding twice gives the same data."""

from django.db import transaction

from helpwanted.accounts.models import User
from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD


def demo_seed() -> User:
    with transaction.atomic():
        seeker, created = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={"display_name": "Maya Okafor", "timezone": "Europe/London"},
        )
        if created or not seeker.check_password(DEMO_PASSWORD):
            seeker.set_password(DEMO_PASSWORD)
            seeker.save(update_fields=["password"])
    return seeker
