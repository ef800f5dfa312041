"""A reply by email, in the browser: "Reply as this helper" in the outbox sends a real reply,
the seeker's ask page shows it at once with the quote gone, and one click confirms the answer
(desktop and 375 px, axe on every page)."""

import pytest
from playwright.sync_api import expect

from helpwanted.asks.models import Recipient
from helpwanted.mail.models import InboundMessage
from tests.browser.conftest import check_page, log_in
from tests.mail.conftest import ask_bob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reply_typed_as_the_helper_is_confirmed_by_the_seeker_in_one_click(page, alice, bob):
    asked = ask_bob(alice, bob)
    log_in(page, alice.email)

    page.goto(f"/dev/outbox/{asked.email.pk}/")
    expect(page.get_by_role("heading", name="Reply as this helper")).to_be_visible()
    check_page(page, "email-reply-outbox")
    page.get_by_label("Their reply").fill("Happy to, Thursday 4pm works")
    page.get_by_role("button", name="Send this reply").click()

    row = page.locator(f"#recipient-{asked.recipient.pk}")
    expect(row.get_by_text("“Happy to, Thursday 4pm works”")).to_be_visible()
    expect(row.get_by_text("Replied by email", exact=True)).to_be_visible()
    expect(row).not_to_contain_text("Reply above this line")
    expect(row).to_contain_text("It sounds like Bob Lindqvist said “Yes, I can”")
    check_page(page, "email-reply-suggested")

    row.get_by_role("button", name="Yes, note “Yes, I can”").click()
    expect(page.get_by_text("Noted: Bob Lindqvist said “Yes, I can”.")).to_be_visible()
    row = page.locator(f"#recipient-{asked.recipient.pk}")
    expect(row.locator(".recipient__head .pill")).to_have_text("Yes, I can")
    expect(row.get_by_role("button", name="Yes, note “Yes, I can”")).to_have_count(0)
    check_page(page, "email-reply-confirmed")
    assert Recipient.objects.get(pk=asked.recipient.pk).status == "offered"
    assert InboundMessage.objects.get().status == "confirmed"

    row.get_by_role("link", name="See the whole email from Bob Lindqvist").click()
    expect(page.get_by_role("heading", name="A reply from Bob Lindqvist")).to_be_visible()
    expect(page.locator("pre.raw-email").first).to_contain_text("> Would you introduce me")
    check_page(page, "email-reply-whole")


def test_the_seeker_approves_a_held_reply(page, alice, bob):
    from helpwanted.mail.inbound.process import inbound_process
    from tests.mail.conftest import reply_from

    asked = ask_bob(alice, bob)
    raw = reply_from(asked, "Yes, gladly!", from_address="bob@work.example")
    assert inbound_process(raw, asked.reply_to, "bob@work.example") == "held"
    log_in(page, alice.email)
    page.goto(f"/asks/{asked.ask.pk}/")
    expect(
        page.get_by_text("This reply came from an address we don't know for Bob Lindqvist")
    ).to_be_visible()
    check_page(page, "email-reply-held")
    page.get_by_role("button", name="It's from Bob Lindqvist: use it").click()
    expect(page.get_by_text("Approved: it's on the record now.")).to_be_visible()
    expect(page.get_by_text("It sounds like Bob Lindqvist said")).to_be_visible()
    check_page(page)
