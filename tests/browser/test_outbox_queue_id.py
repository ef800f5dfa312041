"""The dev outbox page names the queue id the SMTP server gave a delivered email."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from helpwanted.mail.actions import outbox_deliver, outbox_enqueue
from helpwanted.mail.models import OutboxMessage
from tests.browser.conftest import check_page
from tests.smtp import SMTPServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_outbox_page_shows_the_smtp_queue_id_of_a_delivered_email(page):
    outbox_enqueue(
        key="reset:browser",
        template="password-reset",
        to_email="bob@example.org",
        context={"user": None, "protocol": "http", "domain": "x", "uid": "MQ", "token": "t"},
    )
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 1
    message = OutboxMessage.objects.get()
    page.goto(f"/dev/outbox/{message.pk}/")
    expect(page.get_by_text("Queue id", exact=True)).to_be_visible()
    expect(page.get_by_text(smtp.inbox.queue_ids[0], exact=True)).to_be_visible()
    check_page(page)
    page.screenshot(path=f"/tmp/h9-outbox-{page.viewport_name}.png", full_page=True)
