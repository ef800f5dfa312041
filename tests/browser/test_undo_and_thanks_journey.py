"""Undo instead of surprise, and thank-yous read before they go: in Chromium, desktop and phone."""

import pytest
from playwright.sync_api import expect

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_answer
from helpwanted.journey.models import Opportunity, ThankYou
from helpwanted.journey.opportunities import opportunity_create
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/h5-{}-{}.png"


def shot(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name, page.viewport_name), full_page=True)


def test_a_deleted_opportunity_comes_back_with_undo(page, alice):
    opportunity_create(owner=alice, fields={"company": "Lumen Labs", "role": "Product designer"})
    log_in(page, alice.email)
    page.get_by_role("link", name="Opportunities", exact=True).click()
    page.get_by_role("link", name="Product designer at Lumen Labs").first.click()
    page.get_by_role("link", name="Delete this opportunity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete Product designer at Lumen Labs?"
    )
    page.get_by_role("button", name="Delete it").click()
    expect(page.get_by_role("status")).to_contain_text("Deleted Product designer at Lumen Labs.")
    expect(page.locator(".opp-card")).to_have_count(0)
    check_page(page)
    shot(page, "deleted")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("is back, with its history.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Product designer")
    assert Opportunity.objects.filter(owner=alice).count() == 1


def test_thank_yous_are_read_and_changed_before_one_button_sends_them(page, alice, bob):
    offer = opportunity_create(
        owner=alice, fields={"company": "Lumen Labs", "role": "Designer"}, stage="offer"
    )
    priya = person_create(owner=alice, fields={"name": "Priya Shah"})
    offer.referred_by = priya
    offer.save(update_fields=["referred_by"])
    ask = ask_create(owner=alice, fields={"kind": "review", "request": "Read my CV?"})
    recipient_add(ask=ask, person=bob.person)
    ask_send(ask=ask)
    recipient_answer(recipient=ask.recipients.get(), answer="yes")
    log_in(page, alice.email)
    page.goto(f"/journey/landed/{offer.pk}/")
    page.get_by_role("button", name="Yes, I got the job").click()
    drafts = page.get_by_role("region", name="Ready for you to read (2)")
    expect(drafts).to_contain_text("Thank you for offering to look over my CV.")
    expect(drafts).to_contain_text("Thank you for referring me to Lumen Labs.")
    check_page(page)
    shot(page, "thanks")
    page.get_by_role("link", name="Read, change and send them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read your thank-yous before they go")
    assert not OutboxMessage.objects.filter(kind="landed-thanks").exists()
    page.get_by_label("Your note to Bob Lindqvist").fill("Bob, your notes made my CV. Thank you!")
    expect(page.get_by_text("We have no email for Priya")).to_be_visible()
    check_page(page)
    shot(page, "review")
    page.get_by_role("button", name="Send the ticked thank-yous").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your thank-you is on its way to Bob Lindqvist."
    )
    expect(page.get_by_role("status")).to_contain_text("We have no email for Priya Shah")
    check_page(page)
    email = OutboxMessage.objects.get(kind="landed-thanks")
    assert email.to_email == "bob@example.org" and "made my CV" in email.body_text
    assert not ThankYou.objects.filter(sent_at__isnull=True).exists()
