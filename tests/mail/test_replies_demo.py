"""The demo has one ask answered by email reply (its answer waiting for Maya's one click) and
one reply held for her approval."""

import pytest

from helpwanted.asks.models import Recipient
from helpwanted.demo.seed import demo_seed
from helpwanted.demo.seed_replies import DANIEL, SOFIA
from helpwanted.mail.models import InboundMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_reply_waiting_for_a_click_and_one_held(client):
    maya = demo_seed()
    demo_seed()  # a second seed changes nothing
    sofia = InboundMessage.objects.get(owner=maya, person__name=SOFIA)
    daniel = InboundMessage.objects.get(owner=maya, person__name=DANIEL)
    assert sofia.status == "suggested" and sofia.suggested_answer == "yes"
    assert sofia.text.startswith("Hi Maya! Happy to.") and "Would you look over" not in sofia.text
    assert daniel.status == "held"
    recipient = Recipient.objects.get(pk=sofia.recipient_id)
    assert recipient.status == "sent" and recipient.answer_message == sofia.text
    client.force_login(maya, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/asks/{recipient.ask_id}/").content.decode()
    assert "It sounds like Sofia Brandt said" in page
    assert "This reply came from an address we don't know for Daniel Osei" in page
