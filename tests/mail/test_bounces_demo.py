"""The demo's bounced address: Jordan's ask email came back 5.1.1, and Maya is told."""

import pytest
from django.test import Client
from django.urls import reverse

from helpwanted.asks.models import Recipient
from helpwanted.demo.seed import demo_seed
from helpwanted.demo.seed_bounces import ADDRESS, NAME
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_bounced_address_shown_on_the_ask_the_person_and_next_steps():
    maya = demo_seed()
    demo_seed()  # a second seed changes nothing
    (jordan,) = Person.objects.filter(owner=maya, name=NAME)
    assert jordan.email_bouncing and jordan.bounce_status == "5.1.1"
    assert Person.objects.filter(owner=maya).exclude(bounced_email="").count() == 1
    (row,) = OutboxMessage.objects.filter(to_email=ADDRESS)
    assert row.status == OutboxMessage.Status.SENT and row.bounce_status == "5.1.1"
    (recipient,) = Recipient.objects.filter(person=jordan)
    assert recipient.status == Recipient.Status.SENT
    assert row.bounced_at > row.sent_at

    client = Client()
    client.force_login(maya, backend="django.contrib.auth.backends.ModelBackend")
    notice = "Jordan's email address bounced: check it."
    assert notice in client.get(reverse("asks:detail", args=[recipient.ask_id])).text
    page = client.get(reverse("network:person", args=[jordan.pk])).text
    assert notice in page and "no mailbox at that address" in page
    home = client.get(reverse("home")).text
    assert "Jordan Pike&#x27;s email address bounced: check it." in home
