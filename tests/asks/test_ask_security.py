"""What a helper link can and cannot reach."""

import pytest
from django.test import Client
from django.urls import reverse

from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.asks.models import Recipient
from helpwanted.circle.models import CircleMember
from helpwanted.circle.unsubscribe import unsubscribe_url
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from tests.asks.conftest import helper_client_for, link_in

pytestmark = pytest.mark.django_db


def test_a_helper_sees_only_the_asks_addressed_to_them(sent_ask, bob, priya):
    bob_session = helper_client_for(
        OutboxMessage.objects.get(kind="ask", to_email=bob.person.email)
    )
    priyas = Recipient.objects.get(ask=sent_ask, person=priya)
    assert bob_session.get(reverse("circle:helper_ask", args=[priyas.pk])).status_code == 404
    assert (
        bob_session.post(
            reverse("circle:helper_ask", args=[priyas.pk]), {"answer": "no"}
        ).status_code
        == 404
    )
    priyas.refresh_from_db()
    assert priyas.status == "sent"


def test_a_helper_of_one_seeker_never_sees_another_seekers_asks(sent_ask, bob, charlie):
    friend = person_create(
        owner=charlie, fields={"name": "Bob Lindqvist", "emails": ["bob@example.org"]}
    )
    charlies_ask = ask_create(
        owner=charlie, fields={"kind": "advice", "request": "Charlie's secret plan"}
    )
    recipient = recipient_add(ask=charlies_ask, person=friend)
    ask_send(ask=charlies_ask)
    alices_bob = helper_client_for(
        OutboxMessage.objects.get(kind="ask", to_email="bob@example.org", user=sent_ask.owner)
    )
    assert alices_bob.get(reverse("circle:helper_ask", args=[recipient.pk])).status_code == 404
    assert (
        "Charlie&#x27;s secret plan"
        not in alices_bob.get(reverse("circle:helper_home")).content.decode()
    )


def test_a_draft_is_never_visible_to_its_recipient(alice, bob, bob_client):
    draft = ask_create(owner=alice, fields={"kind": "advice", "request": "Not ready yet"})
    recipient = recipient_add(ask=draft, person=bob.person)
    assert bob_client.get(reverse("circle:helper_ask", args=[recipient.pk])).status_code == 404
    assert "Not ready yet" not in bob_client.get(reverse("circle:helper_home")).content.decode()


def test_a_helper_token_is_not_a_password_reset_token_or_a_login(sent_ask, alice):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    token = link_in(OutboxMessage.objects.filter(kind="ask").first()).split("/")[2]
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    page = Client().get(f"/account/reset/{uid}/{token}/", follow=True).content.decode()
    assert "This link has expired" in page
    helper = Client()
    helper.post(f"/h/{token}/")
    assert helper.get(reverse("home")).status_code == 302  # a helper session is not a login


