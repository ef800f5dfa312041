"""Ids typed as Unicode digits ("²" passes str.isdigit() but not int()) never give a 500."""

import pytest
from django.urls import reverse

from helpwanted.asks.models import Ask, Recipient
from helpwanted.journey.models import Opportunity
from helpwanted.journey.opportunities import opportunity_create

pytestmark = pytest.mark.django_db
ODD = "²"


def test_composing_to_a_unicode_digit_is_ignored(alice_client):
    response = alice_client.get(reverse("asks:new"), {"to": ODD, "target": ODD})

    assert response.status_code == 200


def test_posting_a_new_ask_to_a_unicode_digit_is_refused_and_writes_nothing(alice_client):
    response = alice_client.post(
        reverse("asks:new"),
        {"kind": "advice", "request": "A call?", "follow_up_days": "5", "to": [ODD]},
    )

    assert response.status_code in (200, 302)
    assert not Recipient.objects.exists()


def test_adding_a_unicode_digit_person_to_an_ask_adds_no_one(alice_client, ask):
    response = alice_client.post(reverse("asks:recipient_add", args=[ask.pk]), {"person": ODD})

    assert response.status_code == 302
    assert not ask.recipients.exists()


def test_a_unicode_digit_recipient_line_on_the_send_form_is_ignored(alice_client, ask, priya):
    from helpwanted.asks.actions import recipient_add

    recipient_add(ask=ask, person=priya)
    response = alice_client.post(reverse("asks:send", args=[ask.pk]), {f"line_{ODD}": "Hi"})

    assert response.status_code == 302
    assert Ask.objects.get(pk=ask.pk).sent_at is not None


def test_an_update_about_a_unicode_digit_opportunity_is_about_none(alice_client):
    response = alice_client.get(reverse("journey:update_new"), {"opportunity": ODD})

    assert response.status_code == 200


def test_a_unicode_digit_referrer_is_ignored(alice_client, alice):
    response = alice_client.post(
        reverse("journey:opportunity_new"),
        {
            "company": "Lumen Labs",
            "role": "Product designer",
            "source": "referral",
            "stage": "idea",
            "referred_by_name": "Priya",
            "referred_by": ODD,
        },
    )

    assert response.status_code in (200, 302)
    assert not Opportunity.objects.filter(owner=alice, referred_by__isnull=False).exists()


def test_a_unicode_digit_helper_on_an_opportunity_is_ignored(alice_client, alice):
    opportunity = opportunity_create(owner=alice, fields={"company": "Lumen", "role": "Designer"})

    response = alice_client.post(
        reverse("journey:opportunity_helper_add", args=[opportunity.pk]), {"person": ODD}
    )

    assert response.status_code == 302
    assert not opportunity.helpers.exists()
