"""Composing an ask on a phone (and a desktop): the coach stays by what you type, "Add" keeps
your place, the personal lines typed go out with Send without saving each row, and someone with
no email is "to ask in person", never "sent"."""

import re

import pytest
from playwright.sync_api import expect

from helpwanted.asks.models import Recipient
from helpwanted.network.actions import person_create
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = (
    "Would you introduce me to someone on the design team at Acme? I'm applying for their "
    "Senior Product Designer role: https://jobs.example.org/acme/design/senior-product-designer"
    "-2026-very-long-link-that-would-not-fit-on-a-phone"
)
WHY = "Six years of designing health apps, and a word from inside would help me be seen."
LINE = "I loved your talk on design systems at the meetup."


def box(locator) -> dict:
    # htmx may be swapping the element in at this very moment (the coach redraws as you type):
    # wait until it is attached and visible again rather than read a detached node.
    for _ in range(20):
        locator.wait_for(state="visible")
        found = locator.bounding_box()
        if found is not None:
            return found
        locator.page.wait_for_timeout(100)
    raise AssertionError(f"{locator} never settled on the page")


def in_view(page, locator) -> bool:
    """Some of it is on the screen now."""
    found = box(locator)
    return found["y"] < page.viewport_size["height"] and found["y"] + found["height"] > 0


