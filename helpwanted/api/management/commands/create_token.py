from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from helpwanted.accounts.models import User, normalize_email
from helpwanted.api.tokens import token_create


class Command(BaseCommand):
    help = (
        "Make a personal access token for a seeker and print it, alone, on stdout "
        "(TOKEN=$(helpwanted create_token EMAIL --name NAME)). Read only unless --write."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="What it is for, e.g. 'My script'.")
        parser.add_argument("--write", action="store_true", help="May add and change things.")
        parser.add_argument("--days", type=int, default=None, help="Expire after this many days.")

    def handle(
        self, *args: object, email: str, name: str, write: bool, days: int | None, **options: object
    ) -> None:
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No account for {email}.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            _token, secret = token_create(
                owner=user, name=name, can_write=write, expires_at=expires_at
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(secret)