def test_answering_needs_a_csrf_token(sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = Client(enforce_csrf_checks=True)
    page = client.get(link_in(email))
    token = page.cookies["csrftoken"].value
    client.post(link_in(email), {"csrfmiddlewaretoken": token})
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    response = client.post(reverse("circle:helper_ask", args=[recipient.pk]), {"answer": "yes"})
    assert response.status_code == 403
    recipient.refresh_from_db()
    assert recipient.status == "opened"


def test_an_old_link_after_revocation_shows_a_kind_page(alice_client, sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    response = Client().post(link_in(email))
    assert response.status_code == 403
    body = response.content.decode()
    assert "This link has stopped working" in body and "ask the person who invited you" in body


def test_one_click_unsubscribe_stops_every_email_and_the_seeker_sees_it(
    alice_client, alice, ask, bob
):
    url = unsubscribe_url(bob.member).split("://", 1)[1].split("/", 1)[1]
    # RFC 8058: the mail client POSTs with no cookies and no CSRF token.
    response = Client(enforce_csrf_checks=True).post("/" + url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    bob.member.refresh_from_db()
    assert bob.member.unsubscribed_at is not None
    recipient = recipient_add(ask=ask, person=bob.person)
    assert recipient.channel == "in_person"
    ask_send(ask=ask)
    assert not OutboxMessage.objects.filter(kind="ask", to_email="bob@example.org").exists()
    assert "Asked for no more emails" in alice_client.get(reverse("circle:list")).content.decode()


def test_the_unsubscribe_page_asks_first_on_a_get(client, bob):
    url = "/" + unsubscribe_url(bob.member).split("://", 1)[1].split("/", 1)[1]
    page = client.get(url)
    assert "Unsubscribe" in page.content.decode()
    bob.member.refresh_from_db()
    assert bob.member.unsubscribed_at is None


def test_a_tampered_unsubscribe_link_is_refused(client, bob):
    url = "/" + unsubscribe_url(bob.member).split("://", 1)[1].split("/", 1)[1]
    assert client.post(url[:-3] + "abc/").status_code == 404
    assert CircleMember.objects.get(pk=bob.member.pk).unsubscribed_at is None


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("asks:detail", "get"),
        ("asks:edit", "get"),
        ("asks:edit", "post"),
        ("asks:recipient_add", "post"),
        ("asks:send", "post"),
        ("asks:close", "post"),
    ],
)
def test_another_seeker_cannot_see_or_touch_alices_asks(charlie_client, sent_ask, name, method):
    response = getattr(charlie_client, method)(reverse(name, args=[sent_ask.pk]), {"request": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "asks:recipient_update",
        "asks:recipient_remove",
        "asks:asked",
        "asks:follow_up",
        "asks:let_go",
        "asks:record",
        "asks:outcome",
        "asks:thank",
    ],
)
def test_another_seeker_cannot_touch_alices_recipients(charlie_client, sent_ask, name):
    recipient = sent_ask.recipients.first()
    assert charlie_client.post(reverse(name, args=[recipient.pk]), {"text": "x"}).status_code == 404
    assert not OutboxMessage.objects.filter(kind__in=["ask-thanks", "ask-follow-up"]).exists()


@pytest.mark.parametrize("name", ["asks:list", "asks:new", "asks:ledger"])
def test_ask_pages_ask_an_anonymous_visitor_to_log_in(client, name):
    assert client.get(reverse(name)).status_code == 302


def test_seeker_ask_posts_need_a_csrf_token(csrf_client, alice, ask):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    for url in (
        reverse("asks:new"),
        reverse("asks:send", args=[ask.pk]),
        reverse("asks:close", args=[ask.pk]),
        reverse("asks:ledger"),
    ):
        assert csrf_client.post(url, {"request": "x"}).status_code == 403


def test_the_unsubscribe_header_arrives_as_a_plain_link_over_real_smtp(settings, bob):
    """Past 78 characters the header would be RFC 2047-encoded and clients would miss the link."""
    from django.test import override_settings

    from helpwanted.journey.digest import unsubscribe_url as digest_unsubscribe_url
    from helpwanted.journey.models import Helper
    from helpwanted.mail.actions import outbox_deliver, outbox_enqueue
    from tests.smtp import SMTPServer

    settings.SITE_URL = "https://helpwanted.example.org"
    helper = Helper.objects.create(email="bob@example.org")
    for key, url in (("a", unsubscribe_url(bob.member)), ("b", digest_unsubscribe_url(helper.pk))):
        outbox_enqueue(
            key=key,
            template="password-reset",
            to_email="bob@example.org",
            unsubscribe_url=url,
            context={"user": None, "protocol": "https", "domain": "x", "uid": "MQ", "token": "t"},
        )
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 2
    for received in smtp.inbox.messages:
        header = "".join(received["List-Unsubscribe"].split())  # unfold any folding whitespace
        assert header.startswith("<https://helpwanted.example.org/") and "=?" not in header
        assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
