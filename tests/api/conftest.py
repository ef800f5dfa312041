"""Tokens and a JSON client for the API tests."""

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from helpwanted.api.tokens import token_create


class Api:
    """A client that speaks JSON with one token (or none)."""

    def __init__(self, secret: str | None = None, **headers: str) -> None:
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        self.client = Client(headers=headers)

    def get(self, url: str, **params):
        return self.client.get(url, params)

    def _send(self, method: str, url: str, body):
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(url, data, content_type="application/json")

    def post(self, url: str, body=None):
        return self._send("post", url, {} if body is None else body)

    def patch(self, url: str, body=None):
        return self._send("patch", url, {} if body is None else body)

    def delete(self, url: str):
        return self.client.delete(url)


@pytest.fixture
def tokens(alice, charlie):
    rw, rw_secret = token_create(owner=alice, name="alice's script", can_write=True)
    ro, ro_secret = token_create(owner=alice, name="alice's spreadsheet")
    other, other_secret = token_create(owner=charlie, name="charlie's script", can_write=True)
    return SimpleNamespace(
        rw=rw,
        ro=ro,
        other=other,
        rw_secret=rw_secret,
        ro_secret=ro_secret,
        other_secret=other_secret,
    )


@pytest.fixture
def api(tokens) -> Api:
    """alice's read-write token."""
    return Api(tokens.rw_secret)


@pytest.fixture
def api_ro(tokens) -> Api:
    return Api(tokens.ro_secret)


@pytest.fixture
def api_charlie(tokens) -> Api:
    return Api(tokens.other_secret)


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """alice (with one of everything), charlie and their tokens, built once per module inside a
    transaction rolled back at the end; each test runs in its own savepoint (`db`)."""
    from django.db import transaction

    from helpwanted.accounts.models import User
    from tests.api.world import alices_things

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            alice = User.objects.create_user(
                email="alice@example.org", password=None, display_name="Alice Moreau"
            )
            charlie = User.objects.create_user(email="charlie@example.org", password=None)
            yield SimpleNamespace(
                alice=alice,
                charlie=charlie,
                rw=token_create(owner=alice, name="script", can_write=True)[1],
                ro=token_create(owner=alice, name="spreadsheet")[1],
                other=token_create(owner=charlie, name="charlie's", can_write=True)[1],
                ids=alices_things(alice).ids,
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
