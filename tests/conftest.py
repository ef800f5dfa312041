"""Shared people for every test: alice (seeker), charlie (another seeker), dana (a coach).

bob, alice's helper, arrives with the circle.
"""

import os
import shutil

import pytest
from django.test import Client

from helpwanted.accounts.models import User

PASSWORD = "correct horse battery staple"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user(
        email="alice@example.org",
        password=PASSWORD,
        display_name="Alice Moreau",
        timezone="Europe/Paris",
    )


@pytest.fixture
def charlie(db) -> User:
    return User.objects.create_user(
        email="charlie@example.org", password=PASSWORD, display_name="Charlie Reyes"
    )


@pytest.fixture
def dana(db) -> User:
    return User.objects.create_user(
        email="dana@example.org", password=PASSWORD, display_name="Dana Whitfield"
    )


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def charlie_client(charlie) -> Client:
    client = Client()
    client.force_login(charlie, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    # Browser journeys need Debian's Chromium; .ci/run installs it so CI never skips.
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def bob(alice):
    """alice's helper: a person in her circle (supporters) holding a live personal link."""
    from types import SimpleNamespace

    from helpwanted.circle.actions import circle_add, grant_issue
    from helpwanted.network.actions import person_create

    person = person_create(
        owner=alice,
        fields={"name": "Bob Lindqvist", "emails": ["bob@example.org"], "relationship": "friend"},
    )
    member = circle_add(person=person, audience="supporters")
    grant, token = grant_issue(member=member)
    return SimpleNamespace(person=person, member=member, grant=grant, token=token)


@pytest.fixture
def bob_client(bob) -> Client:
    """A browser session that has pressed Continue on bob's link."""
    client = Client()
    response = client.post(f"/h/{bob.token}/")
    assert response.status_code == 303 or response.status_code == 302
    return client


# Redis runs on this machine and in CI: tests that use it never skip, they fail if it is down.
TEST_REDIS_URL = os.environ.get("HELPWANTED_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture
def redis_cache():
    """Django's cache and sessions as settings.py makes them when REDIS_URL is set, under a key
    prefix of this process's own (parallel runs never see each other's keys). Yields a redis-py
    client to read what landed there."""
    import redis
    from django.core.cache import cache
    from django.test import override_settings

    from helpwanted.lib.env import cache_settings

    caches, session_engine = cache_settings(TEST_REDIS_URL)
    prefix = f"helpwanted-test-{os.getpid()}"
    caches["default"]["KEY_PREFIX"] = prefix
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.ping()  # Redis down: fail here, loudly

    def clean() -> None:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)

    clean()
    with override_settings(CACHES=caches, SESSION_ENGINE=session_engine):
        yield client
        cache.close()
    clean()
    client.close()


@pytest.fixture(params=["memory", "redis"])
def each_cache(request):
    """Run a test once on the in-process cache and once on Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param
