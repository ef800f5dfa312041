"""The demo's token: listed on Maya's account page, read only, last used days ago."""

from django.utils import timezone

from helpwanted.api.models import PersonalAccessToken
from helpwanted.demo.seed_api import NAME, seed_api


def test_the_demo_token_is_listed_read_only_and_seeding_twice_keeps_one(alice, alice_client):
    seed_api(alice)
    seed_api(alice)
    (token,) = PersonalAccessToken.objects.filter(owner=alice)
    assert token.name == NAME and not token.can_write and token.revoked_at is None
    assert 2 <= (timezone.now() - token.last_used_at).days <= 4
    account = alice_client.get("/account/profile/").content.decode()
    assert NAME in account and "last used 3" in account
    page = alice_client.get("/api/tokens/").content.decode()
    assert NAME in page and "Read only" in page and f"…{token.last_four}" in page
