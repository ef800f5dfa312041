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
