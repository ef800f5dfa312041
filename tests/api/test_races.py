"""Two API requests at once, each on its own database connection (two app servers)."""

import pytest

from helpwanted.accounts.models import User
from helpwanted.api.models import PersonalAccessToken
from helpwanted.api.tokens import token_create, token_revoke, token_touch
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person
from tests.api.conftest import Api
from tests.concurrency import at_once, twice

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 5


@pytest.fixture
def seeker():
    return User.objects.create_user(email="race@example.org", password=None)


def test_two_uses_of_a_token_at_once_note_its_last_use_once(seeker) -> None:
    for _ in range(ATTEMPTS):
        token, _secret = token_create(owner=seeker, name="script")
        copies = [PersonalAccessToken.objects.get(pk=token.pk) for _ in range(2)]
        wrote = at_once(*(lambda c=copy: token_touch(c) for copy in copies))
        assert sorted(wrote) == [False, True]
        assert PersonalAccessToken.objects.get(pk=token.pk).last_used_at is not None


def test_two_revokes_at_once_revoke_once(seeker) -> None:
    for _ in range(ATTEMPTS):
        token, _secret = token_create(owner=seeker, name="script")
        results = twice(
            lambda pk=token.pk: token_revoke(token=PersonalAccessToken.objects.get(pk=pk))
        )
        assert sorted(results) == [False, True]


def test_two_patches_at_once_both_land_and_both_count_as_edited(seeker) -> None:
    """Each PATCH reads the person, checks the whole form, then writes: the row is locked, so
    the second sees the first's change instead of writing over its edited_fields."""
    _token, secret = token_create(owner=seeker, name="script", can_write=True)
    for attempt in range(ATTEMPTS):
        person = person_create(owner=seeker, fields={"name": f"Sam {attempt}"})
        url = f"/api/v1/people/{person.pk}"
        statuses = at_once(
            lambda url=url: Api(secret).patch(url, {"company": "Acme"}).status_code,
            lambda url=url: Api(secret).patch(url, {"position": "Designer"}).status_code,
        )
        assert statuses == [200, 200]
        person = Person.objects.get(pk=person.pk)
        assert (person.company, person.position) == ("Acme", "Designer")
        assert {"company", "position"} <= set(person.edited_fields)


def test_two_stage_moves_at_once_both_land_in_the_history(seeker) -> None:
    from helpwanted.journey.opportunities import opportunity_create

    _token, secret = token_create(owner=seeker, name="script", can_write=True)
    for _ in range(ATTEMPTS):
        opportunity = opportunity_create(owner=seeker, fields={"company": "Acme", "role": "UX"})
        url = f"/api/v1/opportunities/{opportunity.pk}/stages"
        statuses = at_once(
            lambda url=url: Api(secret).post(url, {"stage": "applied"}).status_code,
            lambda url=url: Api(secret).post(url, {"stage": "applied"}).status_code,
        )
        assert sorted(statuses) == [200, 201]  # one move; the other finds it already there
        assert opportunity.history.count() == 2
