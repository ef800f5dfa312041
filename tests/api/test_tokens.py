"""Personal access tokens: shown once, stored hashed, revocable, expiring, touched sparingly."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpwanted.api.models import PersonalAccessToken
from helpwanted.api.tokens import token_create, token_touch
from tests.api.conftest import Api


def _make(client, **data):
    form = {"name": "My spreadsheet script", "access": "read", "expiry": "90", **data}
    return client.post("/api/tokens/", form)


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(alice, alice_client) -> None:
    response = _make(alice_client, access="write")
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("hw_pat_") and len(secret) >= 7 + 43
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = PersonalAccessToken.objects.get(owner=alice)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.can_write and token.last_four == secret[-4:]
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    # Not in any column, and not on the page again.
    row = PersonalAccessToken.objects.filter(pk=token.pk).values_list().get()
    assert all(secret not in str(value) for value in row)
    again = alice_client.get("/api/tokens/")
    assert secret not in again.content.decode()
    assert "My spreadsheet script" in again.content.decode()
    assert Api(secret).get("/api/v1/me").json()["token"]["can_write"] is True


def test_the_account_page_lists_tokens_and_links_to_the_page(alice, alice_client) -> None:
    token_create(owner=alice, name="My spreadsheet script")
    page = alice_client.get("/account/profile/").content.decode()
    assert "My spreadsheet script" in page and "/api/tokens/" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": ""}, "name"), ({"access": "admin"}, "access"), ({"expiry": "forever"}, "expiry")],
)
def test_bad_token_forms_say_what_to_fix_and_make_nothing(alice, alice_client, data, field) -> None:
    response = _make(alice_client, **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not PersonalAccessToken.objects.exists()


def test_a_revoked_token_gets_401_at_once(alice, alice_client) -> None:
    token, secret = token_create(owner=alice, name="script")
    assert Api(secret).get("/api/v1/people").status_code == 200
    response = alice_client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    response = Api(secret).get("/api/v1/people")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_seeker_cannot_revoke_alices_token(alice, charlie_client) -> None:
    token, _ = token_create(owner=alice, name="script")
    assert charlie_client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer hw_pat_not-a-real-token-at-all-0000000000000000000",
        "Bearer nothing-like-ours",
        "Bearer ",
        "Basic YWxpY2U6cGFzc3dvcmQ=",
        "hw_pat_without_a_scheme",
    ],
)
def test_unknown_or_malformed_tokens_get_401(alice, header) -> None:
    response = Api(Authorization=header).get("/api/v1/people")
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthenticated", "message": response.json()["error"]["message"]}
    }


def test_an_expired_token_gets_401(alice) -> None:
    _token, secret = token_create(
        owner=alice, name="script", expires_at=timezone.now() + timedelta(days=30)
    )
    assert Api(secret).get("/api/v1/me").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        assert Api(secret).get("/api/v1/me").status_code == 401


def test_a_deactivated_seekers_token_gets_401(alice) -> None:
    _token, secret = token_create(owner=alice, name="script")
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert Api(secret).get("/api/v1/me").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(alice) -> None:
    token, secret = token_create(owner=alice, name="script")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Api(secret).get("/api/v1/me")
        token.refresh_from_db()
        assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        with CaptureQueriesContext(connection) as queries:
            Api(secret).get("/api/v1/me")
        assert not [q for q in queries if q["sql"].startswith("UPDATE")]
        token.refresh_from_db()
        assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        Api(secret).get("/api/v1/me")
        token.refresh_from_db()
        assert token.last_used_at == start + timedelta(seconds=61)


def test_touch_is_conditional_on_the_row_not_the_copy_in_hand(alice) -> None:
    """Another server touched it a moment ago: this stale copy's touch writes nothing."""
    token, _ = token_create(owner=alice, name="script")
    other = PersonalAccessToken.objects.get(pk=token.pk)
    assert token_touch(other) is True
    assert token_touch(token) is False  # its copy says never used, but the row says just now


def test_create_token_prints_the_token_alone(alice) -> None:
    out = StringIO()
    call_command("create_token", "Alice@Example.org", "--name", "cron job", "--write", stdout=out)
    secret = out.getvalue()
    assert secret.startswith("hw_pat_") and secret.endswith("\n")
    secret = secret.strip()
    assert "\n" not in secret and " " not in secret
    token = PersonalAccessToken.objects.get(owner=alice)
    assert token.name == "cron job" and token.can_write and token.expires_at is None
    assert Api(secret).get("/api/v1/me").json()["email"] == "alice@example.org"


def test_create_token_is_read_only_unless_asked_and_can_expire(alice) -> None:
    out = StringIO()
    call_command("create_token", "alice@example.org", "--name", "n", "--days", "7", stdout=out)
    token = PersonalAccessToken.objects.get(owner=alice)
    assert not token.can_write
    assert token.expires_at is not None
    response = Api(out.getvalue().strip()).post("/api/v1/people", {"name": "Zoe"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org", "--name", "x"], "No account"),
        (["alice@example.org", "--name", "   "], "needs a name"),
        (["alice@example.org", "--name", "x", "--days", "0"], "1 or more"),
    ],
)
def test_create_token_refuses_clearly(alice, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("create_token", *args, stdout=StringIO())
    assert not PersonalAccessToken.objects.exists()
