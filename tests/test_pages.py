import pytest
from django.test import override_settings
from django.urls import reverse

from helpwanted.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_the_landing_page(client):
    body = client.get("/").content.decode()
    assert "Your job search, not alone." in body
    assert 'href="#main"' in body  # skip link


def test_a_seeker_is_sent_from_the_landing_page_to_home(alice_client):
    response = alice_client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_new_seekers_home_starts_with_their_circle(alice_client):
    body = alice_client.get(reverse("home")).content.decode()
    assert "Who is in your corner?" in body
    assert "Don't decide for them whether they can help." in body


@pytest.mark.parametrize("name", ["home", "accounts:profile", "accounts:password_change"])
def test_an_anonymous_visitor_is_asked_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_page_gets_a_kind_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_every_page_sends_a_nonce_csp_and_the_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_is_served_by_the_app_itself(client):
    body = client.get("/").content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert "https://" not in body.split("<body")[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:signup", {"email": "x@example.org"}),
        ("accounts:login", {"username": "x@example.org", "password": "x"}),
        ("accounts:password_reset", {"email": "x@example.org"}),
    ],
)
def test_every_anonymous_post_needs_a_csrf_token(csrf_client, name, data):
    response = csrf_client.post(reverse(name), data)
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:logout", {}),
        ("accounts:profile", {"display_name": "Mallory", "timezone": "UTC"}),
        ("accounts:password_change", {"old_password": "x"}),
    ],
)
def test_every_seeker_post_needs_a_csrf_token(csrf_client, alice, name, data):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = csrf_client.post(reverse(name), data)
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.display_name == "Alice Moreau"


def test_the_dev_outbox_does_not_exist_outside_the_demo(client, alice):
    message = OutboxMessage.objects.create(
        key="k",
        kind="probe",
        to_email="bob@example.org",
        subject="Hi",
        body_text="x",
        body_html="<p>x</p>",
    )
    with override_settings(DEMO=False, DEBUG=False):
        for url in (
            "/dev/outbox/",
            f"/dev/outbox/{message.pk}/",
            f"/dev/outbox/{message.pk}/html/",
        ):
            assert client.get(url).status_code == 404


def test_the_dev_outbox_is_closed_in_production_even_with_demo_on(client):
    with override_settings(DEMO=True, PRODUCTION=True):
        assert client.get("/dev/outbox/").status_code == 404


def test_the_demo_outbox_lists_and_shows_emails_with_clickable_links(client):
    message = OutboxMessage.objects.create(
        key="k",
        kind="probe",
        to_email="bob@example.org",
        subject="Alice asked you",
        body_text="Answer here: http://127.0.0.1:8000/h/abc/",
        body_html="<p>Hi</p>",
    )
    with override_settings(DEMO=True):
        listing = client.get("/dev/outbox/").content.decode()
        detail = client.get(f"/dev/outbox/{message.pk}/").content.decode()
        html = client.get(f"/dev/outbox/{message.pk}/html/")
        missing = client.get("/dev/outbox/999999/")
    assert "Alice asked you" in listing and "bob@example.org" in listing
    assert '<a href="http://127.0.0.1:8000/h/abc/"' in detail
    assert html.content == b"<p>Hi</p>"
    assert "'unsafe-inline'" in html["Content-Security-Policy"]
    assert missing.status_code == 404


def test_the_health_check_answers(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
