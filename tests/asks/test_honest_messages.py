"""After a follow-up or a thank-you, the page says what really happened: emailed, or not."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import ask_send, recipient_add, recipient_mark_asked
from helpwanted.asks.models import Recipient
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(alice):
    return person_create(owner=alice, fields={"name": "Kim Lee", "phones": ["+44 20 7946 0001"]})


def flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_thanking_someone_we_cannot_email_says_to_thank_them_yourself(alice_client, ask, kim):
    recipient_add(ask=ask, person=kim)
    ask_send(ask=ask)
    recipient = Recipient.objects.get(ask=ask, person=kim)
    response = alice_client.post(
        reverse("asks:thank", args=[recipient.pk]), {"text": "Thank you, Kim!"}, follow=True
    )
    assert "We can&#x27;t email Kim Lee" in response.content.decode()
    assert "Thank-you sent" not in flash(response)
    assert not OutboxMessage.objects.filter(kind="ask-thanks").exists()
    recipient.refresh_from_db()
    assert recipient.status == "thanked"


def test_new_words_after_a_thank_you_went_are_saved_and_not_called_sent(
    alice_client, sent_ask, priya
):
    recipient = Recipient.objects.get(ask=sent_ask, person=priya)
    url = reverse("asks:thank", args=[recipient.pk])
    first = alice_client.post(url, {"text": "Thank you, Priya!"}, follow=True)
    assert "Thank-you sent to Priya Shah." in flash(first)
    second = alice_client.post(url, {"text": "Thank you so much, Priya!"}, follow=True)
    assert "Thank-you sent" not in flash(second)
    assert "already has your thank-you by email" in flash(second)
    assert OutboxMessage.objects.filter(kind="ask-thanks").count() == 1
    recipient.refresh_from_db()
    assert recipient.thanks_text == "Thank you so much, Priya!"


def test_following_up_with_someone_asked_in_person_is_noted_not_called_sent(alice_client, ask, kim):
    recipient_add(ask=ask, person=kim)
    ask_send(ask=ask)
    recipient = Recipient.objects.get(ask=ask, person=kim)
    recipient_mark_asked(recipient=recipient)
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        response = alice_client.post(
            reverse("asks:follow_up", args=[recipient.pk]), {"text": "Hi Kim!"}, follow=True
        )
    assert "Follow-up sent" not in flash(response)
    assert "No email went from here" in flash(response)
    assert not OutboxMessage.objects.filter(kind="ask-follow-up").exists()
