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
