import logging

from django.db import transaction

from helpwanted.accounts.models import User

log = logging.getLogger("helpwanted.security")


def user_signup(
    *, email: str, password: str, display_name: str = "", timezone: str = "UTC"
) -> User:
    with transaction.atomic():
        return User.objects.create_user(
            email=email, password=password, display_name=display_name.strip(), timezone=timezone
        )
