"""One error shape for everything, rate limits, the session rule, and the local docs."""

import re

import pytest
from django.test import Client

from helpwanted.api.errors import CODES
from helpwanted.api.routers import people


def _shape(response, code: str) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert response.status_code == CODES[code]
    return body["error"]


def test_an_unknown_address_a_wrong_method_and_a_missing_id_are_json(api, alice) -> None:
    _shape(api.get("/api/v1/nothing/here"), "not_found")
    _shape(api.get("/api/v1/people/999999"), "not_found")
    _shape(api.get("/api/v1/people/not-a-number"), "not_found")
    # A line break in the path matches no route at all (Django's converters stop at one):
    # schemathesis found it answered with the HTML 404 page.
    _shape(api.get("/api/v1/checkins/%0A%C3%84"), "not_found")
    error = api.delete("/api/v1/people")
    _shape(error, "method_not_allowed")
    assert error["Allow"]


def test_a_body_that_is_not_a_json_object_is_a_400(api) -> None:
    for body in ("{not json", "[1, 2]", "42"):
        _shape(api.post("/api/v1/people", body), "bad_request")


def test_too_many_requests_get_429_with_retry_after(api, api_charlie, settings) -> None:
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert api.get("/api/v1/me").status_code == 200
    response = api.get("/api/v1/me")
    _shape(response, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= settings.API_RATE_WINDOW_SECONDS
    assert api_charlie.get("/api/v1/me").status_code == 200  # per token, not for everyone


def test_an_unexpected_error_is_a_json_500_that_logs_no_body(api, monkeypatch, caplog) -> None:
    def boom(request, page, filters):
        raise RuntimeError("a bug")

    monkeypatch.setattr(people, "_people", lambda request: boom(request, None, None))
    response = api.get("/api/v1/people")
    _shape(response, "server_error")
    assert "a bug" not in response.content.decode()
    assert any("API error on GET /api/v1/people" in r.getMessage() for r in caplog.records)


def test_a_database_outage_is_a_json_503_with_retry_after(api, monkeypatch) -> None:
    from django.db import OperationalError

    def down(request):
        raise OperationalError("connection refused")

    monkeypatch.setattr(people, "_people", down)
    response = api.get("/api/v1/people")
    _shape(response, "unavailable")
    assert response["Retry-After"] == "30"


def test_a_logged_in_browser_may_read_from_our_own_pages_only(alice, alice_client) -> None:
    assert alice_client.get("/api/v1/me").json()["token"] is None
    same = alice_client.get("/api/v1/me", headers={"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 200
    for site in ("cross-site", "same-site"):
        response = alice_client.get("/api/v1/people", headers={"Sec-Fetch-Site": site})
        _shape(response, "unauthenticated")


def test_a_browser_write_is_refused_even_with_a_csrf_token(alice) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    browser.get("/api/tokens/")  # sets the CSRF cookie, as a page would
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/people", '{"name": "Zoe"}', "application/json", headers={"X-CSRFToken": token}
    )
    _shape(response, "unauthenticated")


def test_a_token_beats_a_session(alice, charlie_client, tokens) -> None:
    """charlie is logged in, but the request carries alice's token: it acts as alice."""
    response = charlie_client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tokens.rw_secret}"}
    )
    assert response.json()["email"] == "alice@example.org"


def test_the_openapi_document_and_docs_are_public_local_and_csp_clean(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    csp = docs["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "cdn" not in csp.lower()
    # Every script and stylesheet is ours; no inline style, no script without its nonce.
    assert not re.findall(r'(?:src|href)="https?://', html)
    assert " style=" not in html
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    for tag in re.findall(r"<script[^>]*>", html):
        assert f'nonce="{nonce}"' in tag
    for operation in ("/api/v1/people", "/api/v1/opportunities/{opportunity_id}/stages"):
        assert operation in html
    assert "PersonOut" in html and "next_cursor" in html


def test_api_v1_itself_says_where_to_start(client) -> None:
    body = client.get("/api/v1/").json()
    assert body["docs"].endswith("/api/v1/docs")
    assert body["openapi"].endswith("/api/v1/openapi.json")


@pytest.mark.parametrize("url", ["/api/v1/people", "/api/v1/me"])
def test_responses_are_never_cached(api, url) -> None:
    assert "no-store" in api.get(url)["Cache-Control"]
