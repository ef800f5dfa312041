"""Demo: Maya's API token (issue 13, the REST API).

Maya made a read-only token for a spreadsheet script that pulls her opportunities every
morning; it last ran three days ago. The account page lists it, and the API tokens page shows
its name, that it can only read, its last four characters and when it was last used. Its
secret was thrown away when the token was made, as every token's is: nobody can read it back,
which is the point. (Make a new one on the tokens page to try the API with curl.)
"""

from datetime import timedelta

from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.api.models import PersonalAccessToken
from helpwanted.api.tokens import token_create

NAME = "My spreadsheet script"


def seed_api(seeker: User) -> None:
    if PersonalAccessToken.objects.filter(owner=seeker, name=NAME).exists():
        return  # seeded before: running the seed again keeps the same data
    token, _secret = token_create(owner=seeker, name=NAME, can_write=False)
    now = timezone.now()
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        created_at=now - timedelta(days=41, hours=3),
        last_used_at=now - timedelta(days=3, hours=2),
        expires_at=now + timedelta(days=324),
    )
