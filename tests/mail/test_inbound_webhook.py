"""A provider's inbound webhook (anymail) feeds the same inbound_process; off unless set."""

import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent
from django.test import override_settings

from helpwanted.mail.inbound import urls
from helpwanted.mail.inbound.webhook import on_inbound
from helpwanted.mail.models import InboundMessage
from tests.mail.conftest import reply_from


@pytest.mark.django_db
def test_a_providers_inbound_post_is_recorded_like_smtp(asked):
    message = AnymailInboundMessage.parse_raw_mime_bytes(reply_from(asked, "Yes, happy to!"))
    message.envelope_recipient = asked.reply_to
    message.envelope_sender = "bob@example.org"
    event = AnymailInboundEvent(event_type="inbound", message=message)
    on_inbound(sender=None, event=event, esp_name="Postmark")
    on_inbound(sender=None, event=event, esp_name="Postmark")  # the provider retried
    reply = InboundMessage.objects.get()
    assert reply.status == "suggested" and reply.text == "Yes, happy to!"


def test_the_webhook_exists_only_with_a_provider_and_a_secret():
    with override_settings(INBOUND_ESP="", ANYMAIL={"WEBHOOK_SECRET": "u:p"}):
        assert urls.patterns() == []
    with override_settings(INBOUND_ESP="postmark", ANYMAIL={"WEBHOOK_SECRET": ""}):
        assert urls.patterns() == []
    with override_settings(INBOUND_ESP="nonsense", ANYMAIL={"WEBHOOK_SECRET": "u:p"}):
        assert urls.patterns() == []
    with override_settings(INBOUND_ESP="postmark", ANYMAIL={"WEBHOOK_SECRET": "u:p"}):
        (pattern,) = urls.patterns()
        assert str(pattern.pattern) == "postmark/"
