"""A provider's bounce webhook (django-anymail's tracking view) feeds the same recording as a
DSN; it exists only when a provider and the webhook secret are both configured."""

import base64
import json

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory, override_settings

from helpwanted.mail import bounce_urls
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person
from tests.mail.test_bounces import JORDAN, asked, jordan

pytestmark = pytest.mark.django_db

SECRET = "hook:s3cret-for-the-test"


def postmark_bounce(kind: str = "HardBounce", details: str = "") -> bytes:
    return json.dumps(
        {
            "RecordType": "Bounce",
            "Type": kind,
            "ID": 4323372036854775807,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Email": JORDAN,
            "BouncedAt": "2026-11-28T09:14:07Z",
            "Description": "The server was unable to deliver your message (ex: unknown user).",
            "Details": details or "smtp;550 5.1.1 The email account does not exist.",
            "Metadata": {},
        }
    ).encode()


def post(body: bytes, secret: str = SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    request = RequestFactory().post(
        "/bounces/postmark/", body, content_type="application/json", HTTP_AUTHORIZATION=auth
    )
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET}):
        return bounce_urls.tracking_view("postmark")(request)


def test_a_postmark_hard_bounce_marks_the_address(alice):
    person = jordan(alice)
    _, row = asked(alice, person)
    assert post(postmark_bounce()).status_code == 200
    row.refresh_from_db()
    assert row.bounce_status == "5.1.1" and "does not exist" in row.bounce_detail
    assert Person.objects.get(pk=person.pk).email_bouncing


def test_a_soft_bounce_only_counts_and_a_wrong_secret_is_refused(alice):
    person = jordan(alice)
    _, row = asked(alice, person)
    with pytest.raises(SuspiciousOperation):  # Django answers it with a 400
        post(postmark_bounce("HardBounce"), secret="hook:wrong")
    assert OutboxMessage.objects.get(pk=row.pk).bounced_at is None
    post(postmark_bounce("SoftBounce", details="smtp;452 4.2.2 Mailbox full"))
    assert not Person.objects.get(pk=person.pk).email_bouncing


@pytest.mark.parametrize(
    ("esp", "secret", "routed"),
    [
        ("", SECRET, False),
        ("postmark", "", False),
        ("postmark", SECRET, True),
        ("nope", SECRET, False),
    ],
)
def test_the_webhook_exists_only_with_a_provider_and_a_secret(esp, secret, routed):
    with override_settings(BOUNCE_ESP=esp, ANYMAIL={"WEBHOOK_SECRET": secret}):
        assert bool(bounce_urls.patterns()) == routed


def test_the_webhook_is_off_by_default():
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("bounces:webhook")
