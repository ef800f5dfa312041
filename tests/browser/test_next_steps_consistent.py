"""Consistent next steps in a real browser (issue 10): the person a helper suggested is the
next one to ask, and the demo's home and whom-to-ask pages read well at both widths."""

import re

import pytest
from playwright.sync_api import expect

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_answer
from helpwanted.demo.seed import demo_seed
from helpwanted.network.actions import person_create
from tests.browser.conftest import check_page, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_person_a_helper_suggested_is_one_tap_from_the_home_page(page, alice):
    dana = person_create(
        owner=alice,
        fields={"name": "Dana Park", "emails": ["dana@example.org"], "relationship": "friend"},
    )
    ask = ask_create(
        owner=alice,
        fields={"kind": "introduction", "request": "Would you introduce me at Lumen Labs?"},
    )
    recipient = recipient_add(ask=ask, person=dana)
    ask_send(ask=ask)
    recipient_answer(
        recipient=recipient,
        answer="suggest",
        message="I can't, but try Ines: she runs design there.",
        suggestion={"name": "Ines Ortega", "email": "ines@example.org", "company": "Lumen Labs"},
    )

    log_in(page, alice.email)
    step = page.locator(".next-step").filter(has_text="Ask Ines Ortega, whom Dana Park suggested.")
    expect(step).to_have_count(1)
    check_page(page, "home-suggested-step")

    step.get_by_role("link", name="Ask Ines Ortega").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for something")
    expect(page.get_by_label("What kind of help?")).to_have_value("introduction")
    expect(page.get_by_label("What would you like them to do?")).to_have_value(
        re.compile(r"^Hi Ines, Dana Park suggested I get in touch\.")
    )
    expect(page.get_by_text("You'll ask:")).to_contain_text("You'll ask: Ines Ortega.")
    check_page(page)


def test_the_demo_home_and_whom_to_ask_pages(page):
    maya = demo_seed()
    maya.set_password(PASSWORD)
    maya.save(update_fields=["password"])

    log_in(page, maya.email)
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    expect(page.locator(".next-step").filter(has_text="Ask Jane Holloway, whom")).to_have_count(1)
    check_page(page, "h4-demo-home")

    page.goto("/nudges/whom/?kind=referral")
    region = page.get_by_role("region", name=re.compile("^Suggested for"))
    expect(region.get_by_role("listitem").first).to_be_visible()
    for close in ("Daniel Okafor", "Grace Okafor", "Ifeoma Okafor"):  # partner and family
        expect(region).not_to_contain_text(close)
    check_page(page, "h4-demo-whom")