def test_composing_on_a_phone_keeps_the_coach_close_your_place_and_every_line_typed(page, alice):
    person_create(owner=alice, fields={"name": "Ana Silva", "emails": ["ana@example.org"]})
    person_create(owner=alice, fields={"name": "Ben Ng", "emails": ["ben@example.org"]})
    person_create(owner=alice, fields={"name": "Carl Diaz", "phones": ["+44 7700 900123"]})
    for i in range(12):  # enough people for ten suggestions
        person_create(
            owner=alice,
            fields={"name": f"Friend {i:02}", "emails": [f"f{i}@example.org"], "company": "Acme"},
        )
    phone = page.viewport_name == "phone"

    # Home: the first action is on the first screen.
    log_in(page, alice.email)
    first_action = page.locator("main .button").first
    expect(first_action).to_be_visible()
    assert box(first_action)["y"] + box(first_action)["height"] <= page.viewport_size["height"]
    check_page(page, "compose-home")

    # 1. The coach sits beside what you type (desktop) or right under it (phone).
    page.goto("/asks/new/")
    page.get_by_label("What kind of help?").select_option("introduction")
    request = page.get_by_label("What would you like them to do?")
    request.fill(REQUEST)
    page.get_by_label("Why it matters to you").fill(WHY)
    coach = page.locator("#coach")
    expect(coach).to_contain_text("Says why", timeout=10_000)
    typed, advice = box(request), box(coach)
    if phone:
        assert 0 <= advice["y"] - (typed["y"] + typed["height"]) < 120  # right under it
    else:
        assert advice["x"] >= typed["x"] + typed["width"]  # beside it
        assert advice["y"] < typed["y"] + typed["height"]
    check_page(page, "compose-phone")
    page.get_by_role("button", name="Next: choose who to ask").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("An introduction")
    link = page.locator(".ask-text").get_by_role("link", name=re.compile("jobs.example.org"))
    expect(link).to_have_attribute("href", re.compile(r"^https://jobs\.example\.org/"))
    expect(link).to_have_attribute("rel", re.compile("nofollow"))
    check_page(page, "compose-draft")  # the long link wraps: nothing scrolls sideways

    # 2. "Add" from the search keeps your place (htmx redraws only the people part).
    search = page.get_by_label("Add someone: search your people by name or company")
    for name in ("Ana Silva", "Carl Diaz", "Ben Ng"):
        search.fill(name.split()[0])
        add = page.get_by_role("button", name=f"Add {name}")
        add.scroll_into_view_if_needed()
        add.click()
        expect(page.locator(".recipient").filter(has_text=name)).to_contain_text("Not sent yet")
        expect(page.get_by_role("status")).to_contain_text(f"Added {name}.")
        assert in_view(page, search)  # still where you were: no jump to the top
        assert "#" not in page.url

    # ... and so does "Add" from the suggestions, with what was typed above kept.
    page.get_by_label("A personal line for Ana Silva (optional)").fill(LINE)  # typed, not saved
    suggestion = page.locator("#suggest li").filter(has=page.get_by_role("button", name="Add"))
    suggestion = suggestion.first
    friend = suggestion.locator("a").first.inner_text()
    suggestion.scroll_into_view_if_needed()
    suggestion.get_by_role("button", name=f"Add {friend}").click()
    expect(page.locator(".recipient").filter(has_text=friend)).to_contain_text("Not sent yet")
    assert in_view(page, suggestion)  # the suggestions stay where they were
    assert "#" not in page.url
    expect(page.get_by_label("A personal line for Ana Silva (optional)")).to_have_value(LINE)
    send = page.get_by_role("button", name="Send, one personal message each")
    suggestions = page.locator("#suggest")
    if suggestions.count():
        assert box(send)["y"] < box(suggestions)["y"]  # no scrolling past ten suggestions

    # 3. The send screen says plainly who gets an email and who to ask in person.
    panel = page.locator(".send-panel")
    expect(panel).to_contain_text(f"We'll email Ana Silva, Ben Ng and {friend}")
    expect(panel).to_contain_text("No email will go to Carl Diaz.")
    page.get_by_label("A personal line for Carl Diaz (optional)").fill("Coffee soon?")
    check_page(page, "compose-ready")

    # 4. Send, without saving any row: the lines go too; the flash names only real emails.
    send.click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(f"Emailed Ana Silva, Ben Ng and {friend}, each their own")
    expect(status).to_contain_text("Ask Carl Diaz in person or by phone")
    expect(status).not_to_contain_text("Sent")
    carl = page.locator(".recipient").filter(has_text="Carl Diaz")
    expect(carl.locator(".pill")).to_have_text("To ask in person")
    expect(carl).to_contain_text("+44 7700 900123")
    check_page(page, "compose-sent")
    ask_url = page.url

    page.goto("/dev/outbox/")
    row = page.get_by_role("row").filter(has_text="ana@example.org")
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(page.locator(".email-body")).to_contain_text(LINE)
    expect(page.get_by_role("row").filter(has_text="Carl")).to_have_count(0)

    # 5. Carl is asked in person; then his answer can be noted as usual.
    page.goto(ask_url)
    page.get_by_role("button", name=re.compile(r"^I've asked them\W+Carl Diaz$")).click()
    expect(page.get_by_role("status")).to_contain_text("Noted: you asked Carl Diaz.")
    expect(carl.locator(".pill")).to_have_text("Asked in person")
    expect(carl.get_by_role("link", name="Note Carl Diaz's answer")).to_be_visible()
    check_page(page)

    lines = dict(Recipient.objects.values_list("person__name", "personal_line"))
    assert lines == {"Ana Silva": LINE, "Ben Ng": "", "Carl Diaz": "Coffee soon?", friend: ""}
    statuses = set(Recipient.objects.values_list("status", flat=True))
    assert statuses == {"sent"}


def test_the_demo_homes_first_action_is_on_the_first_screen(page):
    from helpwanted.demo.seed import demo_seed
    from tests.conftest import PASSWORD

    maya = demo_seed()
    maya.set_password(PASSWORD)
    maya.save(update_fields=["password"])

    log_in(page, maya.email)

    first_action = page.locator("main .button").first
    expect(first_action).to_be_visible()
    page.screenshot(path=f"/tmp/h2-home-{page.viewport_name}.png")
    assert box(first_action)["y"] + box(first_action)["height"] <= page.viewport_size["height"]
    check_page(page, "compose-demo-home")
