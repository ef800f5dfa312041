"""Every API operation, read from the OpenAPI document, with every kind of caller.

A token sees exactly what its seeker sees: charlie's token gets 404 for each of alice's ids and
changes no row; alice's read-only token gets 403 read_only_token on every write and changes no
row; alice's own read-write token reaches every operation (so the 404s prove something).
A new operation fails here until BODIES says what a valid request to it is.
"""

import pytest
from django.test import Client

from helpwanted.api.v1 import api as ninja_api
from tests.api.conftest import Api
from tests.test_access_matrix import alice_rows, changed, snapshot

SCHEMA = ninja_api.get_openapi_schema()
OPERATIONS = sorted(
    (method.upper(), path, op["operationId"])
    for path, methods in SCHEMA["paths"].items()
    for method, op in methods.items()
)

# A valid body for each write, naming alice's things where the operation can name one, so an
# outsider's request is refused for the right reason (not for a missing field).
BODIES = {
    "person_create": {"name": "Mallory", "emails": ["mallory@example.org"]},
    "person_update": {"company": "Evil Corp", "archived": True},
    "target_create": {"company": "Evil Corp"},
    "ask_create": {"request": "Introduce me?", "person_ids": ["{person_id}"]},
    "ask_update": {"request": "Mallory was here"},
    "recipient_create": {"person_id": "{person_id}", "personal_line": "Hi"},
    "recipient_update": {"personal_line": "Mallory was here", "channel": "in_person"},
    "opportunity_create": {
        "company": "Evil Corp",
        "role": "Spy",
        "source": "referral",
        "referred_by_id": "{person_id}",
    },
    "opportunity_update": {"role": "Spy"},
    "stage_move": {"stage": "applied", "note": "Mallory"},
    "update_create": {"kind": "progress", "text": "Mallory", "opportunity_id": "{opportunity_id}"},
    "checkin_create": {"hope": 1, "energy": 1, "confidence": 1},
}
# Reads that write the caller's own bookkeeping, by design.
GET_WRITES = {
    "calendar": {"elsewhere.EmittedEvent"},  # the feed's SEQUENCE ledger, as the .ics feed keeps
}
# Creates that name none of alice's things: with charlie's token they make charlie's own row.
OWN_CREATES = {"person_create", "target_create", "checkin_create"}


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _call(client: Api, method: str, path: str, op_id: str, ids: dict[str, int]):
    url = path.format(**ids)
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    return getattr(client, method.lower())(url, _fill(BODIES[op_id], ids))


@pytest.fixture(scope="module")
def baseline(built_world):
    """The world (tests/api/conftest.py) and its row hashes, taken once: each test rolls back."""
    world = built_world
    world.secrets = {"rw": world.rw, "ro": world.ro, "other": world.other}
    world.snapshot, world.alice_rows = snapshot(), alice_rows(world)
    return world


@pytest.fixture
def w(baseline, db):
    return baseline


def test_every_write_has_a_body_and_every_body_an_operation() -> None:
    writes = {op_id for method, _, op_id in OPERATIONS if method in ("POST", "PATCH", "PUT")}
    assert writes == set(BODIES)


@pytest.mark.parametrize(("method", "path", "op_id"), OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_another_seekers_token_gets_nothing_of_alices(method, path, op_id, w) -> None:
    before, mine = w.snapshot, w.alice_rows
    response = _call(Api(w.secrets["other"]), method, path, op_id, w.ids)
    has_ids = "{" in path
    if has_ids:
        assert response.status_code == 404, response.content
        assert response.json()["error"]["code"] == "not_found"
        assert changed(before, snapshot()) == []
    elif method == "GET":
        assert response.status_code == 200
        assert response.json().get("items", []) == [] or op_id == "whoami"
        assert changed(before, snapshot()) == []
    elif op_id in OWN_CREATES:
        assert response.status_code == 201  # charlie's own row: alice's are untouched
        assert changed(mine, alice_rows(w)) == []
    else:
        assert response.status_code == 422, response.content  # it names alice's things
        assert changed(before, snapshot()) == []


@pytest.mark.parametrize(("method", "path", "op_id"), OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_a_read_only_token_reads_and_never_writes(method, path, op_id, w) -> None:
    before = w.snapshot
    response = _call(Api(w.secrets["ro"]), method, path, op_id, w.ids)
    if method == "GET":
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "read_only_token"
    assert set(changed(before, snapshot())) <= GET_WRITES.get(op_id, set())


@pytest.mark.parametrize(("method", "path", "op_id"), OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_alices_own_token_reaches_every_operation(method, path, op_id, w) -> None:
    response = _call(Api(w.secrets["rw"]), method, path, op_id, w.ids)
    assert 200 <= response.status_code < 300, response.content


@pytest.mark.parametrize(("method", "path", "op_id"), OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_no_token_and_a_session_write_get_401(method, path, op_id, w) -> None:
    browser = Client()
    browser.force_login(w.alice, backend="django.contrib.auth.backends.ModelBackend")
    before = snapshot()  # after the login, which stamps last_login
    assert _call(Api(), method, path, op_id, w.ids).status_code == 401
    if method != "GET":  # a logged-in browser never writes through the API: no CSRF to forge
        url = path.format(**w.ids)
        response = getattr(browser, method.lower())(url, "{}", content_type="application/json")
        assert response.status_code == 401
    else:  # it may read, from our own pages
        assert browser.get(path.format(**w.ids)).status_code == 200
    assert set(changed(before, snapshot())) <= GET_WRITES.get(op_id, set())
