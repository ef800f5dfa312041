import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from helpwanted.accounts.actions import user_signup
from helpwanted.accounts.models import User


class Command(BaseCommand):
    help = "Create a seeker account. The password comes from HELPWANTED_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Display name, e.g. 'Alice Moreau'.")

    def handle(self, *args: object, email: str, name: str, **options: object) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not a valid email address.") from exc
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account for {email} already exists.")
        password = os.environ.get("HELPWANTED_PASSWORD") or getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password, User(email=email, display_name=name))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user_signup(email=email, password=password, display_name=name)
        self.stdout.write(self.style.SUCCESS(f"Created seeker {email}."))
